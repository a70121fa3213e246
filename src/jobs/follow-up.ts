import { z } from 'zod';
import { regionAreaSchema, regionPromptSchema } from './region.js';

/**
 * The follow-up: an action on a finished job (U1–U4, V1–V4, 🔄, Vary, Upscale again, zoom, pan).
 * This union is the one spelling of it. Buttons carry it in their custom ID, the job that runs it
 * stores it, adapters receive it with its parent, and views, headlines and command choices switch
 * on it. A new action is one entry here, one button, one headline case and the adapters' code.
 */

/** Upscale flavours, as the Midjourney buttons name them. */
export const UPSCALE_TYPES = ['default', 'subtle', 'creative', '2x', '4x'] as const;
export type UpscaleType = (typeof UPSCALE_TYPES)[number];
export const VARY_STRENGTHS = ['strong', 'subtle'] as const;
export type VaryStrength = (typeof VARY_STRENGTHS)[number];
/** The zoom-out buttons' factors; Custom Zoom takes any factor in CUSTOM_ZOOM_RANGE. */
export const ZOOM_FACTORS = [2, 1.5] as const;
export type ZoomFactor = (typeof ZOOM_FACTORS)[number];
/**
 * Custom Zoom's factors, at most two decimals. Midjourney also takes 1.0, which only reframes the
 * image to a new `--ar`; the modal takes no aspect ratio, so 1.0 would change nothing. 1.1 is
 * also the least the upstream `/tob/outpaint` takes.
 */
export const CUSTOM_ZOOM_RANGE = { min: 1.1, max: 2 } as const;
export const PAN_DIRECTIONS = ['left', 'right', 'up', 'down'] as const;
export type PanDirection = (typeof PAN_DIRECTIONS)[number];
/** Animate's two buttons, as Midjourney names them: High motion and Low motion. */
export const MOTIONS = ['high', 'low'] as const;
export type Motion = (typeof MOTIONS)[number];

/** A zoom factor: the buttons' 2 and 1.5, or Custom Zoom's, 1.1–2 with at most two decimals. */
export function zoomFactorSchema() {
  return z
    .number()
    .min(CUSTOM_ZOOM_RANGE.min)
    .max(CUSTOM_ZOOM_RANGE.max)
    .refine((factor) => Math.abs(factor * 100 - Math.round(factor * 100)) < 1e-9, 'at most two decimals');
}

/** Images are numbered 1–4 as on the grid (1 top left, 4 bottom right); an upscale's only image is 1. */
const index = z.number().int().min(1).max(4);
/** Videos are numbered 1–4 in the order the provider returned them; a job with one video has video 1. */
const video = z.number().int().min(1).max(4);

export const followUpSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('upscale'), index, type: z.enum(UPSCALE_TYPES) }),
  z.object({ action: z.literal('vary'), index, strength: z.enum(VARY_STRENGTHS) }),
  z.object({ action: z.literal('reroll') }),
  z.object({ action: z.literal('zoom'), index, factor: zoomFactorSchema() }),
  z.object({ action: z.literal('pan'), index, direction: z.enum(PAN_DIRECTIONS) }),
  /** Animate: a short video whose first frame is the upscaled image. */
  z.object({ action: z.literal('animate'), index, motion: z.enum(MOTIONS) }),
  /** Extend: one of an animation's videos made longer; `index` is the video's number. */
  z.object({ action: z.literal('extend'), index: video }),
  // Vary (Region): the drawn area and an optional new prompt. Free text and shapes, so no custom
  // ID carries it: the editor's submission or the preset modal makes it (see region-button.ts).
  z.object({
    action: z.literal('region'),
    index,
    area: regionAreaSchema,
    prompt: regionPromptSchema.optional(),
  }),
  z.object({ action: z.literal('square'), index }),
]);
export type FollowUp = z.infer<typeof followUpSchema>;
export type FollowUpAction = FollowUp['action'];
/** A follow-up as a member asks for it: Vary (Region) before its area is drawn is only its image. */
export type FollowUpAsked = FollowUp | { action: 'region'; index: number; area?: undefined; prompt?: undefined };
export type FollowUpOf<Action extends FollowUpAction> = Extract<FollowUp, { action: Action }>;

