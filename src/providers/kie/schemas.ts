import { z } from 'zod';
import { envelopeSchemas } from '../envelope.js';
import { ProviderError } from '../errors.js';
import { kieRefusal } from './failures.js';

/**
 * Kie's bodies: every answer is `{code, msg, data}`; a 200 whose `code` is not 200 is a refusal.
 * https://docs.kie.ai/mj-api/get-mj-task-details, https://docs.kie.ai/mj-api/generate-mj-image-callbacks
 */

export const submitDataSchema = z.object({ taskId: z.string().min(1) });

/** A JSON string or the object itself: record-info documents an object, the sibling fields are strings. */
function jsonOrObject<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, schema);
}

/** `resultUrls` items are `{resultUrl}` objects in record-info and plain strings in callbacks. */
const resultUrlSchema = z
  .union([z.string(), z.object({ resultUrl: z.string() })])
  .transform((item) => (typeof item === 'string' ? item : item.resultUrl));

export const recordDataSchema = z.object({
  taskId: z.string().min(1),
  taskType: z.string().nullish(),
  paramJson: z.string().nullish(),
  // successFlag: 0 generating, 1 success, 2 failed, 3 generation failed.
  successFlag: z.number().int(),
  resultInfoJson: jsonOrObject(z.object({ resultUrls: z.array(resultUrlSchema).nullish() })).nullish(),
  errorCode: z.union([z.number(), z.string()]).nullish(),
  errorMessage: z.string().nullish(),
  createTime: z.union([z.string(), z.number()]).nullish(),
  completeTime: z.union([z.string(), z.number()]).nullish(),
});
export type RecordData = z.infer<typeof recordDataSchema>;

export const callbackSchema = z.object({
  code: z.number(),
  msg: z.string().nullish(),
  data: z.object({
    taskId: z.string().min(1),
    promptJson: z.string().nullish(),
    resultUrls: z.array(resultUrlSchema).nullish(),
  }),
});
export type CallbackBody = z.infer<typeof callbackSchema>;

/** Every answer's envelope: see envelopeSchemas. */
export const envelope = envelopeSchemas(
  z.object({ code: z.number(), msg: z.string().nullish(), data: z.unknown() }),
  kieRefusal,
);

export function parseCallbackBody(body: unknown): CallbackBody {
  const result = callbackSchema.safeParse(body);
  if (result.success) return result.data;
  throw new ProviderError(
    'invalid_input',
    `kie callback: unrecognised body: ${result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
  );
}
