import { z } from 'zod';

/**
 * AceData's bodies, parsed leniently: fields are optional and nullable and unknown fields are kept,
 * because the documented examples differ between doc generations (Discord-signed URLs vs CDN URLs,
 * `job_id`/`hold` only in newer records). Meaning is decided in `response.ts`, not here.
 */

/** Discord snowflakes are strings in the docs; a number is accepted and turned into its digits. */
const identifier = z.union([z.string(), z.number()]).transform(String);

export const errorDetailSchema = z.object({ code: z.string().nullish(), message: z.string().nullish() }).loose();

/** `{success:false, error:{code,message}, trace_id}`, the body of every documented failure. */
export const errorBodySchema = z
  .object({
    success: z.boolean().nullish(),
    error: errorDetailSchema.nullish(),
    trace_id: z.string().nullish(),
    task_id: z.string().nullish(),
  })
  .loose();

/**
 * The imagine result: the synchronous answer, the `response` of a task record, a callback body,
 * and (with `async`) the bare `{task_id}` acknowledgement all share this shape.
 */
export const imagineResultSchema = z
  .object({
    success: z.boolean().nullish(),
    task_id: z.string().nullish(),
    image_id: identifier.nullish(),
    image_url: z.string().nullish(),
    image_width: z.number().nullish(),
    image_height: z.number().nullish(),
    raw_image_url: z.string().nullish(),
    raw_image_width: z.number().nullish(),
    raw_image_height: z.number().nullish(),
    progress: z.number().nullish(),
    actions: z.array(z.string()).nullish(),
    sub_image_urls: z.array(z.string()).nullish(),
    // `/midjourney/videos` answers in the same shape, `image_url` being the cover (first frame).
    video_id: identifier.nullish(),
    video_urls: z.array(z.string()).nullish(),
    error: errorDetailSchema.nullish(),
  })
  .loose();
export type ImagineResult = z.infer<typeof imagineResultSchema>;

/** One record from `POST /midjourney/tasks` with `action: "retrieve"`. */
export const taskRecordSchema = z
  .object({
    id: z.string().nullish(),
    _id: z.string().nullish(),
    created_at: z.number().nullish(),
    request: z.object({ action: z.string().nullish() }).loose().nullish(),
    type: z.string().nullish(),
    // Not documented; the MCP client reads it when present (values unknown, see response.ts).
    state: z.string().nullish(),
    image_id: identifier.nullish(),
    response: imagineResultSchema.nullish(),
    duration: z.number().nullish(),
    finished_at: z.number().nullish(),
  })
  .loose();
export type TaskRecord = z.infer<typeof taskRecordSchema>;

/** `retrieve_batch`: `{items:[…records], count}`. */
export const taskBatchSchema = z.object({ items: z.array(taskRecordSchema), count: z.number().nullish() }).loose();

/** The imagine request body as this adapter sends it. */
export interface ImagineBody {
  action: string;
  prompt?: string;
  image_id?: string;
  /** With `variation_region`: the URL of the mask image, white where to repaint. */
  mask?: string;
  mode?: 'fast' | 'relax' | 'turbo';
  translation?: boolean;
  split_images: boolean;
  async: boolean;
  callback_url?: string;
  version?: string;
  quality?: string;
  style_reference?: boolean;
  hd?: boolean;
}

/** `POST /midjourney/describe`: `{image_url}` → `{descriptions:[4 strings]}` (CONTRACTS.md §D). */
export const describeResultSchema = z
  .object({
    success: z.boolean().nullish(),
    task_id: z.string().nullish(),
    descriptions: z.array(z.string()).nullish(),
    error: errorDetailSchema.nullish(),
  })
  .loose();

/** `POST /midjourney/shorten`: `{prompt}` → `{prompts:[…]}` (CONTRACTS.md §D). */
/** `/midjourney/seed` answers `{seed}` (a string in the guide's example; a number is read as its digits). */
export const seedResultSchema = z
  .object({
    success: z.boolean().nullish(),
    seed: identifier.nullish(),
    error: errorDetailSchema.nullish(),
  })
  .loose();

export const shortenResultSchema = z
  .object({
    success: z.boolean().nullish(),
    task_id: z.string().nullish(),
    prompts: z.array(z.string()).nullish(),
    error: errorDetailSchema.nullish(),
  })
  .loose();

/** The `/midjourney/videos` request body as this adapter sends it. */
export interface VideoBody {
  action: 'generate' | 'extend';
  prompt: string;
  image_url?: string;
  video_id?: string;
  video_index?: number;
  mode?: 'fast' | 'relax' | 'turbo';
  async: boolean;
  callback_url?: string;
}
