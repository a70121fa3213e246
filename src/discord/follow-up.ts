import { PermissionFlagsBits, type GuildMember } from 'discord.js';
import { localeOf } from '../i18n/locale.js';
import { followUpName, imageOf, isRemixAction, type FollowUp, type FollowUpAsked } from '../jobs/follow-up.js';
import { aspectAfter } from '../images/outpaint.js';
import { aspectOf, gridNumber, isFinished, type Job } from '../jobs/job.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { Capabilities } from '../providers/types.js';
import type { ParsedPrompt } from '../prompt/types.js';
import type { BotContext } from './context.js';
import { buildCustomId } from './custom-id.js';
import { launchJobs, replyPrivately, type LaunchInteraction } from './launch.js';
import { preparePrompts, type PreparedPrompt } from './prepare-prompt.js';
import { remixModal, remixRoute, remixTextFor } from './remix.js';
import type { NewJob } from '../jobs/service.js';
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
  /** `offer`: a button click, which opens the Remix modal when the member's Remix mode is on; `edited`: that modal's prompt. */
  remix?: 'offer' | { edited: string },
): Promise<void> {
  const parent = await admitFollowUp(interaction, context, parentId, followUp);
  if (!parent) return;
  let notices = parent.notices;
  // admitFollowUp has checked that the provider is still configured.
  const adapter = context.adapters.get(parent.provider);
  if (adapter && remix !== undefined && isRemixAction(followUp.action)) {
    const [settings, member] = await Promise.all([
      context.stores.guilds.get(parent.guildId),
      context.stores.members.get(parent.guildId, interaction.user.id),
    ]);
    const route = remixRoute(adapter, followUp);
    const provider = PROVIDER_NAMES[parent.provider];
    const remixSay = remixTextFor(interaction);
    if (remix === 'offer' && (member.remix ?? settings.remix)) {
      if (route !== 'none' && 'showModal' in interaction) {
        const note = route === 'new-imagine' ? remixSay.newImagine(provider, followUpName(followUp)) : undefined;
        await interaction.showModal(remixModal(parent, followUp, remixSay, note));
        return;
      }
      notices = [...notices, remixSay.promptKept(provider, followUpName(followUp))];
    } else if (typeof remix === 'object') {
      await launchRemix(interaction, context, parent, followUp, remix.edited, route === 'new-imagine');
      return;
    }
  }
  // The same request from the same user is the same custom ID, whether clicked or typed.
  const key = `${buildCustomId({ kind: 'follow-up', jobId: parent.id, followUp })}:${interaction.user.id}`;
  const say = followUpTextFor(interaction);
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
    const jobs = await launchJobs(interaction, context, [{ ...childOf(parent, followUp, interaction), notices }]);
    const child = jobs?.[0];
    if (child) await context.stores.jobs.recordClick(key, child.id);
  });
}

/**
 * The Remix modal's prompt, checked as `/imagine` checks a prompt (the member's shortcuts, suffix
 * and defaults, the server's policy, the provider's limits; the same messages), then run with
 * the action, or as a new imagine where the provider cannot take a prompt with it.
 */
async function launchRemix(
  interaction: LaunchInteraction,
  context: BotContext,
  parent: Job,
  followUp: FollowUp,
  edited: string,
  asImagine: boolean,
): Promise<void> {
  const [settings, member] = await Promise.all([
    context.stores.guilds.get(parent.guildId),
    context.stores.members.get(parent.guildId, interaction.user.id),
  ]);
  const prepared = preparePrompts(edited, {
    provider: parent.provider,
    adapter: context.jobs.adapter(parent.provider),
    server: settings,
    member,
    locale: localeOf(interaction.locale),
    // One follow-up makes one job: a prompt that expands into several is refused, as /imagine refuses too many.
    maxPrompts: 1,
  });
  if (!prepared.ok) {
    await replyPrivately(interaction, prepared.message);
    return;
  }
  const [{ prompt, speed, notices }] = prepared.prompts as [PreparedPrompt];
  const job = {
    provider: parent.provider,
    guildId: parent.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    speed,
    prompt,
  };
  if (asImagine) {
    const note = remixTextFor(interaction).newImagine(PROVIDER_NAMES[parent.provider], followUpName(followUp));
    await launchJobs(interaction, context, [{ ...job, notices: [note, ...notices] }]);
    return;
  }
  await launchJobs(interaction, context, [{ ...childOf(parent, followUp, interaction), ...job, notices, remix: true }]);
}

/**
 * The checks before a follow-up: the job is known and finished, this member may act on it and see
 * its channel, and its provider offers the action. Answers the member privately and returns
 * undefined when one fails; returns the parent when all pass.
 */
