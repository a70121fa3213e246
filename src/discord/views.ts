import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
} from 'discord.js';
import type { Job } from '../jobs/job.js';
import type { Capabilities, FollowUp } from '../providers/types.js';
import { buildCustomId, type ComponentAction } from './custom-id.js';
import { headline } from './status-text.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** A message as the publisher sends it: pure data, built from job state alone. */
export interface MessageView {
  content: string;
  components: ButtonRow[];
  /** Name of the result image attachment, when the job has one. */
  attachmentName?: string;
  /** A provider preview shown while running. */
  previewUrl?: string;
}

export interface ViewContext {
  now: number;
  capabilities: Capabilities;
  queuePosition?: number;
  /** The result could not be rendered (every image withheld, or the provider's URLs failed). */
  imageMissing?: boolean;
}

function button(
  label: string,
  action: ComponentAction,
  options: { disabled?: boolean; emoji?: string; primary?: boolean } = {},
): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: options.primary ? ButtonStyle.Primary : ButtonStyle.Secondary,
    ...(label ? { label } : {}),
    custom_id: buildCustomId(action),
    ...(options.emoji ? { emoji: { name: options.emoji } } : {}),
    ...(options.disabled ? { disabled: true } : {}),
  };
}

function row(buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

/** Whether a finished job offers a follow-up: the provider's own list when it sends one, else its capabilities. */
export function isOffered(job: Job, capabilities: Capabilities, followUp: FollowUp): boolean {
  return offers(job, capabilities)(followUp);
}

/** Which follow-ups to offer: the provider's own list when it sends one, else what its capabilities say. */
function offers(job: Job, capabilities: Capabilities): (followUp: FollowUp) => boolean {
  const listed = job.followUps;
  if (listed) return (followUp) => listed.some((offered) => JSON.stringify(offered) === JSON.stringify(followUp));
  const { actions } = capabilities;
  const single = job.action === 'upscale';
  return (followUp) => {
    switch (followUp.action) {
      case 'upscale':
        return (single ? actions.upscaleAgain : actions.upscale).includes(followUp.type);
      case 'vary':
        return (single ? actions.varyOnUpscale : actions.vary).includes(followUp.strength);
      case 'reroll':
        return !single && actions.reroll;
      case 'zoom':
        return single && actions.zoom.includes(followUp.factor);
      case 'pan':
        return single && actions.pan;
    }
  };
}

/** U1–U4 🔄 / V1–V4 under a grid; a rejected image's buttons are disabled. */
function gridButtons(job: Job, capabilities: Capabilities): ButtonRow[] {
  const allowed = offers(job, capabilities);
  const rejected = (index: number) => job.images?.[index - 1]?.kind === 'rejected';
  const upscaleType = capabilities.actions.upscale[0] ?? 'default';
  const indexes = [1, 2, 3, 4];
  const upscales = indexes
    .filter((index) => allowed({ action: 'upscale', index, type: upscaleType }))
    .map((index) =>
      button(`U${index}`, { kind: 'upscale', jobId: job.id, index, type: upscaleType }, { disabled: rejected(index) }),
    );
  const reroll = allowed({ action: 'reroll' }) ? [button('', { kind: 'reroll', jobId: job.id }, { emoji: '🔄' })] : [];
  const strength = capabilities.actions.vary.includes('strong') ? 'strong' : capabilities.actions.vary[0];
  const variations = strength
    ? indexes
        .filter((index) => allowed({ action: 'vary', index, strength }))
        .map((index) =>
          button(`V${index}`, { kind: 'vary', jobId: job.id, index, strength }, { disabled: rejected(index) }),
        )
    : [];
  return [...row([...upscales, ...reroll]), ...row(variations)];
}

const UPSCALE_LABELS = {
  default: 'Upscale',
  subtle: 'Upscale (Subtle)',
  creative: 'Upscale (Creative)',
  '2x': 'Upscale (2x)',
  '4x': 'Upscale (4x)',
} as const;
const PAN_EMOJI = { left: '⬅️', right: '➡️', up: '⬆️', down: '⬇️' } as const;

/** Under an upscale: Vary Strong/Subtle, Upscale Subtle/Creative, zoom and pan where offered. */
function upscaleButtons(job: Job, capabilities: Capabilities): ButtonRow[] {
  if (job.images?.[0]?.kind === 'rejected') return [];
  const allowed = offers(job, capabilities);
  const index = 1;
  const variations = (['strong', 'subtle'] as const)
    .filter((strength) => allowed({ action: 'vary', index, strength }))
    .map((strength) =>
      button(
        `Vary (${strength === 'strong' ? 'Strong' : 'Subtle'})`,
        { kind: 'vary', jobId: job.id, index, strength },
        { emoji: '🪄' },
      ),
    );
  const upscales = (['subtle', 'creative', '2x', '4x'] as const)
    .filter((type) => allowed({ action: 'upscale', index, type }))
    .map((type) => button(UPSCALE_LABELS[type], { kind: 'upscale', jobId: job.id, index, type }));
  const zooms = ([2, 1.5] as const)
    .filter((factor) => allowed({ action: 'zoom', index, factor }))
    .map((factor) => button(`Zoom Out ${factor}x`, { kind: 'zoom', jobId: job.id, index, factor }, { emoji: '🔍' }));
  const pans = (['left', 'right', 'up', 'down'] as const)
    .filter((direction) => allowed({ action: 'pan', index, direction }))
    .map((direction) => button('', { kind: 'pan', jobId: job.id, index, direction }, { emoji: PAN_EMOJI[direction] }));
  return [...row([...variations, ...upscales].slice(0, 5)), ...row(zooms), ...row(pans)];
}

function footer(job: Job): string {
  const lines = [`-# Job \`${job.id}\``, ...job.notices.map((notice) => `-# ${notice}`)];
  return lines.join('\n');
}

/** The public message for a job, in whatever state it is. */
export function jobView(job: Job, context: ViewContext): MessageView {
  const lines = [headline(job, context.now, context.queuePosition)];
  if (job.state === 'failed' && job.failure) lines.push(job.failure.userMessage);
  if (context.imageMissing) {
    const withheld = (job.images ?? []).length > 0 && (job.images ?? []).every((image) => image.kind === 'rejected');
    lines.push(
      withheld
        ? 'The image service’s moderation withheld this result.'
        : 'The result images could not be fetched from the image service (its links may have expired).',
    );
  }
  lines.push(footer(job));
  const content = lines.join('\n').slice(0, 2000);
  if (job.state === 'succeeded' && job.visibility !== 'public') {
    const notes = {
      rejected: 'A moderator did not approve this result.',
      deleted: 'A moderator removed this result.',
      pending_approval: '(Waiting for a moderator’s approval)',
    };
    lines.splice(1, 0, notes[job.visibility]);
    return { content: lines.join('\n').slice(0, 2000), components: [] };
  }
  if (job.state !== 'succeeded') {
    return {
      content,
      components: [],
      ...(job.state === 'running' && job.previewUrl ? { previewUrl: job.previewUrl } : {}),
    };
  }
  const single = job.action === 'upscale';
  return {
    content,
    components: single ? upscaleButtons(job, context.capabilities) : gridButtons(job, context.capabilities),
    attachmentName: `${job.id}.${single ? 'image' : 'grid'}`,
  };
}
