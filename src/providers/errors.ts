/** The stable error codes every provider failure is mapped to (see shared/STYLE.md §5). */
export const PROVIDER_ERROR_CODES = [
  'auth',
  'credits',
  'rate_limited',
  'content_rejected',
  'invalid_input',
  'unsupported',
  'transient',
  'unknown',
] as const;
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

/** What a user reads for each code. Short, no provider internals, no secrets. */
export const USER_MESSAGES: Record<ProviderErrorCode, string> = {
  auth: 'The image service rejected this server’s API key. An admin needs to check the key in the bot’s configuration.',
  credits: 'The image service account is out of credits. An admin needs to top it up before new images can be made.',
  rate_limited: 'The image service is busy right now (rate limited). Please try again in a minute.',
  content_rejected: 'The image service’s moderation rejected this request. Try rewording the prompt.',
  invalid_input: 'The image service could not accept this request as written.',
  unsupported: 'This image service cannot do that action.',
  transient: 'The image service had a temporary problem. Please try again.',
  unknown: 'Something went wrong at the image service.',
};

export interface ProviderErrorOptions {
  /** The sentence a user sees; defaults to the code's sentence. */
  userMessage?: string;
  /** HTTP status, when the failure came from an HTTP answer. */
  status?: number;
  /** The provider's own code and message, kept for the log. */
  providerCode?: string;
  providerMessage?: string;
  /** When the provider asked us to wait before trying again. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A provider failure with a stable `code`. `message` names the provider, the method and the URL
 * path (for the log); `userMessage` is what the user reads.
 */
export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly userMessage: string;
  readonly status?: number;
  readonly providerCode?: string;
  readonly providerMessage?: string;
  readonly retryAfterMs?: number;

  constructor(code: ProviderErrorCode, message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // The code in the name, as discord.js writes `DiscordAPIError[50035]`: the stack's first line, String(error)
    // and pino's serialised `name` then say what kind of failure it was without reading further.
    // Set before anything reads `stack`, whose first line V8 formats on first access.
    this.name = `ProviderError[${code}]`;
    this.code = code;
    this.userMessage = options.userMessage ?? USER_MESSAGES[code];
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.providerMessage = options.providerMessage;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether trying the same call again later may succeed. */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'transient';
  }

  /** A plain object for storing in a job record and for structured logs. */
  toJSON(): ProviderFailure {
    return {
      code: this.code,
      userMessage: this.userMessage,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.providerCode === undefined ? {} : { providerCode: this.providerCode }),
      ...(this.providerMessage === undefined ? {} : { providerMessage: this.providerMessage }),
    };
  }
}

/** A failure as stored with a job or carried in a task update. */
export interface ProviderFailure {
  code: ProviderErrorCode;
  userMessage: string;
  status?: number;
  providerCode?: string;
  providerMessage?: string;
}

/** Maps an HTTP status with no better information to a code. */
export function codeForStatus(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'credits';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 404 || status === 405 || status === 413 || status === 422) return 'invalid_input';
  if (status === 408 || status >= 500) return 'transient';
  return 'unknown';
}

/** Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Longest piece of a provider's own words shown to members. */
const PROVIDER_TEXT_MAX = 160;

/**
 * A provider's own words, made safe to show in a public message: links, mentions, markdown and
 * control characters removed (a provider error can echo anything, a prompt's URLs included), the
 * rest collapsed and cut short. What the provider said in full stays in the log.
 */
export function providerText(text: string): string {
  const plain = text
    // Control characters are exactly what is being removed.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\b(?:https?|ftp):\/\/\S+/gi, '(link)')
    .replace(/<[@#][!&]?\d+>|@(?:everyone|here)\b/gi, '')
    .replace(/[`*_~|>#[\]\\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length <= PROVIDER_TEXT_MAX ? plain : `${plain.slice(0, PROVIDER_TEXT_MAX - 1)}…`;
}