export async function admitFollowUp(
  interaction: LaunchInteraction,
  context: BotContext,
  parentId: string,
  followUp: FollowUpAsked,
): Promise<Job | undefined> {
  const say = followUpTextFor(interaction);
  const parent = await context.stores.jobs.get(parentId);
  if (!parent || parent.guildId !== interaction.guildId) {
    await replyPrivately(interaction, say.unknownJob(parentId));
    return undefined;
  }
  if (parent.visibility === 'owner_deleted') {
    await replyPrivately(interaction, ownJobsTextFor(interaction).deletedByOwner(parent.id));
    return undefined;
  }
  if (parent.visibility !== 'public') {
    // A moderator's decision holds: what they removed, rejected or still hold back is not reposted
    // by way of a follow-up, by anyone.
    await replyPrivately(
      interaction,
      parent.visibility === 'pending_approval' ? say.waitingForApproval(parent.id) : say.removed(parent.id),
    );
    return undefined;
  }
  if (!canSee(interaction, parent.channelId)) {
    await replyPrivately(interaction, say.hiddenChannel(parent.id));
    return undefined;
  }
  if (parent.state === 'cancelled') {
    await replyPrivately(interaction, ownJobsTextFor(interaction).cancelledJob(parent.id));
    return undefined;
  }
  if (parent.state !== 'succeeded') {
    await replyPrivately(interaction, say.notFinished(parent.id, parent.state === 'failed', followUp.action));
    return undefined;
  }
  const settings = await context.stores.guilds.get(parent.guildId);
  if (settings.buttons === 'owner' && parent.userId !== interaction.user.id) {
    await replyPrivately(interaction, say.ownerOnly(parent.userId));
    return undefined;
  }
  const index = imageOf(followUp);
  const count = imageCount(parent);
  const adapter = context.adapters.get(parent.provider);
  if (index !== undefined && index > count) {
    await replyPrivately(interaction, noSuchImage(say, parent, index, count, adapter?.capabilities));
    return undefined;
  }
  if (
    index !== undefined &&
    (parent.images?.[index - 1]?.kind === 'rejected' || (!parent.images && !parent.gridImage && !parent.videos))
  ) {
    await replyPrivately(interaction, say.withheld(parent.id, index));
    return undefined;
  }
  if (!adapter) {
    await replyPrivately(interaction, say.providerGone(parent.id));
    return undefined;
  }
  if (!isOffered(parent, adapter.capabilities, followUp, context.publicBaseUrl() !== undefined)) {
    await replyPrivately(interaction, notOffered(say, parent, followUp, adapter.capabilities));
    return undefined;
  }
  return parent;
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
function notOffered(say: FollowUpText, parent: Job, followUp: FollowUpAsked, capabilities: Capabilities): string {
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

/** How many images a finished job has: four in a grid (split or not), one in an upscale; an animation counts its videos. */
function imageCount(job: Job): number {
  return job.videos?.length ?? job.images?.length ?? (job.gridImage ? 4 : 0);
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

/**
 * Animate's first frame is the upscale itself: shown as the progress image from the start, since
 * Kie gives no preview while a video runs (AceData's cover, the same frame, replaces it there).
 */
function firstFrameOf(parent: Job, followUp: FollowUp): { previewUrl?: string } {
  const image = parent.images?.[0];
  return followUp.action === 'animate' && image?.kind === 'url' ? { previewUrl: image.url } : {};
}

function childOf(parent: Job, followUp: FollowUp, interaction: LaunchInteraction) {
  return followUpJob(parent, followUp, { channelId: interaction.channelId, userId: interaction.user.id });
}

/** The job a follow-up makes: the parent's provider, prompt and speed, in the channel it was asked in. */
export function followUpJob(parent: Job, followUp: FollowUp, asker: { channelId: string; userId: string }): NewJob {
  // Vary (Region) with words of the member's own runs them with the parent's parameters.
  const prompt = parent.prompt as ParsedPrompt;
  const promptRun =
    followUp.action === 'region' && followUp.prompt !== undefined
      ? { text: followUp.prompt, imageUrls: prompt.imageUrls, params: prompt.params }
      : prompt;
  return {
    followUp,
    provider: parent.provider,
    guildId: parent.guildId,
    channelId: asker.channelId,
    userId: asker.userId,
    speed: parent.speed,
    // Stored prompts were produced by parsePrompt; the record schema keeps params loosely typed.
    prompt: promptRun,
    parentId: parent.id,
    notices: parent.notices,
    // A pan or Make Square changes the frame; what follows on from the result keeps the new one.
    ...frameOf(parent, followUp),
    // An action on an upscale keeps the grid number that image had.
    ...(isSingle(parent) ? { imageNumber: gridNumber(parent) } : {}),
    ...firstFrameOf(parent, followUp),
  };
}
