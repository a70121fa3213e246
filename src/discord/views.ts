import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
} from 'discord.js';
import { isSquareAspect } from '../images/outpaint.js';
import { aspectOf, isFinished, type Job } from '../jobs/job.js';
import {
  followUpName,
  imageOf,
  makesVideo,
  MOTIONS,
  PAN_DIRECTIONS,
  sameFollowUp,
  ZOOM_FACTORS,
  VARY_STRENGTHS,
  type FollowUp,
  type FollowUpAsked,
  type FollowUpOf,
} from '../jobs/follow-up.js';
import type { Capabilities } from '../providers/types.js';
import { buildCustomId } from './custom-id.js';
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
  /** Videos too large to attach (or that could not be fetched), shown as the provider's links. */
  videoLinks?: string[];
  /** The bot has a public URL (Vary (Region) with a mask at a URL needs one). */
  publicUrl?: boolean;
}

function button(
  label: string,
  jobId: string,
  followUp: FollowUp,
  options: { disabled?: boolean; emoji?: string } = {},
): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    ...(label ? { label } : {}),
    custom_id: buildCustomId({ kind: 'follow-up', jobId, followUp }),
    ...(options.emoji ? { emoji: { name: options.emoji } } : {}),
    ...(options.disabled ? { disabled: true } : {}),
  };
}

function regionButton(jobId: string): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: followUpName({ action: 'region', index: 1 }),
    custom_id: buildCustomId({ kind: 'region', jobId, index: 1 }),
    emoji: { name: '🖌️' },
  };
}

/** ❌ under a queued or running job: its owner may stop it (src/discord/cancel.ts). */
function cancelRow(job: Job): ButtonRow[] {
  return row([
    {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: 'Cancel',
      emoji: { name: '❌' },
      custom_id: buildCustomId({ kind: 'cancel', jobId: job.id }),
    },
  ]);
}

