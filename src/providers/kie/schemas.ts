import { z } from 'zod';
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

const envelopeSchema = z.object({ code: z.number(), msg: z.string().nullish(), data: z.unknown() });

function buildEnvelope<Data extends z.ZodType>(where: string, data: Data) {
  return envelopeSchema.transform((body, context): z.infer<Data> => {
    if (body.code !== 200) throw kieRefusal(where, body.code, body);
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

export function parseCallbackBody(body: unknown): CallbackBody {
  const result = callbackSchema.safeParse(body);
  if (result.success) return result.data;
  throw new ProviderError(
    'invalid_input',
    `kie callback: unrecognised body: ${result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
  );
}
