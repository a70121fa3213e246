import { z } from 'zod';
import { codeForStatus, ProviderError, type ProviderErrorCode, type ProviderFailure } from '../errors.js';
import type { ErrorMapper } from '../http.js';

/**
 * Kie's codes live in the body's `code` (the same enum on every MJ endpoint); whether the HTTP
 * status mirrors them is UNKNOWN, so both paths end here (CONTRACTS.md §E).
 * https://docs.kie.ai/mj-api/generate-mj-image
 */
export const errorEnvelopeSchema = z.looseObject({
  code: z.union([z.number(), z.string()]).optional(),
  msg: z.string().nullish(),
  message: z.string().nullish(),
});

const MODERATION =
  /banned|violat|moderation|nsfw|sensitive|prohibited|inappropriate|flagged|safety|community (standards|guidelines)/i;

/** Stable code for a Kie code and its message. */
export function kieErrorCode(code: number, message: string): ProviderErrorCode {
  if (code === 402) return 'credits';
  if (MODERATION.test(message)) return 'content_rejected';
  switch (code) {
    case 455: // service unavailable (maintenance)
      return 'transient';
    case 501: // generation failed
      return 'unknown';
    case 505: // feature disabled
      return 'unsupported';
    default:
      return codeForStatus(code);
  }
}

function userMessageFor(code: number): string | undefined {
  if (code === 455) return 'The image service is down for maintenance. Please try again later.';
  if (code === 505) return 'This feature is switched off at the image service.';
  return undefined;
}

/** The ProviderError for a refusal; `where` names the method and path. `httpStatus` is absent for a 200 with an error code. */
export function kieRefusal(where: string, code: number, body: unknown, httpStatus?: number): ProviderError {
  const parsed = errorEnvelopeSchema.safeParse(body);
  const envelope = parsed.success ? parsed.data : undefined;
  const bodyCode = Number(envelope?.code);
  const effective = Number.isInteger(bodyCode) && bodyCode !== 200 ? bodyCode : code;
  const message = envelope?.msg ?? envelope?.message ?? (typeof body === 'string' ? body.slice(0, 200) : '');
  return new ProviderError(
    kieErrorCode(effective, message),
    `${where}: ${httpStatus === undefined ? '' : `HTTP ${httpStatus} `}code ${effective}${message ? ` (${message})` : ''}`,
    {
      userMessage: userMessageFor(effective),
      status: httpStatus,
      providerCode: String(effective),
      providerMessage: message || undefined,
    },
  );
}

/** The ProviderHttp hook for non-2xx answers; the body's `code` wins over the status when present. */
export const kieErrorMapper: ErrorMapper = (status, body) => kieRefusal('kie', status, body, status);

/**
 * A failed task (successFlag 2 "failed" or 3 "generation failed") → a failure. `errorCode` is an
 * int from the same enum; the message decides moderation.
 */
export function taskFailure(
  successFlag: number,
  errorCode: number | string | null | undefined,
  errorMessage: string | null | undefined,
): ProviderFailure {
  const numeric = Number(errorCode);
  const message = errorMessage ?? '';
  let code: ProviderErrorCode;
  if (MODERATION.test(message)) code = 'content_rejected';
  // A task that failed with 500 or 501 failed at generation; trying again is the user's call, not a retry's.
  else if (Number.isInteger(numeric) && numeric >= 400 && numeric !== 500) code = kieErrorCode(numeric, message);
  else code = 'unknown';
  return new ProviderError(code, `kie task failed (successFlag ${successFlag})`, {
    providerCode: errorCode === null || errorCode === undefined ? `successFlag ${successFlag}` : String(errorCode),
    providerMessage: errorMessage ?? undefined,
  }).toJSON();
}