function row(buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

/** A job whose result is one image (an upscale) rather than a grid. */
export function isSingle(job: Pick<Job, 'action'>): boolean {
  return job.action === 'upscale';
}

/** A job whose result is videos (Animate, Extend) rather than images. */
export function isVideo(job: Pick<Job, 'action'>): boolean {
  return makesVideo(job.action);
}

/** Animate on an upscale, Extend on each of an animation's videos, where the provider can. */
function videoFollowUps(job: Job, capabilities: Capabilities): FollowUp[] {
  const { actions } = capabilities;
  if (isVideo(job))
    return actions.videoExtend
      ? (job.videos ?? []).map((_, offset): FollowUp => ({ action: 'extend', index: offset + 1 }))
      : [];
  if (isSingle(job) && actions.video)
    return MOTIONS.map((motion): FollowUp => ({ action: 'animate', index: 1, motion }));
  return [];
}

/**
 * Every follow-up a finished job offers: the provider's own list when it sends one, else what its
 * capabilities say. Buttons, `/upscale`, `/vary` and their refusals all read this one list.
 */
export function offeredFollowUps(job: Job, capabilities: Capabilities): FollowUp[] {
  return [...(job.followUps ?? imageFollowUps(job, capabilities)), ...videoFollowUps(job, capabilities)];
}

/** What the capabilities say about a job's images, when the provider sent no list of its own. */
function imageFollowUps(job: Job, capabilities: Capabilities): FollowUp[] {
  const { actions } = capabilities;
  if (isVideo(job)) return [];
  if (isSingle(job)) {
    const index = 1;
    return [
      ...actions.upscaleAgain.map((type): FollowUp => ({ action: 'upscale', index, type })),
      ...actions.varyOnUpscale.map((strength): FollowUp => ({ action: 'vary', index, strength })),
      ...actions.zoom.map((factor): FollowUp => ({ action: 'zoom', index, factor })),
      ...(actions.square && !isSquareAspect(aspectOf(job)) ? [{ action: 'square', index } as const] : []),
      ...(actions.pan ? PAN_DIRECTIONS.map((direction): FollowUp => ({ action: 'pan', index, direction })) : []),
    ];
  }
  return [
    ...GRID_INDEXES.flatMap((index) => [
      ...actions.upscale.map((type): FollowUp => ({ action: 'upscale', index, type })),
      ...actions.vary.map((strength): FollowUp => ({ action: 'vary', index, strength })),
    ]),
    ...(actions.reroll ? [{ action: 'reroll' } as const] : []),
  ];
}

/**
 * Whether a finished job offers Vary (Region): on an upscale, where the provider can repaint a
 * region. It is not in `offeredFollowUps`, whose entries are whole follow-ups: its area is drawn later.
 */
export function offersRegion(job: Job, capabilities: Capabilities, publicUrl: boolean): boolean {
  const form = capabilities.actions.regionRedraw;
  // A mask at a URL is served by the bot: without a public URL the provider could not fetch it.
  return isSingle(job) && form !== false && (form !== 'mask-url' || publicUrl);
}

/**
 * Whether a finished job offers Custom Zoom: on an upscale, when its provider can zoom out by any
 * factor. A provider's own list of follow-ups is the whole truth, and it names no Custom Zoom.
 */
export function offersCustomZoom(job: Job, capabilities: Capabilities): boolean {
  if (job.followUps) return false;
  return isSingle(job) && capabilities.actions.customZoom && job.images?.[0]?.kind !== 'rejected';
}

/**
 * Whether a finished job offers a follow-up (`publicUrl`: whether the bot has one, for Vary
 * (Region); a zoom by a factor no button has comes through Custom Zoom).
 */
export function isOffered(job: Job, capabilities: Capabilities, followUp: FollowUpAsked, publicUrl = false): boolean {
  if (followUp.action === 'region') return followUp.index === 1 && offersRegion(job, capabilities, publicUrl);
  if (
    followUp.action === 'zoom' &&
    followUp.index === 1 &&
    !(ZOOM_FACTORS as readonly number[]).includes(followUp.factor) &&
    offersCustomZoom(job, capabilities)
  )
    return true;
  return offeredFollowUps(job, capabilities).some((offered) => sameFollowUp(offered, followUp));
}

/** The follow-ups offered on one image of a job (🔄, which acts on the whole job, included). */
export function offeredOnImage(job: Job, capabilities: Capabilities, index: number): FollowUp[] {
  return offeredFollowUps(job, capabilities).filter((followUp) => (imageOf(followUp) ?? index) === index);
}

const GRID_INDEXES = [1, 2, 3, 4] as const;

/** U1–U4 🔄 / V1–V4 under a grid; a rejected image's buttons are disabled. */
function gridButtons(job: Job, offered: readonly FollowUp[]): ButtonRow[] {
  const rejected = (index: number) => job.images?.[index - 1]?.kind === 'rejected';
  // One U and one V per image: the first upscale type offered on it, and Vary (Strong) where offered.
  const first = (action: 'upscale' | 'vary', index: number) => {
    const onImage = offered.filter((followUp) => followUp.action === action && followUp.index === index);
    return onImage.find((followUp) => followUp.action === 'vary' && followUp.strength === 'strong') ?? onImage[0];
  };
  const buttons = (action: 'upscale' | 'vary', letter: string) =>
    GRID_INDEXES.flatMap((index) => {
      const followUp = first(action, index);
      return followUp ? [button(`${letter}${index}`, job.id, followUp, { disabled: rejected(index) })] : [];
    });
  const reroll = offered.some((followUp) => followUp.action === 'reroll')
    ? [button('', job.id, { action: 'reroll' }, { emoji: '🔄' })]
    : [];
  return [...row([...buttons('upscale', 'U'), ...reroll]), ...row(buttons('vary', 'V'))];
}

const PAN_EMOJI = { left: '⬅️', right: '➡️', up: '⬆️', down: '⬇️' } as const;

/** Custom Zoom's button opens its modal; it is no follow-up until the factor is given. */
function customZoomButton(jobId: string): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: 'Custom Zoom',
    custom_id: buildCustomId({ kind: 'custom-zoom', jobId, index: 1 }),
    emoji: { name: '🔍' },
  };
}

/**
 * Under an upscale, a row each as Midjourney lays them out: upscales, variations (with Vary
 * (Region)), zooms (with Custom Zoom and Make Square), pans, animations.
 */
