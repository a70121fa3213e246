import { z } from 'zod';
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

const envelopeSchema = z.object({ code: z.number(), message: z.string().nullish(), data: z.unknown() });

function buildEnvelope<Data extends z.ZodType>(where: string, data: Data) {
  return envelopeSchema.transform((body, context): z.infer<Data> => {
    if (body.code !== 200) throw apixoRefusal(where, body.code, body);
    const parsed = data.safeParse(body.data);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      context.addIssue({ ...issue, code: 'custom', path: ['data', ...issue.path], message: issue.message });
    return z.NEVER;
  });
}

const envelopes = new Map<string, WeakMap<z.ZodType, ReturnType<typeof buildEnvelope>>>();

/**
 * A schema for one endpoint's answer: checks the envelope, throws the refusal when `code` is not
 * 200 (thrown from inside parsing so the shared client's retry policy sees it), returns `data`.
 * Built once per endpoint and data schema: a new zod schema compiles its parser again on first use.
 */
export function envelope<Data extends z.ZodType>(where: string, data: Data): ReturnType<typeof buildEnvelope<Data>> {
  let byData = envelopes.get(where);
  if (!byData) envelopes.set(where, (byData = new WeakMap()));
  const cached = byData.get(data) as ReturnType<typeof buildEnvelope<Data>> | undefined;
  if (cached) return cached;
  const built = buildEnvelope(where, data);
  byData.set(data, built);
  return built;
}

/** The callback body is the status envelope itself (https://apixo.ai/docs/api-reference/webhooks). */
export function parseEnvelope<Data extends z.ZodType>(where: string, data: Data, body: unknown): z.infer<Data> {
  const result = envelope(where, data).safeParse(body);
  if (result.success) return result.data;
  throw new ProviderError(
    'invalid_input',
    `${where}: unrecognised body: ${result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
  );
}