export const FOLLOW_UP_ACTIONS = [
  'upscale',
  'vary',
  'reroll',
  'zoom',
  'pan',
  'animate',
  'extend',
  'region',
  'square',
] as const satisfies readonly FollowUpAction[];
/** Follow-ups Remix mode may open the prompt for (never an upscale: it keeps the image as it is). */
export const REMIX_ACTIONS = ['vary', 'reroll', 'zoom', 'pan'] as const satisfies readonly FollowUpAction[];
export type RemixAction = (typeof REMIX_ACTIONS)[number];
export function isRemixAction(action: FollowUpAction): action is RemixAction {
  return (REMIX_ACTIONS as readonly string[]).includes(action);
}
/** What a job does: a new prompt, or one of the follow-ups. */
export const JOB_ACTIONS = ['imagine', ...FOLLOW_UP_ACTIONS] as const;
export type JobActionKind = (typeof JOB_ACTIONS)[number];

/** The image a follow-up acts on; 🔄 acts on the whole job. */
export function imageOf(followUp: FollowUpAsked): number | undefined {
  return 'index' in followUp ? followUp.index : undefined;
}

/** Two follow-ups are the same request. */
export function sameFollowUp(a: FollowUp, b: FollowUp): boolean {
  return JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
}

const UPSCALE_NAMES: Record<UpscaleType, string> = {
  default: 'Upscale',
  subtle: 'Upscale (Subtle)',
  creative: 'Upscale (Creative)',
  '2x': 'Upscale (2x)',
  '4x': 'Upscale (4x)',
};
const PAN_NAMES: Record<PanDirection, string> = { left: 'Left', right: 'Right', up: 'Up', down: 'Down' };
const MOTION_NAMES: Record<Motion, string> = { high: 'High motion', low: 'Low motion' };

/** The follow-ups whose result is a video rather than images. */
export function makesVideo(action: string): boolean {
  return action === 'animate' || action === 'extend';
}

/** The follow-up's name as the Midjourney button says it: "Upscale (Creative)", "Vary (Strong)". */
export function followUpName(followUp: FollowUpAsked): string {
  switch (followUp.action) {
    case 'upscale':
      return UPSCALE_NAMES[followUp.type];
    case 'vary':
      return `Vary (${followUp.strength === 'strong' ? 'Strong' : 'Subtle'})`;
    case 'reroll':
      return 'Reroll';
    case 'zoom':
      return `Zoom Out ${followUp.factor}x`;
    case 'pan':
      return `Pan ${PAN_NAMES[followUp.direction]}`;
    case 'animate':
      return `Animate (${MOTION_NAMES[followUp.motion]})`;
    case 'extend':
      return `Extend ${followUp.index}`;
    case 'region':
      return 'Vary (Region)';
    case 'square':
      return 'Make Square';
  }
}

/** What the job made by a follow-up is, in the Midjourney bot's headline words: "Upscaled (Creative)". */
export function followUpDone(followUp: FollowUp): string {
  switch (followUp.action) {
    case 'upscale':
      return followUp.type === 'default' ? 'Upscaled' : UPSCALE_NAMES[followUp.type].replace('Upscale', 'Upscaled');
    case 'vary':
      return `Variations (${followUp.strength === 'strong' ? 'Strong' : 'Subtle'})`;
    case 'reroll':
      return 'Rerolled';
    case 'zoom':
      return `Zoom Out ${followUp.factor}x`;
    case 'pan':
      return `Pan ${PAN_NAMES[followUp.direction]}`;
    case 'animate':
      return `Animated (${MOTION_NAMES[followUp.motion]})`;
    case 'extend':
      return `Extended video ${followUp.index}`;
    case 'region':
      return 'Variations (Region)';
    case 'square':
      return 'Make Square';
  }
}

/** A command choice per upscale type: `/upscale type:`. */
export const UPSCALE_CHOICES = UPSCALE_TYPES.map((type) => ({
  name: type === 'default' ? 'Default' : UPSCALE_NAMES[type].replace(/^Upscale \((.*)\)$/, '$1'),
  value: type,
}));
export const VARY_CHOICES = VARY_STRENGTHS.map((strength) => ({
  name: strength === 'strong' ? 'Strong' : 'Subtle',
  value: strength,
}));
