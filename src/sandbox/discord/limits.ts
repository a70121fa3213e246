/** A fixed-window rate limit: at most `limit` requests per `windowMs`. */
export interface RateLimitWindow {
  limit: number;
  windowMs: number;
}

/**
 * The limits the emulator enforces that a test may want to tighten or loosen. Discord's fixed
 * payload limits (2000 characters, 5 rows, …) are not here: they are Discord's, not a setting.
 */
export interface Limits {
  /** Largest single uploaded file; announced to bots as `attachment_size_limit`. */
  attachmentBytesPerFile: number;
  /** Largest multipart request body (all files together). */
  attachmentBytesPerRequest: number;
  /** Time a bot has for the first interaction response. */
  initialResponseMs: number;
  /** Lifetime of an interaction token for follow-ups and edits. */
  interactionTokenMs: number;
  /** Requests per second per bot token across all bot-authenticated routes. */
  globalPerSecond: number;
  /** Message creates per channel. */
  messageCreate: RateLimitWindow;
  /** Message edits per channel, shared by channel edits and webhook edits of messages in it. */
  messageEdit: RateLimitWindow;
  /** Every other rate-limited route, per route and major parameter. */
  defaultRoute: RateLimitWindow;
}

const MIB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  attachmentBytesPerFile: 10 * MIB,
  attachmentBytesPerRequest: 25 * MIB,
  initialResponseMs: 3_000,
  interactionTokenMs: 15 * 60_000,
  globalPerSecond: 50,
  messageCreate: { limit: 5, windowMs: 5_000 },
  messageEdit: { limit: 5, windowMs: 5_000 },
  defaultRoute: { limit: 50, windowMs: 1_000 },
});

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
