import { afterEach, describe, expect, it } from 'vitest';
import { reachable } from '../services.js';
import { startBotProcess, startNodeProcess, type BotProcess } from './bot-process.js';
import { useDistributedRun } from './distributed-support.js';
import { finished } from './support.js';

const services = (await reachable('postgres')) && (await reachable('redis'));

/** Lower than Discord's 50 per second, so that two processes' publishers exceed it between them. */
const GLOBAL_PER_SECOND = 4;

/**
 * Scenario 7 of issue 15: two bot processes publishing in one channel share Discord's limits only
 * when their REST goes through one @discordjs/proxy (`npm run discord-proxy`).
 */
describe.runIf(services)('Discord REST through one @discordjs/proxy, two bot processes', () => {
  const run = useDistributedRun({
    emulator: { limits: { globalPerSecond: GLOBAL_PER_SECOND } },
    // These tests follow each job's own message (late results are another test's subject).
    environment: { SHARD_COUNT: '2', RESULT_PING_AFTER_MS: '3600000' },
  });
  const processes: BotProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((process) => process.kill('SIGKILL')));
  });

  /** Both shards' processes with `apiUrl` as their Discord; ten jobs in one channel, steps run by either. */
  async function tenJobsInOneChannel(apiUrl: string): Promise<{ edits: number[] }> {
    const { emulator } = run.sandbox;
    const { owner, other } = run.shards();
    const bots = await Promise.all(
      [owner, other].map((shard) =>
        // Under a global limit of 4 per second, a loaded machine takes a while to connect both.
        startBotProcess({ ...run.sandbox.environment, DISCORD_API_URL: apiUrl, SHARD_IDS: shard }, 90_000),
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

  it('GIVEN the bots send straight to Discord THEN, between them, they run into 429s', async () => {
    const { emulator } = run.sandbox;
    const before = emulator.rateLimitHits().length;
    const { edits } = await tenJobsInOneChannel(emulator.restUrl);
    expect(edits.every((count) => count > 0)).toBe(true);
    expect(emulator.rateLimitHits().length - before).toBeGreaterThan(0);
  }, 150_000);

  it('GIVEN both bots send through one proxy THEN Discord answers no 429, and every job is delivered', async () => {
    const { emulator } = run.sandbox;
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
