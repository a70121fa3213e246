import { z } from 'zod';
import { envelopeSchemas } from '../envelope.js';
import { ProviderError } from '../errors.js';
import { apixoRefusal } from './failures.js';

/**
 * Response bodies, from https://apixo.ai/docs/api-reference/status-task and the Midjourney page.
 * Every answer is the envelope `{code, message, data}`; a 200 whose `code` is not 200 is a refusal.
 */

export const submitDataSchema = z.object({ taskId: z.string().min(1) });

/** `resultJson` is documented as a JSON *string*; an object is accepted too, in case that changes. */
const resultJsonSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // left as a string so the object schema below reports it
    }
  },
  z.object({ resultUrls: z.array(z.string()) }),
);

export const statusDataSchema = z.object({
  taskId: z.string().min(1),
  // Documented: pending, processing, success, failed. Other words are kept and read as "running".
  state: z.string(),
  resultJson: resultJsonSchema.nullish(),
  failCode: z.string().nullish(),
  failMsg: z.string().nullish(),
  createTime: z.number().nullish(),
  completeTime: z.number().nullish(),
  costTime: z.number().nullish(),
});
export type StatusData = z.infer<typeof statusDataSchema>;

/** Every answer's envelope: see envelopeSchemas. */
export const envelope = envelopeSchemas(
  z.object({ code: z.number(), message: z.string().nullish(), data: z.unknown() }),
  apixoRefusal,
);

/** The callback body is the status envelope itself (https://apixo.ai/docs/api-reference/webhooks). */
export function parseEnvelope<Data extends z.ZodType>(where: string, data: Data, body: unknown): z.infer<Data> {
  const result = envelope(where, data).safeParse(body);
  if (result.success) return result.data;
  throw new ProviderError(
    'invalid_input',
    `${where}: unrecognised body: ${result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
  );
}
