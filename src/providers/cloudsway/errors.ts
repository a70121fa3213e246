import { z } from 'zod';
import { codeForStatus, ProviderError, type ProviderErrorCode } from '../errors.js';
import type { ErrorMapper } from '../http.js';

/**
 * Cloudsway's own error format is not documented for either API (CONTRACTS.md §A, §B: UNKNOWN).
 * Both adapters therefore read the two formats the gateway plausibly passes through, and raw text:
 * - Youchuan's `{code, message, reason}` (the upstream of MaaS-MJ);
 * - OpenAI's `{error: {message, type, code, param}}` (what gpt-image-1 clients expect);
 * - anything else: the HTTP status decides, the text is kept for the log.
 */
export const youchuanErrorSchema = z.object({
  code: z.union([z.number(), z.string()]),
  message: z.string().optional(),
  reason: z.string().optional(),
});

export const openAiErrorSchema = z.object({
  error: z.object({
    message: z.string().nullish(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
    param: z.string().nullish(),
  }),
});

/** Youchuan's `reason` values (CONTRACTS.md §A "Errors"), by the stable code they mean. */
const YOUCHUAN_REASONS: Record<string, ProviderErrorCode> = {
  Invalid_Argument: 'invalid_input',
  Invalid_Prompt_Parameter: 'invalid_input',
  Cancel_Job_Not_Runnig: 'invalid_input',
  Job_ReUpscale_Not_Support: 'unsupported',
  Invalid_App_Identifier: 'auth',
  Account_Fee_Not_Enough: 'credits',
  No_More_Relax_Credit: 'credits',
  // No plan on the account: nothing can be made until an admin buys one, as with empty credits.
  No_Avaliable_Plan: 'credits',
  Permission_Denied: 'auth',
  Msg_Sensitive: 'content_rejected',
  Relax_Not_Allow: 'unsupported',
  Upscale_Not_Support: 'unsupported',
  Not_Support: 'unsupported',
  Max_Concurrent_Limited: 'rate_limited',
  Internal_Server_Error: 'transient',
  Server_Busy: 'transient',
  Request_Timout: 'transient',
};

/** OpenAI's error `code`/`type` values (gpt-image-1), by the stable code they mean. */
const OPENAI_CODES: Record<string, ProviderErrorCode> = {
  invalid_api_key: 'auth',
  // OpenAI answers an empty balance with 429; it is not a rate limit and waiting does not help.
  insufficient_quota: 'credits',
  billing_hard_limit_reached: 'credits',
  moderation_blocked: 'content_rejected',
  content_policy_violation: 'content_rejected',
  rate_limit_exceeded: 'rate_limited',
  server_error: 'transient',
  invalid_value: 'invalid_input',
  missing_required_parameter: 'invalid_input',
  unknown_parameter: 'invalid_input',
  model_not_found: 'invalid_input',
};

/** User sentences where the generic one would mislead. */
const USER_MESSAGES_BY_REASON: Record<string, string> = {
  Relax_Not_Allow: 'This image service account cannot use --relax. Try again without it, or with --fast.',
  No_More_Relax_Credit: 'The image service account has no relax credit left. Try --fast, or ask an admin to top it up.',
  Job_ReUpscale_Not_Support: 'This image has already been upscaled; it cannot be upscaled again.',
  Upscale_Not_Support: 'The image service cannot upscale this image (its model version has no upscaler).',
};

export interface ErrorFacts {
  status?: number;
  providerCode?: string;
  message?: string;
}

/** Reads any body into the provider's code and message, or undefined when it is not an error body. */
export function readErrorBody(body: unknown): ErrorFacts | undefined {
  const openAi = openAiErrorSchema.safeParse(body);
  if (openAi.success) {
    // With no `code`, the `type` is the best name we have; a generic type falls back to the status.
    const { code, type, message } = openAi.data.error;
    return {
      providerCode: code === null || code === undefined ? (type ?? undefined) : String(code),
      message: message ?? undefined,
    };
  }
  const youchuan = youchuanErrorSchema.safeParse(body);
  if (youchuan.success) {
    const { code, reason, message } = youchuan.data;
    return {
      providerCode: reason ?? String(code),
      message,
      status: Number.isInteger(Number(code)) ? Number(code) : undefined,
    };
  }
  // A gateway's own answer (an unrouted path, a proxy error) often carries just a message.
  const plain = z.object({ message: z.string() }).safeParse(body);
  return plain.success ? { message: plain.data.message } : undefined;
}

const KNOWN_CODES = [...Object.keys(YOUCHUAN_REASONS), ...Object.keys(OPENAI_CODES)];

/**
 * A body that is not JSON (a proxy page, a gateway's plain text). A 429 alone cannot tell a rate
 * limit from an empty balance, so a known reason or code named in the text is used when present.
 */
function readErrorText(body: unknown): ErrorFacts {
  const text = typeof body === 'string' ? body.trim().slice(0, 300) : undefined;
  const named = text === undefined ? undefined : KNOWN_CODES.find((code) => new RegExp(`\\b${code}\\b`).test(text));
  return { providerCode: named, message: text };
}

/** The stable code for a provider code, falling back to the HTTP status. */
export function codeFor(providerCode: string | undefined, status: number | undefined): ProviderErrorCode {
  const known = providerCode === undefined ? undefined : (YOUCHUAN_REASONS[providerCode] ?? OPENAI_CODES[providerCode]);
  if (known) return known;
  if (status !== undefined && status >= 400) return codeForStatus(status);
  return 'unknown';
}

/**
 * Builds the ProviderError for a failed call. `label` names the provider, method and path; only the
 * provider's words (never a header) reach the message.
 */
export function cloudswayError(label: string, facts: ErrorFacts): ProviderError {
  const code = codeFor(facts.providerCode, facts.status);
  const detail = [facts.providerCode, facts.message].filter((part) => part !== undefined && part !== '').join(': ');
  return new ProviderError(
    code,
    `${label}: ${facts.status === undefined ? '' : `HTTP ${facts.status} `}${detail || 'failed'}`.trim(),
    {
      userMessage: facts.providerCode === undefined ? undefined : USER_MESSAGES_BY_REASON[facts.providerCode],
      status: facts.status,
      providerCode: facts.providerCode,
      providerMessage: facts.message?.slice(0, 300),
    },
  );
}

/**
 * The `mapError` hook for ProviderHttp. The Youchuan body carries its own `code`, which may differ
 * from the HTTP status a gateway chose; the HTTP status is what we saw, so it is kept as `status`.
 */
export function cloudswayErrorMapper(provider: string): ErrorMapper {
  return (status, body) => {
    const facts = readErrorBody(body) ?? readErrorText(body);
    return cloudswayError(provider, { ...facts, status });
  };
}
