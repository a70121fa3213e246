import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/run.js';
import { Database } from '../../src/store/postgres/database.js';
import { reachable, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../services.js';
import { registerCommands, startBotProcess, type BotProcess } from './bot-process.js';
import { describeViolation, finished } from './support.js';

const services = (await reachable('postgres')) && (await reachable('redis'));

/** Real bot processes in distributed mode: PostgreSQL for records, BullMQ on Redis for steps. */
describe.runIf(services)('distributed mode, real processes on PostgreSQL and Redis', () => {
  let sandbox: Sandbox;
  const bots: BotProcess[] = [];
  const schema = uniqueName('e2e');
  const prefix = uniqueName('e2e');
  beforeAll(async () => {
    sandbox = await startSandbox({
      logger: createLogger({ level: 'silent' }),
      providers: ['kie'],
      defaultProvider: 'kie',
      timeScale: 0.05,
      simulator: { imageEdge: 64 },
      startBot: false,
      environment: {
        DATABASE_URL: TEST_DATABASE_URL,
        REDIS_URL: TEST_REDIS_URL,
        DATABASE_SCHEMA: schema,
        REDIS_PREFIX: prefix,
        CALLBACK_PORT: '0',
      },
    });
    await registerCommands(sandbox.emulator);
  });
  afterAll(async () => {
    await Promise.all(bots.map((bot) => bot.kill('SIGKILL')));
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

  async function start(environment: Record<string, string> = {}): Promise<{ bot: BotProcess; port: number }> {
    const bot = await startBotProcess({ ...sandbox.environment, ...environment });
    bots.push(bot);
    const line = JSON.parse(await bot.waitForLine('callback receiver listening')) as { port: number };
    return { bot, port: line.port };
  }

  it('GIVEN one process THEN /imagine is delivered, /readyz checks gateway, store and queue, and /metrics counts the job', async () => {
    const { emulator } = sandbox;
    const { port } = await start();
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { gateway: true, store: true, queue: true } });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const reply = await emulator.slashCommand(
      {
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        name: 'imagine',
        options: { prompt: 'a lighthouse at dawn' },
      },
      { wait: 'ack' },
    );
    const grid = await emulator.waitForMessage(
      emulator.seed.channels.imagine,
      (message) => message.id === reply.originalMessageId && finished(message),
      { timeoutMs: 30_000 },
    );
    expect(grid.attachments).toHaveLength(1);
    const kie = sandbox.simulators.get('kie')!;
    expect(kie.requests.filter((request) => request.kind === 'submit')).toHaveLength(1);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(sample(metrics, 'bot_jobs_finished_total', { provider: 'kie', outcome: 'succeeded' })).toBe(1);
    expect(sample(metrics, 'bot_interactions_total', { type: 'ApplicationCommand' })).toBe(1);
    expect(sample(metrics, 'bot_interaction_ack_seconds_count', {})).toBe(1);
    expect(sample(metrics, 'bot_provider_request_seconds_count', { kind: 'submit', outcome: 'ok' })).toBe(1);
    expect(sample(metrics, 'bot_provider_request_seconds_count', { kind: 'status', outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(metrics, 'bot_store_query_seconds_count', { operation: 'write admission' })).toBe(1);
    expect(sample(metrics, 'bot_shard_connected', { shard: '0' })).toBe(1);
    expect(sample(metrics, 'bot_queue_jobs', { provider: 'kie', state: 'delayed' })).toBe(0);
    expect(sample(metrics, 'bot_discord_responses_total', { method: 'POST', status: '200' })).toBeGreaterThan(0);
    expect(sample(metrics, 'bot_step_lateness_seconds_count', { provider: 'kie' })).toBeGreaterThan(0);
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
    expect(emulator.specReport().violations.map(describeViolation)).toEqual([]);
  }, 90_000);
});

/** The value of the sample of `name` whose labels include `labels` (in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string | undefined> = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair): [string, string] => [
        pair[1] ?? '',
        pair[2] ?? '',
      ]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}
