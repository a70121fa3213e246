import { z } from 'zod';
import { codeForStatus, ProviderError, type ProviderErrorCode, type ProviderFailure } from '../errors.js';
import type { ErrorMapper } from '../http.js';

/**
 * APIXO's error envelope `{code, message, data?}`, on non-2xx answers and (defensively) inside a
 * 200. The doc's example for an empty balance is `{"code":400,"message":"Insufficient credits"}`,
 * so the message decides "credits", not the status.
 * https://apixo.ai/docs/api-reference/response-format
 */
export const errorEnvelopeSchema = z.looseObject({
  code: z.union([z.number(), z.string()]).optional(),
  message: z.string().nullish(),
  msg: z.string().nullish(),
});

const BALANCE = /insufficient|balance|credit|quota/i;
const MODERATION = /violat|moderation|safety|nsfw|banned|prohibited|inappropriate|sensitive/i;

/** Stable code for an APIXO refusal from its HTTP status (or envelope code) and message. */
export function refusalCode(status: number, message: string): ProviderErrorCode {
  if (status === 402 || BALANCE.test(message)) return 'credits';
  return codeForStatus(status);
}

/** The ProviderError for a refusal; `where` names the method and path (`apixo POST /generateTask/midjourney`). */
export function apixoRefusal(where: string, status: number, body: unknown, httpStatus?: number): ProviderError {
  const parsed = errorEnvelopeSchema.safeParse(body);
  const envelope = parsed.success ? parsed.data : undefined;
  const message = envelope?.message ?? envelope?.msg ?? (typeof body === 'string' ? body.slice(0, 200) : '');
  const code = refusalCode(status, message);
  return new ProviderError(
    code,
    `${where}: ${httpStatus === undefined ? 'code' : 'HTTP'} ${status}${message ? ` (${message})` : ''}`,
    {
      status: httpStatus,
      providerCode: envelope?.code === undefined ? String(status) : String(envelope.code),
      providerMessage: message || undefined,
    },
  );
}

/** The ProviderHttp hook; the adapter puts the method and path in front of the message. */
export const apixoErrorMapper: ErrorMapper = (status, body) => apixoRefusal('apixo', status, body, status);

/**
 * A failed task's `failCode` → stable code. Documented: CONTENT_VIOLATION, INVALID_IMAGE_URL,
 * INVALID_TASK_ID; anything else (the full list is UNKNOWN) is judged by its words.
 */
export function taskFailure(failCode: string | null | undefined, failMsg: string | null | undefined): ProviderFailure {
  const words = `${failCode ?? ''} ${failMsg ?? ''}`;
  let code: ProviderErrorCode = 'unknown';
  if (failCode === 'CONTENT_VIOLATION' || MODERATION.test(words)) code = 'content_rejected';
  else if (failCode === 'INVALID_IMAGE_URL' || failCode === 'INVALID_TASK_ID' || /^INVALID_/.test(failCode ?? ''))
    code = 'invalid_input';
  else if (BALANCE.test(words)) code = 'credits';
  else if (/timeout|timed out|busy|unavailable/i.test(words)) code = 'transient';
  const error = new ProviderError(code, 'apixo task failed', {
    userMessage: userMessageFor(failCode),
    providerCode: failCode ?? undefined,
    providerMessage: failMsg ?? undefined,
  });
  return error.toJSON();
}

function userMessageFor(failCode: string | null | undefined): string | undefined {
  if (failCode === 'INVALID_IMAGE_URL')
    return 'The image service could not download an image it was given: a link in the prompt must be public, and an image it made earlier may have expired (upscale it again, then retry).';
  if (failCode === 'INVALID_TASK_ID')
    return 'The image service no longer knows the original task, so this button cannot be used.';
  return undefined;
}
