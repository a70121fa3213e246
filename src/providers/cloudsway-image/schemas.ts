import { z } from 'zod';

/**
 * `{created, data: [{b64_json}], usage}` (OpenAI's images response, which Cloudsway's page shows).
 * `url` is accepted too: OpenAI-compatible gateways return it for older models.
 */
const imageDataSchema = z.looseObject({
  b64_json: z.string().min(1).optional(),
  url: z.url().optional(),
  revised_prompt: z.string().optional(),
});

export const imagesResponseSchema = z.looseObject({
  created: z.number().optional(),
  data: z.array(imageDataSchema).min(1),
  usage: z.unknown().optional(),
});
export type ImagesResponse = z.infer<typeof imagesResponseSchema>;
