import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openSharedRecords } from '../../src/distributed.js';
import { createLogger } from '../../src/logger.js';
import { NO_METRICS } from '../../src/observability/metrics.js';
import { REST, Routes } from 'discord.js';
import { commandDefinitions } from '../../commands/index.js';
import { discordRestAgent } from '../../src/discord/rest-agent.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/run.js';
import { Database } from '../../src/store/postgres/database.js';
import { createStores, type GuildSettings } from '../../src/store/stores.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../services.js';
import { registerCommands, startBotProcess, type BotProcess } from './bot-process.js';

/** What a distributed-mode test file gets: its sandbox, its own schema and Redis prefix, and its bot processes. */
export interface DistributedRun {
  readonly sandbox: Sandbox;
  readonly schema: string;
  /** Starts a bot process (killed after the test) and resolves with it and its receiver's port. */
  start(environment?: Record<string, string>): Promise<{ bot: BotProcess; port: number }>;
  /** The seeded guild's shard of two, and the other one. */
  shards(): { owner: string; other: string };
  /** A new guild on the other shard of two, with the bot's commands: its owner and its general channel. */
  secondGuild(): Promise<{ guildId: string; userId: string; channelId: string }>;
  /** Changes the seeded guild's settings in the shared records, as /settings would. */
  updateSettings(change: Partial<GuildSettings>): Promise<void>;
  /** Runs `work` on a connection of its own to the run's schema. */
  withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T>;
}

/**
 * Registers the hooks of a distributed-mode test file: the emulator and a Kie simulator, a schema
 * and a Redis prefix no other run uses (dropped afterwards), and bot processes killed after each test.
 */
export function useDistributedRun(
  options: Pick<SandboxOptions, 'emulator'> & { environment?: Record<string, string> } = {},
): DistributedRun {
  let sandbox: Sandbox | undefined;
  const bots: BotProcess[] = [];
  const schema = uniqueName('e2e');
  const prefix = uniqueName('e2e');
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    sandbox = await startSandbox({
      logger,
      providers: ['kie'],
      defaultProvider: 'kie',
      timeScale: 0.05,
      simulator: { imageEdge: 64 },
      startBot: false,
      ...(options.emulator ? { emulator: options.emulator } : {}),
      environment: {
        DATABASE_URL: TEST_DATABASE_URL,
        REDIS_URL: TEST_REDIS_URL,
        DATABASE_SCHEMA: schema,
        REDIS_PREFIX: prefix,
        CALLBACK_PORT: '0',
        ...options.environment,
      },
    });
    await registerCommands(sandbox.emulator);
  });
  afterAll(async () => {
    await sandbox?.stop();
    const database = await Database.open(TEST_DATABASE_URL, logger, { schema });
    await database.dropSchema();
    await database.close();
    const { Redis } = await import('ioredis');
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.kill('SIGKILL')));
  });

  const current = (): Sandbox => {
    if (!sandbox) throw new Error('the sandbox is not started yet');
    return sandbox;
  };

  return {
    get sandbox() {
      return current();
    },
    schema,
    async start(environment = {}) {
      // These tests follow a job's own message; a slow run must not turn a result into a new post
      // (late results are late-results.test.ts's subject).
      const bot = await startBotProcess({ ...current().environment, RESULT_PING_AFTER_MS: '3600000', ...environment });
      bots.push(bot);
      const line = JSON.parse(await bot.waitForLine('callback receiver listening')) as { port: number };
      return { bot, port: line.port };
    },
    shards() {
      const owner = Number((BigInt(current().emulator.seed.guildId) >> 22n) % 2n);
      return { owner: String(owner), other: String(1 - owner) };
    },
    async secondGuild() {
      const { emulator } = current();
      const other = 1 - Number((BigInt(emulator.seed.guildId) >> 22n) % 2n);
      const second = emulator.createGuild({ name: 'Second', shard: [other, 2] });
      const agent = discordRestAgent();
      await new REST({ agent, api: emulator.restUrl })
        .setToken(emulator.token)
        .put(Routes.applicationGuildCommands(emulator.applicationId, second.id), { body: commandDefinitions });
      await agent.close();
      return {
        guildId: second.id,
        userId: emulator.core.store.guilds.get(second.id)!.ownerId,
        channelId: second.generalChannelId,
      };
    },
    async updateSettings(change) {
      const settings = { databaseUrl: TEST_DATABASE_URL, redisUrl: TEST_REDIS_URL, schema, prefix };
      const shared = await openSharedRecords(settings, logger, NO_METRICS);
      try {
        await createStores(shared.keyv, logger, shared).guilds.update(current().emulator.seed.guildId, change);
      } finally {
        await shared.keyv.disconnect();
        await shared.database.close();
      }
    },
    async withDatabase(work) {
      const database = await Database.open(TEST_DATABASE_URL, logger, { schema });
      try {
        return await work(database);
      } finally {
        await database.close();
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The value of the sample of `name` whose labels include `labels` (in any order), or undefined. */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
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
