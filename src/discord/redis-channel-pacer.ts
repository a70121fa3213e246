import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisConnection } from '../jobs/queue/bullmq-step-queue.js';
import type { Logger } from '../logger.js';
import {
  DISCORD_CHANNEL_LIMIT,
  LocalChannelPacer,
  PACING_MARGIN_MS,
  type ChannelLimit,
  type ChannelPacer,
} from './channel-pacer.js';

/**
 * One sliding window per channel in a sorted set (score: the write's time), checked and taken in
 * one script, so two processes never both take the last write. Time is Redis's own clock, the
 * same for every process whatever their clocks say. Returns 0 once taken (or recorded), else the
 * milliseconds until the oldest write leaves the window.
 */
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local windowMs = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
if ARGV[4] == 'record' or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], windowMs)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + windowMs - now)
`;

export interface RedisChannelPacerOptions {
  redisUrl: string;
  /** The Redis key prefix every process of one bot shares. */
  prefix: string;
  limit?: ChannelLimit;
  logger: Logger;
}

/**
 * Distributed mode's pacer: every process counts one channel's writes in the same window. With
 * Redis unreachable it paces in this process alone until Redis answers again (a write held until
 * then would leave members without their results; the Discord proxy still guards the limit).
 */
export class RedisChannelPacer implements ChannelPacer {
  private readonly fallback: LocalChannelPacer;
  private readonly limit: ChannelLimit;
  private readonly member = randomBytes(6).toString('hex');
  private writes = 0;
  private degraded = false;

  private constructor(
    private readonly redis: Redis,
    private readonly options: RedisChannelPacerOptions,
  ) {
    this.limit = options.limit ?? DISCORD_CHANNEL_LIMIT;
    this.fallback = new LocalChannelPacer(this.limit);
  }

  /** Loads ioredis (an optional dependency) and connects. */
  static async open(options: RedisChannelPacerOptions): Promise<RedisChannelPacer> {
    const { Redis } = await import('ioredis');
    // Fail fast rather than queue: a write waits for its pacing, not for a reconnect.
    const redis = new Redis({
      ...redisConnection(options.redisUrl),
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    redis.on('error', () => undefined);
    await redis.connect().catch((error: unknown) => {
      options.logger.warn({ err: error }, 'channel pacing: Redis unreachable, pacing in this process until it answers');
    });
    return new RedisChannelPacer(redis, options);
  }

  take(channelId: string): Promise<number> {
    return this.run(channelId, 'take', () => this.fallback.take(channelId));
  }

  async record(channelId: string): Promise<void> {
    await this.run(channelId, 'record', async () => {
      await this.fallback.record(channelId);
      return 0;
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.fallback.close();
  }

  private async run(channelId: string, mode: 'take' | 'record', fallback: () => Promise<number>): Promise<number> {
    this.writes += 1;
    try {
      const wait = (await this.redis.eval(
        TAKE,
        1,
        `${this.options.prefix}:pace:${channelId}`,
        this.limit.count,
        this.limit.windowMs,
        `${this.member}:${this.writes}`,
        mode,
      )) as number;
      if (this.degraded) this.options.logger.info('channel pacing: Redis answers again, pacing shared');
      this.degraded = false;
      return wait === 0 ? 0 : wait + PACING_MARGIN_MS;
    } catch (error) {
      if (!this.degraded)
        this.options.logger.warn({ err: error }, 'channel pacing: Redis unreachable, pacing in this process');
      this.degraded = true;
      return fallback();
    }
  }
}
