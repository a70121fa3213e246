import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes carry milliseconds since it in their top bits. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Makes snowflake ids from the emulator clock. discord.js reads the timestamp out of message ids
 * and @discordjs/rest buckets on `\d{17,19}`, so ids must be real, numeric, increasing snowflakes.
 */
export class SnowflakeGenerator {
  #last = 0n;

  constructor(private readonly clock: Clock) {}

  next(): string {
    const fromClock = (BigInt(this.clock.now()) - DISCORD_EPOCH) << 22n;
    // Monotonic even when many ids are made in one millisecond or the clock is not moving.
    this.#last = fromClock > this.#last ? fromClock : this.#last + 1n;
    return this.#last.toString();
  }

  /** An id that gateway shard `shard` of `shardCount` owns: `(id >> 22) % shardCount === shard`. */
  nextOnShard(shard: number, shardCount: number): string {
    for (;;) {
      const id = this.next();
      if (shardOf(id, shardCount) === shard) return id;
      // Move to the next millisecond; only the timestamp bits decide the shard.
      this.#last = ((this.#last >> 22n) + 1n) << 22n;
    }
  }
}

/** The shard that owns a guild, as Discord computes it. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Snowflake → epoch milliseconds. */
export function timestampOf(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** Tokens stay in `[A-Za-z0-9_-]` so discord.js's route helpers never percent-encode them. */
export function randomToken(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}
