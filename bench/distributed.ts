import { readdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { startSandbox } from '../src/sandbox/run.js';
import { Database } from '../src/store/postgres/database.js';
import { BenchChild } from './child.js';
import { createUsers, silentLogger, waitForFinal } from './sandbox.js';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Jobs per run; BENCH_DISTRIBUTED_JOBS lowers it for a smoke run. */
const JOBS = Number(process.env.BENCH_DISTRIBUTED_JOBS ?? 60);
/** Channels the jobs are spread over: one channel's 5 writes per 5 s would bound the run, not the bot. */
const CHANNELS = 6;
const TIME_SCALE = 0.05;
const TIMEOUT_MS = 300_000;

export interface DistributedRun {
  processes: number;
  jobs: number;
  finished_jobs: number;
  seconds: number;
  jobs_per_second: number;
  /** CPU time (user + system) over the run, in milliseconds. */
  bot_cpu_ms: number;
  postgres_cpu_ms: number;
  redis_cpu_ms: number;
}

export interface DistributedResult {
  runs: DistributedRun[];
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time so far of every process whose command name starts with `name` (all of PostgreSQL's backends). */
async function engineCpuMs(name: string): Promise<number> {
  let ticks = 0;
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0 || !stat.slice(stat.indexOf('(') + 1, close).startsWith(name)) continue;
    const fields = stat.slice(close + 2).split(' ');
    // After the name: state is field 3, utime 14 and stime 15 (proc(5)).
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** One run: `processes` bot processes in distributed mode (one shard each), JOBS /imagine at once. */
async function run(processes: number): Promise<DistributedRun> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const sandbox = await startSandbox({
    logger: silentLogger(),
    providers: ['kie'],
    defaultProvider: 'kie',
    timeScale: TIME_SCALE,
    simulator: { imageEdge: 64 },
    startBot: false,
    environment: {
      DATABASE_URL,
      REDIS_URL,
      DATABASE_SCHEMA: schema,
      REDIS_PREFIX: prefix,
      CALLBACK_PORT: '0',
      SHARD_COUNT: String(processes),
      RESULT_PING_AFTER_MS: '3600000',
    },
  });
  const bots: BenchChild[] = [];
  try {
    const { emulator } = sandbox;
    for (let shard = 0; shard < processes; shard += 1)
      bots.push(await BenchChild.start('./bot-process.ts', { ...sandbox.environment, SHARD_IDS: String(shard) }));
    const channels = Array.from(
      { length: CHANNELS },
      (_, index) => emulator.createChannel(emulator.seed.guildId, { name: `bench-${index}` }).id,
    );
    const users = createUsers(emulator, JOBS, `dist${processes}`);
    const cpuBefore = await Promise.all(bots.map((bot) => bot.cpuMs()));
    const [postgresBefore, redisBefore] = [await engineCpuMs('postgres'), await engineCpuMs('redis-server')];
    const started = Date.now();
    const interactions = await Promise.all(
      users.map((userId, index) =>
        emulator.slashCommand(
          { userId, channelId: channels[index % CHANNELS]!, name: 'imagine', options: { prompt: `a kite ${index}` } },
          { wait: 'ack', timeoutMs: 10_000 },
        ),
      ),
    );
    const finals = await Promise.allSettled(
      interactions.map((interaction) => waitForFinal(emulator, interaction, TIMEOUT_MS)),
    );
    const seconds = (Date.now() - started) / 1000;
    const cpuAfter = await Promise.all(bots.map((bot) => bot.cpuMs()));
    const finished = finals.filter((result) => result.status === 'fulfilled').length;
    return {
      processes,
      jobs: JOBS,
      finished_jobs: finished,
      seconds,
      jobs_per_second: finished / seconds,
      bot_cpu_ms: cpuAfter.reduce((sum, value, index) => sum + value - cpuBefore[index]!, 0),
      postgres_cpu_ms: (await engineCpuMs('postgres')) - postgresBefore,
      redis_cpu_ms: (await engineCpuMs('redis-server')) - redisBefore,
    };
  } finally {
    await Promise.all(bots.map((bot) => bot.stop()));
    await sandbox.stop();
    const database = await Database.open(DATABASE_URL, silentLogger(), { schema });
    await database.dropSchema();
    await database.close();
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

/**
 * Distributed mode's throughput: jobs per second sustained by one bot process and by two (one
 * shard each, steps shared through BullMQ), with the CPU the bots and the engines spent on them.
 */
export async function measureDistributed(): Promise<DistributedResult> {
  return { runs: [await run(1), await run(2)] };
}
