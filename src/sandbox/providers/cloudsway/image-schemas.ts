import { z } from 'zod';

/**
 * Request fields of Image-1 as Cloudsway's page (and OpenAI's gpt-image-1 reference, which it
 * follows) lists them. Strict like OpenAI: an unknown field is `unknown_parameter`.
 */
export const SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'] as const;
export const QUALITIES = ['auto', 'high', 'medium', 'low'] as const;
export const FORMATS = ['png', 'jpeg', 'webp'] as const;
const BACKGROUNDS = ['transparent', 'opaque', 'auto'] as const;

const transparentNeedsAlpha = (body: { background?: string; output_format?: string }, context: z.RefinementCtx) => {
  if (body.background === 'transparent' && body.output_format === 'jpeg') {
    context.addIssue({
      code: 'custom',
      path: ['background'],
      message: "transparent backgrounds need output_format 'png' or 'webp'",
    });
  }
};

export const generationSchema = z
  .strictObject({
    prompt: z.string().min(1).max(32_000),
    model: z.string().min(1),
    n: z.number().int().min(1).max(10).optional(),
    size: z.enum(SIZES).optional(),
    quality: z.enum(QUALITIES).optional(),
    output_format: z.enum(FORMATS).optional(),
    output_compression: z.number().int().min(0).max(100).optional(),
    background: z.enum(BACKGROUNDS).optional(),
    moderation: z.enum(['low', 'auto']).optional(),
    user: z.string().optional(),
    stream: z.boolean().optional(),
    partial_images: z.number().int().min(0).max(3).optional(),
  })
  .superRefine(transparentNeedsAlpha);
export type GenerationRequest = z.infer<typeof generationSchema>;

/** Multipart fields arrive as text; numbers are read from it as OpenAI's form parser does. */
const integerText = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'expected an integer').transform(Number).pipe(z.number().int().min(min).max(max));

export const editFieldsSchema = z
  .strictObject({
    prompt: z.string().min(1).max(32_000),
    model: z.string().min(1),
    n: integerText(1, 10).optional(),
    size: z.enum(SIZES).optional(),
    quality: z.enum(QUALITIES).optional(),
    output_format: z.enum(FORMATS).optional(),
    output_compression: integerText(0, 100).optional(),
    background: z.enum(BACKGROUNDS).optional(),
    input_fidelity: z.enum(['high', 'low']).optional(),
    user: z.string().optional(),
    stream: z.enum(['true', 'false']).optional(),
    partial_images: integerText(0, 3).optional(),
  })
  .superRefine(transparentNeedsAlpha);
export type EditFields = z.infer<typeof editFieldsSchema>;

/** Per-image token counts OpenAI publishes for gpt-image-1, by quality and size. */
const OUTPUT_TOKENS: Record<'low' | 'medium' | 'high', Record<'square' | 'oblong', number>> = {
  low: { square: 272, oblong: 408 },
  medium: { square: 1056, oblong: 1584 },
  high: { square: 4160, oblong: 6240 },
};

export function usageFor(
  prompt: string,
  size: string,
  quality: 'low' | 'medium' | 'high',
  n: number,
  inputImages: number,
) {
  const textTokens = Math.ceil(prompt.length / 4);
  const imageTokens = inputImages * 194;
  const output = OUTPUT_TOKENS[quality][size === '1024x1024' ? 'square' : 'oblong'] * n;
  return {
    input_tokens: textTokens + imageTokens,
    output_tokens: output,
    total_tokens: textTokens + imageTokens + output,
    input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
  };
}
