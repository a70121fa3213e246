import { z } from 'zod';

/**
 * Request bodies the Kie simulator takes (docs.kie.ai/mj-api/*, CONTRACTS.md §E). Unknown fields
 * are dropped without a word, as most JSON APIs do: a client that misspells a field loses it.
 */

export const ASPECTS = ['1:2', '9:16', '2:3', '3:4', '5:6', '6:5', '4:3', '3:2', '1:1', '16:9', '2:1'] as const;
export const VERSIONS = ['7', '6.1', '6', '5.2', '5.1', 'niji6', 'niji7'] as const;
export const TASK_TYPES = [
  'mj_txt2img',
  'mj_img2img',
  'mj_style_reference',
  'mj_omni_reference',
  'mj_video',
  'mj_video_hd',
] as const;
const VIDEO = new Set(['mj_video', 'mj_video_hd']);
const NEEDS_FILES = new Set(['mj_img2img', 'mj_style_reference', 'mj_omni_reference', 'mj_video', 'mj_video_hd']);

const httpUrl = z.url({ protocol: /^https?$/ });

export const generateSchema = z
  .object({
    taskType: z.enum(TASK_TYPES),
    prompt: z.string().min(1).max(2000),
    speed: z.enum(['relaxed', 'fast', 'turbo']).optional(),
    fileUrl: httpUrl.optional(),
    fileUrls: z.array(httpUrl).optional(),
    aspectRatio: z.enum(ASPECTS).optional(),
    version: z.enum(VERSIONS).optional(),
    // "Increment by 5 each time": a value between steps is refused, never rounded for the client.
    variety: z.number().int().min(0).max(100).multipleOf(5).optional(),
    stylization: z.number().int().min(0).max(1000).optional(),
    weirdness: z.number().int().min(0).max(3000).optional(),
    ow: z.number().int().min(1).max(1000).optional(),
    waterMark: z.string().optional(),
    enableTranslation: z.boolean().optional(),
    callBackUrl: httpUrl.optional(),
    videoBatchSize: z.union([z.literal(1), z.literal(2), z.literal(4)]).optional(),
    motion: z.enum(['high', 'low']).optional(),
  })
  .superRefine((body, context) => {
    const files = body.fileUrls ?? (body.fileUrl ? [body.fileUrl] : []);
    if (!body.speed && body.taskType !== 'mj_omni_reference' && !VIDEO.has(body.taskType)) {
      context.addIssue({ code: 'custom', path: ['speed'], message: `speed is required for ${body.taskType}` });
    }
    if (NEEDS_FILES.has(body.taskType) && files.length === 0) {
      context.addIssue({ code: 'custom', path: ['fileUrls'], message: `fileUrls is required for ${body.taskType}` });
    }
    if (VIDEO.has(body.taskType)) {
      if (files.length !== 1)
        context.addIssue({ code: 'custom', path: ['fileUrls'], message: 'video takes exactly one image' });
      if (!body.motion) context.addIssue({ code: 'custom', path: ['motion'], message: 'motion is required for video' });
    }
  });
export type GenerateBody = z.infer<typeof generateSchema>;

export const followUpSchema = z.object({
  taskId: z.string().min(1),
  imageIndex: z.number().int(),
  waterMark: z.string().optional(),
  callBackUrl: httpUrl.optional(),
});
export type FollowUpBody = z.infer<typeof followUpSchema>;

export function isVideo(taskType: string): boolean {
  return VIDEO.has(taskType);
}

/** The first issue as Kie-style text: `aspectRatio: Invalid option: expected one of …`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid request';
}

/** generateVideoExtend (docs.kie.ai/mj-api/extend-mj-video): manual needs a prompt, auto continues on its own. */
export const videoExtendSchema = z
  .object({
    taskType: z.enum(['mj_video_extend_manual', 'mj_video_extend_auto']),
    taskId: z.string().min(1),
    index: z.number().int().min(0),
    prompt: z.string().max(2000).optional(),
    waterMark: z.string().optional(),
    callBackUrl: httpUrl.optional(),
  })
  .superRefine((body, context) => {
    if (body.taskType === 'mj_video_extend_manual' && !body.prompt)
      context.addIssue({ code: 'custom', path: ['prompt'], message: 'prompt is required for manual extension' });
  });
