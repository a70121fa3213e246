import { ButtonStyle, ComponentType, type APIEmbed } from 'discord.js';
import { buildCustomId } from '../discord/custom-id.js';
import { promptShown } from '../discord/status-text.js';
import type { ButtonRow } from '../discord/views.js';
import type { Job } from '../jobs/job.js';

export interface MirrorView {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
}

export type Decision = { action: 'delete' | 'block' | 'approve' | 'reject'; moderatorId: string };

const DECISION_WORDS: Record<Decision['action'], string> = {
  delete: '🗑️ Deleted',
  block: '⛔ User blocked',
  approve: '✅ Approved',
  reject: '❌ Rejected',
};

export function jumpLink(job: Pick<Job, 'guildId' | 'channelId' | 'messageId'>): string | undefined {
  return job.messageId ? `https://discord.com/channels/${job.guildId}/${job.channelId}/${job.messageId}` : undefined;
}

/**
 * What moderators see for a finished job: who made what with which provider, a thumbnail, a link
 * to the public message, and buttons to act. Pure: built from the job and what was decided.
 */
export function mirrorView(
  job: Job,
  options: { providerName: string; imageUrl?: string; decisions?: readonly Decision[] },
): MirrorView {
  const link = jumpLink(job);
  const pending = job.visibility === 'pending_approval';
  const rejectedImages = (job.images ?? []).filter((image) => image.kind === 'rejected').length;
  const lines = [
    `**Job \`${job.id}\`** (${job.action}) by <@${job.userId}> · ${options.providerName}${link && job.visibility !== 'deleted' && job.visibility !== 'owner_deleted' ? ` · [public message](${link})` : ''}`,
  ];
  if (pending) lines.push('⏳ Waiting for approval: the result is not public yet.');
  if (job.state === 'failed' && job.failure?.code === 'content_rejected')
    lines.push('⚠️ The provider’s moderation rejected this job.');
  if (rejectedImages > 0)
    lines.push(`⚠️ The provider’s moderation withheld ${rejectedImages} of ${job.images!.length} images.`);
  for (const decision of options.decisions ?? [])
    lines.push(`${DECISION_WORDS[decision.action]} by <@${decision.moderatorId}>`);
  const decided = new Set((options.decisions ?? []).map((decision) => decision.action));
  const closed =
    decided.has('delete') ||
    decided.has('reject') ||
    job.visibility === 'deleted' ||
    job.visibility === 'owner_deleted';
  const button = (
    label: string,
    operation: Decision['action'],
    style: ButtonStyle.Success | ButtonStyle.Danger | ButtonStyle.Secondary,
  ) => ({
    type: ComponentType.Button as const,
    style,
    label,
    custom_id: buildCustomId({ kind: 'mod', jobId: job.id, operation }),
  });
  const buttons = closed
    ? []
    : [
        ...(pending
          ? [button('Approve', 'approve', ButtonStyle.Success), button('Reject', 'reject', ButtonStyle.Danger)]
          : []),
        ...(pending || job.state !== 'succeeded' ? [] : [button('Delete', 'delete', ButtonStyle.Danger)]),
        ...(decided.has('block') ? [] : [button('Block user', 'block', ButtonStyle.Secondary)]),
      ];
  return {
    content: lines.join('\n').slice(0, 2000),
    embeds: [
      {
        description: promptShown(job.prompt).slice(0, 4000),
        ...(options.imageUrl ? { thumbnail: { url: options.imageUrl } } : {}),
      },
    ],
    components: buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [],
  };
}

/** A prompt the filter refused, for the moderation channel (the prompt hidden behind a spoiler). */
export function refusalView(userId: string, category: string, term: string, prompt: string): string {
  const hidden = prompt.replace(/\|/g, '¦').slice(0, 1500);
  return `🚫 Refused a prompt from <@${userId}>: ${category} (matched “${term.replace(/\|/g, '¦')}”)\n||${hidden}||`;
}
