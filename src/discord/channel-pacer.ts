/** Writes allowed per channel per window; Discord allows 5 per 5 s. */
export interface ChannelLimit {
  count: number;
  windowMs: number;
}

export const DISCORD_CHANNEL_LIMIT: Readonly<ChannelLimit> = Object.freeze({ count: 5, windowMs: 5_000 });

/**
 * Paces the writes in each channel under its limit: a sliding window of the last `windowMs`. Two
 * implementations with one contract (test/discord/channel-pacer.contract.test.ts): in this process
 * for one machine, and on Redis for several processes, where one channel's writes are counted once
 * whichever process makes them.
 */
export interface ChannelPacer {
  /** Takes a write in the channel and resolves 0, or, when the window is full, takes nothing and resolves the milliseconds to wait before asking again. */
  take(channelId: string): Promise<number>;
  /** Counts a write made without asking (the second write of a step that was paced once). */
  record(channelId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A little margin on every wait: Discord's window and ours do not start at the same instant.
 */
export const PACING_MARGIN_MS = 50;

/** The pacer of one process: the times of its recent writes per channel. */
export class LocalChannelPacer implements ChannelPacer {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly limit: ChannelLimit = DISCORD_CHANNEL_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  take(channelId: string): Promise<number> {
    const now = this.now();
    const recent = this.recent(channelId, now);
    if (recent.length < this.limit.count) {
      recent.push(now);
      return Promise.resolve(0);
    }
    return Promise.resolve(recent[0]! + this.limit.windowMs - now + PACING_MARGIN_MS);
  }

  record(channelId: string): Promise<void> {
    const now = this.now();
    this.recent(channelId, now).push(now);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.sent.clear();
    return Promise.resolve();
  }

  /** The channel's writes within the window, oldest first; older ones are forgotten. */
  private recent(channelId: string, now: number): number[] {
    const recent = (this.sent.get(channelId) ?? []).filter((at) => now - at < this.limit.windowMs);
    this.sent.set(channelId, recent);
    return recent;
  }
}
