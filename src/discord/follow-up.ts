import { PermissionFlagsBits, type GuildMember } from 'discord.js';
import type { Job } from '../jobs/job.js';
import type { FollowUp } from '../providers/types.js';
import type { ParsedPrompt } from '../prompt/types.js';
import type { BotContext } from './context.js';
import { buildCustomId, type ComponentAction } from './custom-id.js';
import { launchJobs, replyPrivately, type LaunchInteraction } from './launch.js';
import { isOffered } from './views.js';

const ACTION_WORDS: Record<FollowUp['action'], string> = {
  upscale: 'upscale',
  vary: 'make variations',
  reroll: 'reroll',
  zoom: 'zoom out',
  pan: 'pan',
};

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
  const parent = await context.stores.jobs.get(parentId);
  if (!parent || parent.guildId !== interaction.guildId) {
    await replyPrivately(
      interaction,
      `I don't know job \`${parentId}\` any more (it may be from before the bot's data was reset). Start a new one with /imagine.`,
    );
    return;
  }
  if (parent.visibility !== 'public') {
    // A moderator's decision holds: what they removed, rejected or still hold back is not reposted
    // by way of a follow-up, by anyone.
    await replyPrivately(
      interaction,
      parent.visibility === 'pending_approval'
        ? `Job \`${parent.id}\` is waiting for a moderator's approval, so it can't be used yet.`
        : `A moderator removed job \`${parent.id}\`, so it can't be used any more.`,
    );
    return;
  }
  if (!canSee(interaction, parent.channelId)) {
    await replyPrivately(
      interaction,
      `Job \`${parent.id}\` was made in a channel you can't see, so it can't be used here.`,
    );
    return;
  }
  if (parent.state !== 'succeeded') {
    await replyPrivately(
      interaction,
      `Job \`${parent.id}\` has not finished${parent.state === 'failed' ? ' (it failed)' : ' yet'}, so there is nothing to ${ACTION_WORDS[followUp.action]}.`,
    );
    return;
  }
  const settings = await context.stores.guilds.get(parent.guildId);
  if (settings.buttons === 'owner' && parent.userId !== interaction.user.id) {
    await replyPrivately(interaction, `Only <@${parent.userId}> can use the buttons on their jobs in this server.`);
    return;
  }
  const index = 'index' in followUp ? followUp.index : undefined;
  const count = imageCount(parent);
  if (index !== undefined && index > count) {
    await replyPrivately(
      interaction,
      count === 1
        ? `Job \`${parent.id}\` has one image: use image 1.`
        : `Job \`${parent.id}\` has ${count} images: use image 1 to ${count}.`,
    );
    return;
  }
  if (
    index !== undefined &&
    (parent.images?.[index - 1]?.kind === 'rejected' || (!parent.images && !parent.gridImage))
  ) {
    await replyPrivately(
      interaction,
      `Image #${index} of job \`${parent.id}\` was withheld by the image service's moderation.`,
    );
    return;
  }
  const adapter = context.adapters.get(parent.provider);
  if (!adapter || !isOffered(parent, adapter.capabilities, followUp)) {
    await replyPrivately(
      interaction,
      `The image service that made job \`${parent.id}\` can't ${ACTION_WORDS[followUp.action]} it.`,
    );
    return;
  }
  // The same request from the same user is the same custom ID, whether clicked or typed.
  const { action, ...details } = followUp;
  const key = `${buildCustomId({ kind: action, jobId: parent.id, ...details } as ComponentAction)}:${interaction.user.id}`;
  // One at a time per user and request, so a double click cannot slip between the check and the record.
  await context.jobs.exclusive(key, async () => {
    const existing = await context.stores.jobs.clickedJob(key);
    const running = existing ? await context.stores.jobs.get(existing) : undefined;
    if (running && running.state !== 'succeeded' && running.state !== 'failed') {
      await replyPrivately(
        interaction,
        `Already working on that: job \`${running.id}\`${running.messageId ? ` (https://discord.com/channels/${running.guildId}/${running.channelId}/${running.messageId})` : ''}.`,
      );
      return;
    }
    const jobs = await launchJobs(interaction, context, [childOf(parent, followUp, interaction)]);
    const child = jobs?.[0];
    if (child) await context.stores.jobs.recordClick(key, child.id);
  });
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

function childOf(parent: Job, followUp: FollowUp, interaction: LaunchInteraction) {
  const base = {
    action: followUp.action,
    provider: parent.provider,
    guildId: parent.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    speed: parent.speed,
    // Stored prompts were produced by parsePrompt; the record schema keeps params loosely typed.
    prompt: parent.prompt as ParsedPrompt,
    parentId: parent.id,
    notices: parent.notices,
  };
  switch (followUp.action) {
    case 'upscale':
      return { ...base, imageIndex: followUp.index, options: { upscaleType: followUp.type } };
    case 'vary':
      return { ...base, imageIndex: followUp.index, options: { strength: followUp.strength } };
    case 'zoom':
      return { ...base, imageIndex: followUp.index, options: { zoom: followUp.factor } };
    case 'pan':
      return { ...base, imageIndex: followUp.index, options: { direction: followUp.direction } };
    case 'reroll':
      return base;
  }
}
