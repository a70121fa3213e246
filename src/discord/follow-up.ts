import { PermissionFlagsBits, type GuildMember } from 'discord.js';
import { followUpName, imageOf, type FollowUp } from '../jobs/follow-up.js';
import { aspectAfter } from '../images/outpaint.js';
import { aspectOf, gridNumber, isFinished, type Job } from '../jobs/job.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { Capabilities } from '../providers/types.js';
import type { ParsedPrompt } from '../prompt/types.js';
import type { BotContext } from './context.js';
import { buildCustomId } from './custom-id.js';
import { launchJobs, replyPrivately, type LaunchInteraction } from './launch.js';
import { ownJobsTextFor } from './own-jobs-text.js';
import { followUpTextFor, type FollowUpText } from './text.js';
import { isOffered, isSingle, offeredOnImage } from './views.js';

/**
 * A button click or `/upscale`/`/vary` on an existing job: checks that the job is known and
 * finished, that this user may act on it, and that its provider offers the action; then makes a
 * child job. The same user repeating the same request while its job runs gets that job again.
 */
export async function requestFollowUp(
  interaction: LaunchInteraction,
  context: BotContext,
  parentId: string,
  followUp: FollowUp,
): Promise<void> {
  const say = followUpTextFor(interaction);
  const parent = await context.stores.jobs.get(parentId);
  if (!parent || parent.guildId !== interaction.guildId) {
    await replyPrivately(interaction, say.unknownJob(parentId));
    return;
  }
  if (parent.visibility !== 'public') {
    // A moderator's decision holds: what they removed, rejected or still hold back is not reposted
    // by way of a follow-up, by anyone.
    await replyPrivately(
      interaction,
      parent.visibility === 'pending_approval' ? say.waitingForApproval(parent.id) : say.removed(parent.id),
    );
    return;
  }
  if (!canSee(interaction, parent.channelId)) {
    await replyPrivately(interaction, say.hiddenChannel(parent.id));
    return;
  }
  if (parent.state === 'cancelled') {
    await replyPrivately(interaction, ownJobsTextFor(interaction).cancelledJob(parent.id));
    return;
  }
  if (parent.state !== 'succeeded') {
    await replyPrivately(interaction, say.notFinished(parent.id, parent.state === 'failed', followUp.action));
    return;
  }
  const settings = await context.stores.guilds.get(parent.guildId);
  if (settings.buttons === 'owner' && parent.userId !== interaction.user.id) {
    await replyPrivately(interaction, say.ownerOnly(parent.userId));
    return;
  }
  const index = imageOf(followUp);
  const count = imageCount(parent);
  const adapter = context.adapters.get(parent.provider);
  if (index !== undefined && index > count) {
    await replyPrivately(interaction, noSuchImage(say, parent, index, count, adapter?.capabilities));
    return;
  }
  if (
    index !== undefined &&
    (parent.images?.[index - 1]?.kind === 'rejected' || (!parent.images && !parent.gridImage))
  ) {
    await replyPrivately(interaction, say.withheld(parent.id, index));
    return;
  }
  if (!adapter) {
    await replyPrivately(interaction, say.providerGone(parent.id));
    return;
  }
  if (!isOffered(parent, adapter.capabilities, followUp)) {
    await replyPrivately(interaction, notOffered(say, parent, followUp, adapter.capabilities));
    return;
  }
  // The same request from the same user is the same custom ID, whether clicked or typed.
  const key = `${buildCustomId({ kind: 'follow-up', jobId: parent.id, followUp })}:${interaction.user.id}`;
  // One at a time per user and request, so a double click cannot slip between the check and the record.
  await context.jobs.exclusive(key, async () => {
    const existing = await context.stores.jobs.clickedJob(key);
    const running = existing ? await context.stores.jobs.get(existing) : undefined;
    if (running && !isFinished(running)) {
      const link = running.messageId
        ? `https://discord.com/channels/${running.guildId}/${running.channelId}/${running.messageId}`
        : undefined;
      await replyPrivately(interaction, say.alreadyWorking(running.id, link));
      return;
    }
    const jobs = await launchJobs(interaction, context, [childOf(parent, followUp, interaction)]);
    const child = jobs?.[0];
    if (child) await context.stores.jobs.recordClick(key, child.id);
  });
}

/** "Upscale (Subtle), Upscale (Creative), Vary (Strong)": each offered name once. */
function names(followUps: readonly FollowUp[]): string[] {
  return [...new Set(followUps.map(followUpName))];
}

/**
 * What was asked, why it can't be done, and what can: "Vary (Subtle) isn't available: Kie.ai
 * offers only Vary (Strong) on this image." The alternatives are those of the same kind when the
 * provider has some, else everything it offers on that image.
 */
function notOffered(say: FollowUpText, parent: Job, followUp: FollowUp, capabilities: Capabilities): string {
  const onImage = offeredOnImage(parent, capabilities, imageOf(followUp) ?? 1);
  const sameKind = onImage.filter((offered) => offered.action === followUp.action);
  return say.notOffered(
    followUpName(followUp),
    PROVIDER_NAMES[parent.provider],
    names(sameKind.length > 0 ? sameKind : onImage),
    followUp.action === 'reroll' ? parent.id : undefined,
  );
}

/** Asked for image 2 of a job with one: say so, and what that one image offers. */
function noSuchImage(
  say: FollowUpText,
  parent: Job,
  index: number,
  count: number,
  capabilities: Capabilities | undefined,
): string {
  if (count !== 1 || !capabilities) return say.noSuchImage(parent.id, index, count);
  const offered = offeredOnImage(parent, capabilities, 1).filter((followUp) => followUp.action !== 'reroll');
  return say.noSuchImage(parent.id, index, count, PROVIDER_NAMES[parent.provider], names(offered));
}

/** How many images a finished job has: four in a grid (split or not), one in an upscale. */
function imageCount(job: Job): number {
  return job.images?.length ?? (job.gridImage ? 4 : 0);
}

/**
 * Whether the member may view a channel. A button is clicked where its message is; a slash
 * command names a job by id and may be used anywhere, so it must not carry an image out of a
 * channel the member cannot see. When that cannot be known, the answer is no.
 */
function canSee(interaction: LaunchInteraction, channelId: string): boolean {
  if (interaction.channelId === channelId) return true;
  const channel = interaction.guild?.channels.cache.get(channelId);
  const member = interaction.member;
  if (!channel || !member || !('permissionsFor' in channel)) return false;
  return channel.permissionsFor(member as GuildMember)?.has(PermissionFlagsBits.ViewChannel) ?? false;
}

function frameOf(parent: Job, followUp: FollowUp): { aspect?: string } {
  const aspect = aspectAfter(aspectOf(parent), followUp);
  return aspect === aspectOf({ prompt: parent.prompt }) ? {} : { aspect };
}

function childOf(parent: Job, followUp: FollowUp, interaction: LaunchInteraction) {
  return {
    followUp,
    provider: parent.provider,
    guildId: parent.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    speed: parent.speed,
    // Stored prompts were produced by parsePrompt; the record schema keeps params loosely typed.
    prompt: parent.prompt as ParsedPrompt,
    parentId: parent.id,
    notices: parent.notices,
    // A pan or Make Square changes the frame; what follows on from the result keeps the new one.
    ...frameOf(parent, followUp),
    // An action on an upscale keeps the grid number that image had.
    ...(isSingle(parent) ? { imageNumber: gridNumber(parent) } : {}),
  };
}
