import { createHash } from 'node:crypto';
import type { RateLimitWindow } from './limits.js';

/** One bucket a request counts against. `scope` is what a 429 from it reports. */
export interface BucketCheck {
  /** Names the bucket across major parameters; its hash is `X-RateLimit-Bucket`. */
  name: string;
  /** Major parameter (channel id, webhook id + token, guild id, bot token for the global limit). */
  major: string;
  window: RateLimitWindow;
  scope: 'user' | 'shared' | 'global';
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Set when refused. */
  retryAfterMs?: number;
  scope?: BucketCheck['scope'];
}

interface BucketState {
  windowStart: number;
  count: number;
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/**
 * Fixed-window buckets with Discord's headers (developers/topics/rate-limits.mdx).
 * Windows run on real time, not the emulator clock: discord.js waits out a 429 in real time, so a
 * manual clock that never moved would keep it limited forever.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, BucketState>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Counts a request against every bucket, or refuses it if any is exhausted (counting nothing).
   * Headers describe `reported`, the route's own bucket, which is what clients track.
   */
  take(checks: readonly BucketCheck[], reported: BucketCheck | undefined): RateLimitDecision {
    const now = this.now();
    const states = checks.map((check) => ({ check, state: this.#state(check, now) }));
    const blocked = states.find(({ check, state }) => state.count >= check.window.limit);
    if (blocked) {
      const retryAfterMs = blocked.state.windowStart + blocked.check.window.windowMs - now;
      const headers: Record<string, string> = {
        ...(reported ? this.#headers(reported, now) : {}),
        'Retry-After': seconds(retryAfterMs),
        'X-RateLimit-Scope': blocked.check.scope,
      };
      if (blocked.check.scope === 'global') headers['X-RateLimit-Global'] = 'true';
      return { allowed: false, headers, retryAfterMs, scope: blocked.check.scope };
    }
    for (const { state } of states) state.count += 1;
    return { allowed: true, headers: reported ? this.#headers(reported, now) : {} };
  }

  #state(check: BucketCheck, now: number): BucketState {
    const key = `${check.name}\u0000${check.major}`;
    let state = this.#buckets.get(key);
    if (!state || now >= state.windowStart + check.window.windowMs) {
      state = { windowStart: now, count: 0 };
      this.#buckets.set(key, state);
    }
    return state;
  }

  #headers(check: BucketCheck, now: number): Record<string, string> {
    const state = this.#state(check, now);
    const resetAt = state.windowStart + check.window.windowMs;
    return {
      'X-RateLimit-Limit': String(check.window.limit),
      'X-RateLimit-Remaining': String(Math.max(0, check.window.limit - state.count)),
      'X-RateLimit-Reset': seconds(resetAt),
      'X-RateLimit-Reset-After': seconds(resetAt - now),
      'X-RateLimit-Bucket': createHash('sha1').update(check.name).digest('hex').slice(0, 16),
    };
  }
}
