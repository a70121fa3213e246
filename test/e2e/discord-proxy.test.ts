import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/run.js';
import { Database } from '../../src/store/postgres/database.js';
import { reachable, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../services.js';
import { registerCommands, startBotProcess, startNodeProcess, type BotProcess } from './bot-process.js';
import { finished } from './support.js';

const services = (await reachable('postgres')) && (await reachable('redis'));

/** Lower than Discord's 50 per second, so that two processes' publishers exceed it between them. */
const GLOBAL_PER_SECOND = 4;

/**
 * Scenario 7 of issue 15: two bot processes publishing in one channel share Discord's limits only
 * when their REST goes through one @discordjs/proxy (`npm run discord-proxy`).
 */
describe.runIf(services)('Discord REST through one @discordjs/proxy, two bot processes', () => {
  let sandbox: Sandbox;
  const processes: BotProcess[] = [];
  const schema = uniqueName('proxy');
  const prefix = uniqueName('proxy');
  beforeAll(async () => {
    sandbox = await startSandbox({
      logger: createLogger({ level: 'silent' }),
      providers: ['kie'],
      defaultProvider: 'kie',
      timeScale: 0.05,
      simulator: { imageEdge: 64 },
      startBot: false,
      emulator: { limits: { globalPerSecond: GLOBAL_PER_SECOND } },
      environment: {
        DATABASE_URL: TEST_DATABASE_URL,
        REDIS_URL: TEST_REDIS_URL,
        DATABASE_SCHEMA: schema,
        REDIS_PREFIX: prefix,
        CALLBACK_PORT: '0',
        SHARD_COUNT: '2',
        // These tests follow each job's own message (late results are another test's subject).
        RESULT_PING_AFTER_MS: '3600000',
      },
    });
    await registerCommands(sandbox.emulator);
  });
  afterAll(async () => {
    await sandbox?.stop();
    const database = await Database.open(TEST_DATABASE_URL, createLogger({ level: 'silent' }), { schema });
    await database.dropSchema();
    await database.close();
    const { Redis } = await import('ioredis');
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((process) => process.kill('SIGKILL')));
  });

  /** Both shards' processes with `apiUrl` as their Discord; ten jobs in one channel, steps run by either. */
  async function tenJobsInOneChannel(apiUrl: string): Promise<{ edits: number[] }> {
    const { emulator } = sandbox;
    const owner = Number((BigInt(emulator.seed.guildId) >> 22n) % 2n);
    const bots = await Promise.all(
      [owner, 1 - owner].map((shard) =>
        startBotProcess({ ...sandbox.environment, DISCORD_API_URL: apiUrl, SHARD_IDS: String(shard) }),
      ),
    );
    processes.push(...bots);
    const replies = [];
    for (const userId of [emulator.seed.users.alice, emulator.seed.users.bob])
      for (let index = 0; index < 5; index += 1)
        replies.push(
          await emulator.slashCommand(
            {
              userId,
              channelId: emulator.seed.channels.imagine,
              name: 'imagine',
              options: { prompt: `a paper lantern ${index}` },
            },
            { wait: 'ack' },
          ),
        );
    const grids = await Promise.all(
      replies.map((reply) =>
        emulator.waitForMessage(
          emulator.seed.channels.imagine,
          (message) => message.id === reply.originalMessageId && finished(message),
          { timeoutMs: 90_000 },
        ),
      ),
    );
    expect(grids.map((grid) => grid.attachments.length)).toEqual(Array.from({ length: 10 }, () => 1));
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
    // Each process edited messages in the channel: its own count of PATCH responses.
    const edits = await Promise.all(
      bots.map(async (bot) => {
        const { port } = JSON.parse(await bot.waitForLine('callback receiver listening')) as { port: number };
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return metrics
          .split('\n')
          .filter((line) => line.startsWith('bot_discord_responses_total{') && line.includes('method="PATCH"'))
          .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
      }),
    );
    return { edits };
  }

  it('GIVEN the bots send straight to Discord THEN their publishers together run into 429s', async () => {
    const { emulator } = sandbox;
    const before = emulator.rateLimitHits().length;
    const { edits } = await tenJobsInOneChannel(emulator.restUrl);
    expect(edits.every((count) => count > 0)).toBe(true);
    expect(emulator.rateLimitHits().length - before).toBeGreaterThan(0);
  }, 150_000);

  it('GIVEN both bots send through one proxy THEN Discord answers no 429, and every job is delivered', async () => {
    const { emulator } = sandbox;
    const proxy = await startNodeProcess(
      'src/discord-proxy.ts',
      {
        DISCORD_API_URL: emulator.restUrl,
        DISCORD_PROXY_PORT: '0',
        DISCORD_PROXY_GLOBAL_PER_SECOND: String(GLOBAL_PER_SECOND),
      },
      '"msg":"discord proxy listening"',
    );
    processes.push(proxy);
    const { apiUrl } = JSON.parse(await proxy.waitForLine('discord proxy listening')) as { apiUrl: string };
    expect((await fetch(apiUrl.replace(/\/api$/, '/healthz'))).status).toBe(200);
    const before = emulator.rateLimitHits().length;
    const { edits } = await tenJobsInOneChannel(apiUrl);
    expect(edits.every((count) => count > 0)).toBe(true);
    expect(emulator.rateLimitHits().slice(before)).toEqual([]);
    expect(proxy.lines.filter((line) => line.includes('Discord answered 429'))).toEqual([]);
  }, 150_000);
});
