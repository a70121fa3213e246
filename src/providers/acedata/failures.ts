import { codeForStatus, ProviderError, providerText, type ProviderErrorCode } from '../errors.js';
import type { ErrorMapper } from '../http.js';
import { errorBodySchema } from './schemas.js';

/**
 * AceData's code for an empty balance is not documented. Whatever it is (a 402, or a 403 such as
 * `used_up`), its code or message talks about balance, quota or credits; that wins over the status.
 */
const BALANCE = /balance|quota|credit|insufficient|used[_ ]up|recharge|top[ -]?up|余额|额度/i;
/** Midjourney's moderation wording ("Banned prompt detected", "Sorry! … community standards"). */
const MODERATION = /banned|moderation|nsfw|community (standards|guidelines)|inappropriate|sensitive|prohibited|violat/i;
/** "forbidden" alone also marks a rejected prompt, but only where it cannot be a key's 403. */
const FORBIDDEN = /forbidden/i;

export interface FailureFacts {
  /** HTTP status, when the failure was an HTTP answer; absent for a task that failed. */
  status?: number;
  code?: string | null;
  message?: string | null;
}

/** Decides the stable code for an AceData failure from its status, code and message. */
export function failureCode({ status, code, message }: FailureFacts): ProviderErrorCode {
  const providerCode = (code ?? '').toLowerCase();
  const words = `${providerCode} ${message ?? ''}`;
  if (status === 402 || BALANCE.test(words)) return 'credits';
  const authStatus = status === 401 || status === 403;
  if (MODERATION.test(words) || (!authStatus && FORBIDDEN.test(words))) return 'content_rejected';
  if (authStatus || providerCode === 'invalid_token' || providerCode === 'token_mismatched') return 'auth';
  if (status === 429 || providerCode === 'too_many_requests') return 'rate_limited';
  if (providerCode === 'api_not_implemented') return 'unsupported';
  if (providerCode === 'bad_request' || providerCode === 'invalid_request') return 'invalid_input';
  if (providerCode === 'api_error' || providerCode === 'timeout') return 'transient';
  if (status !== undefined) return codeForStatus(status);
  return 'unknown';
}

/** A user sentence for failures where AceData's own words help (Midjourney's parameter errors). */
function userMessageFor(code: ProviderErrorCode, message: string | null | undefined): string | undefined {
  if (code !== 'invalid_input' || !message || message.length > 200) return undefined;
  const shown = providerText(message);
  return shown ? `The image service could not accept this request: ${shown}` : undefined;
}

/** Builds the ProviderError for a failure; `where` names the method and path for the log. */
export function acedataFailure(where: string, facts: FailureFacts): ProviderError {
  const code = failureCode(facts);
  const described = facts.code
    ? `${facts.code}${facts.message ? `: ${facts.message}` : ''}`
    : (facts.message ?? 'failed');
  return new ProviderError(
    code,
    `acedata ${where}: ${facts.status === undefined ? '' : `HTTP ${facts.status} `}${described}`,
    {
      userMessage: userMessageFor(code, facts.message),
      status: facts.status,
      providerCode: facts.code ?? undefined,
      providerMessage: facts.message ?? undefined,
    },
  );
}

/**
 * The `mapError` hook for ProviderHttp: reads `{success:false, error:{code,message}, trace_id}`.
 * A body in another form falls back to the status alone.
 */
export const mapAcedataError: ErrorMapper = (status, body) => {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const detail = parsed.data.error;
  const where = `(trace ${parsed.data.trace_id ?? 'none'})`;
  if (!detail)
    return acedataFailure(where, { status, message: typeof body === 'string' ? body.slice(0, 300) : undefined });
  return acedataFailure(where, { status, code: detail.code, message: detail.message });
};