function upscaleButtons(
  job: Job,
  offered: readonly FollowUp[],
  extras: { region: boolean; customZoom: boolean },
): ButtonRow[] {
  const { region, customZoom } = extras;
  if (job.images?.[0]?.kind === 'rejected') return [];
  const of = <Action extends FollowUp['action']>(action: Action) =>
    offered.filter((followUp): followUp is FollowUpOf<Action> => followUp.action === action && imageOf(followUp) === 1);
  const upscales = of('upscale').map((followUp) => button(followUpName(followUp), job.id, followUp));
  const variations = of('vary')
    .sort((a, b) => VARY_STRENGTHS.indexOf(a.strength) - VARY_STRENGTHS.indexOf(b.strength))
    .map((followUp) => button(followUpName(followUp), job.id, followUp, { emoji: '🪄' }));
  // Vary (Region) sits with the variations, as on Midjourney; it opens the editor or the presets.
  if (region) variations.push(regionButton(job.id));
  const zooms = of('zoom')
    .sort((a, b) => b.factor - a.factor)
    .map((followUp) => button(followUpName(followUp), job.id, followUp, { emoji: '🔍' }));
  if (customZoom) zooms.push(customZoomButton(job.id));
  zooms.push(...of('square').map((followUp) => button(followUpName(followUp), job.id, followUp, { emoji: '↔️' })));
  const pans = of('pan').map((followUp) => button('', job.id, followUp, { emoji: PAN_EMOJI[followUp.direction] }));
  const animations = of('animate').map((followUp) => button(followUpName(followUp), job.id, followUp, { emoji: '🎞️' }));
  return [...row(upscales), ...row(variations), ...row(zooms), ...row(pans), ...row(animations)];
}

/** Under an animation: Extend per video ("Extend" alone when there is one). */
function videoButtons(job: Job, offered: readonly FollowUp[]): ButtonRow[] {
  const extends_ = offered.filter((followUp): followUp is FollowUpOf<'extend'> => followUp.action === 'extend');
  const label = (followUp: FollowUpOf<'extend'>) =>
    (job.videos ?? []).length === 1 ? 'Extend' : followUpName(followUp);
  return row(extends_.map((followUp) => button(label(followUp), job.id, followUp, { emoji: '⏩' })));
}

/** "Video 2 is too large to attach here: <url>", one line per video that is a link. */
function videoLinkLines(job: Job, links: readonly string[]): string[] {
  const videos = job.videos ?? [];
  return links.map((link) => {
    const number = videos.indexOf(link) + 1;
    const which = videos.length > 1 && number > 0 ? `Video ${number}` : 'The video';
    return `${which} is too large to attach here: ${link}`;
  });
}

function footer(job: Job): string {
  const lines = [`-# Job \`${job.id}\``, ...job.notices.map((notice) => `-# ${notice}`)];
  return lines.join('\n');
}

/** The public message for a job, in whatever state it is. */
export function jobView(job: Job, context: ViewContext): MessageView {
  const lines = [headline(job, context.now, context.queuePosition)];
  if (job.state === 'failed' && job.failure) lines.push(job.failure.userMessage);
  if (job.state === 'cancelled') lines.push('Cancelled by its owner.');
  if (job.state === 'running' && job.followUp?.action === 'animate' && job.previewUrl)
    lines.push('The video is being made from this image.');
  if (context.imageMissing) {
    const withheld = (job.images ?? []).length > 0 && (job.images ?? []).every((image) => image.kind === 'rejected');
    lines.push(
      withheld
        ? 'The image service’s moderation withheld this result.'
        : 'The result images could not be fetched from the image service (its links may have expired).',
    );
  }
  if (job.state === 'succeeded' && job.visibility === 'public' && context.videoLinks?.length)
    lines.push(...videoLinkLines(job, context.videoLinks));
  lines.push(footer(job));
  const content = lines.join('\n').slice(0, 2000);
  if (job.state === 'succeeded' && job.visibility !== 'public') {
    const notes = {
      rejected: 'A moderator did not approve this result.',
      deleted: 'A moderator removed this result.',
      owner_deleted: 'Its owner deleted this result.',
      pending_approval: '(Waiting for a moderator’s approval)',
    };
    lines.splice(1, 0, notes[job.visibility]);
    return { content: lines.join('\n').slice(0, 2000), components: [] };
  }
  if (job.state !== 'succeeded') {
    return {
      content,
      components: isFinished(job) ? [] : cancelRow(job),
      ...(job.state === 'running' && job.previewUrl ? { previewUrl: job.previewUrl } : {}),
    };
  }
  const single = isSingle(job);
  const offered = offeredFollowUps(job, context.capabilities);
  if (isVideo(job)) return { content, components: videoButtons(job, offered), attachmentName: `${job.id}.video` };
  return {
    content,
    components: single
      ? upscaleButtons(job, offered, {
          region: offersRegion(job, context.capabilities, context.publicUrl ?? false),
          customZoom: offersCustomZoom(job, context.capabilities),
        })
      : gridButtons(job, offered),
    attachmentName: `${job.id}.${single ? 'image' : 'grid'}`,
  };
}
