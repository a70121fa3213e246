import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimResponse } from '../kit/simulator.js';

/** Every `action` the imagine endpoint knows (AceData MCP core/types.py). */
export const ACTIONS = [
  'generate',
  'upscale1',
  'upscale2',
  'upscale3',
  'upscale4',
  'upscale_2x',
  'upscale_4x',
  'variation1',
  'variation2',
  'variation3',
  'variation4',
  'variation_subtle',
  'variation_strong',
  'variation_region',
  'reroll',
  'zoom_out_2x',
  'zoom_out_1_5x',
  'pan_left',
  'pan_right',
  'pan_up',
  'pan_down',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Buttons under a finished grid (CONFIRMED, imagine guide). */
export const GRID_ACTIONS: readonly Action[] = [
  'upscale1',
  'upscale2',
  'upscale3',
  'upscale4',
  'reroll',
  'variation1',
  'variation2',
  'variation3',
  'variation4',
];
/** Buttons under an `upscaleN` result (CONFIRMED, imagine guide). */
export const UPSCALE_ACTIONS: readonly Action[] = [
  'upscale_2x',
  'upscale_4x',
  'variation_subtle',
  'variation_strong',
  'zoom_out_2x',
  'zoom_out_1_5x',
  'pan_left',
  'pan_right',
  'pan_up',
  'pan_down',
];
/** Under an `upscale_2x/_4x` result: not documented; assumed the upscale's buttons without upscaling again. */
export const UPSCALED_AGAIN_ACTIONS: readonly Action[] = UPSCALE_ACTIONS.filter(
  (action) => !action.startsWith('upscale'),
);

/** Typical durations in seconds (fast about 45 s, relax 2–5 min, turbo about 20 s). */
export const TYPICAL_SECONDS = { fast: 45, relax: 180, turbo: 20 } as const;
/** Upscales take less time than a grid (imagine guide: "upscale takes less time than variation"). */
export const DURATION_FACTOR: Partial<Record<Action, number>> = {
  upscale1: 0.25,
  upscale2: 0.25,
  upscale3: 0.25,
  upscale4: 0.25,
  upscale_2x: 0.6,
  upscale_4x: 0.9,
};

/** The imagine request body; unknown fields are ignored as a JSON API does. */
export const imagineRequestSchema = z
  .object({
    action: z.enum(ACTIONS).default('generate'),
    prompt: z.string().optional(),
    image_id: z.string().min(1).optional(),
    mask: z.string().min(1).optional(),
    mode: z.enum(['fast', 'relax', 'turbo']).default('fast'),
    translation: z.boolean().optional(),
    split_images: z.boolean().default(false),
    timeout: z.number().positive().optional(),
    callback_url: z.url({ protocol: /^https?$/ }).optional(),
    async: z.boolean().default(false),
    version: z.enum(['5.2', '6', '6.1', '7', '8', '8.1', '8.2']).optional(),
    // "HD … supported only by V8 and V8.1": the page names no error for another version, so the
    // simulator accepts `hd` with any version and records it (submissions) for tests to read.
    hd: z.boolean().optional(),
    quality: z.enum(['.25', '.5', '1', '2', '4']).optional(),
    style_reference: z.boolean().optional(),
    moodboard: z.boolean().optional(),
  })
  .loose();
export type ImagineRequest = z.infer<typeof imagineRequestSchema>;

export const tasksRequestSchema = z
  .object({
    action: z.enum(['retrieve', 'retrieve_batch']).default('retrieve'),
    id: z.string().optional(),
    ids: z.array(z.string()).optional(),
  })
  .loose();

/** AceData's error body: `{success:false, error:{code,message}, trace_id}`. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return { status, json: { success: false, ...extra, error: { code, message }, trace_id: randomUUID() } };
}

/** Turns zod issues into one line, as AceData's validation messages name the field. */
export function issuesText(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}
