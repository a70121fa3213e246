import { afterEach, describe, expect, it } from 'vitest';
import { LocalChannelPacer, type ChannelLimit, type ChannelPacer } from '../../src/discord/channel-pacer.js';
import { RedisChannelPacer } from '../../src/discord/redis-channel-pacer.js';
import { createLogger } from '../../src/logger.js';
import { reachable, TEST_REDIS_URL, uniqueName } from '../services.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LIMIT: ChannelLimit = { count: 3, windowMs: 400 };

/** One implementation: `make()` is one process's pacer; several from one implementation are several processes. */
interface Implementation {
  name: string;
  /** Whether pacers made by several processes count one channel's writes together. */
  shared: boolean;
  make(limit: ChannelLimit): Promise<ChannelPacer>;
}

const made: ChannelPacer[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((pacer) => pacer.close()));
});

const local: Implementation = {
  name: 'in this process (one machine)',
  shared: false,
  make: (limit) => Promise.resolve(new LocalChannelPacer(limit)),
};

function redis(): Implementation {
  const prefix = uniqueName('pace');
  return {
    name: 'on Redis (several processes)',
    shared: true,
    make: (limit) => RedisChannelPacer.open({ redisUrl: TEST_REDIS_URL, prefix, limit, logger }),
  };
}

const implementations = [local, ...((await reachable('redis')) ? [redis()] : [])];

describe.each(implementations)('ChannelPacer $name', (implementation) => {
  const make = async (limit = LIMIT) => {
    const pacer = await implementation.make(limit);
    made.push(pacer);
    return pacer;
  };

  it('GIVEN a full window THEN the next write waits until the oldest leaves it, and is then taken', async () => {
    const pacer = await make();
    const started = Date.now();
    expect([await pacer.take('c1'), await pacer.take('c1'), await pacer.take('c1')]).toEqual([0, 0, 0]);
    const wait = await pacer.take('c1');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(LIMIT.windowMs - (Date.now() - started) + 100);
    // Refused takes count nothing: asking again at once is still refused, not further behind.
    expect(await pacer.take('c1')).toBeGreaterThan(0);
    await sleep(wait);
    expect(await pacer.take('c1')).toBe(0);
  });

  it('GIVEN two channels THEN each has a window of its own', async () => {
    const pacer = await make();
    for (let index = 0; index < LIMIT.count; index += 1) expect(await pacer.take('busy')).toBe(0);
    expect(await pacer.take('busy')).toBeGreaterThan(0);
    expect(await pacer.take('quiet')).toBe(0);
  });

  it('GIVEN writes recorded without asking THEN they fill the window like taken ones', async () => {
    const pacer = await make();
    await pacer.record('c2');
    await pacer.record('c2');
    expect(await pacer.take('c2')).toBe(0);
    expect(await pacer.take('c2')).toBeGreaterThan(0);
    // A recorded write is counted even past the limit (it was made already).
    await pacer.record('c2');
    await sleep(LIMIT.windowMs + 60);
    expect(await pacer.take('c2')).toBe(0);
  });

  it(
    implementation.shared
      ? 'GIVEN two processes taking at once in one channel THEN exactly the limit is taken between them'
      : 'GIVEN two processes THEN each paces its own writes only',
    async () => {
      const [first, second] = [await make({ count: 5, windowMs: 2_000 }), await make({ count: 5, windowMs: 2_000 })];
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => (index % 2 === 0 ? first : second).take('shared')),
      );
      const taken = results.filter((wait) => wait === 0).length;
      expect(taken).toBe(implementation.shared ? 5 : 8);
    },
  );
});

describe('RedisChannelPacer without Redis', () => {
  it('GIVEN Redis unreachable THEN it still paces, in this process', async () => {
    const pacer = await RedisChannelPacer.open({
      redisUrl: 'redis://127.0.0.1:1',
      prefix: 'none',
      limit: LIMIT,
      logger,
    });
    made.push(pacer);
    expect([await pacer.take('c'), await pacer.take('c'), await pacer.take('c')]).toEqual([0, 0, 0]);
    expect(await pacer.take('c')).toBeGreaterThan(0);
  });
});
