import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderId } from '../src/config.js';
import type { DiscordEmulator } from '../src/sandbox/discord/index.js';
import type { ProviderSimulator } from '../src/sandbox/providers/index.js';
import { startSandbox } from '../src/sandbox/run.js';
import { BenchChild, type MemoryReading } from './child.js';
import { createUsers, silentLogger, startBenchEmulator, startBenchSimulator } from './sandbox.js';

/**
 * The bot's poller takes 10 submits per real second per provider; spreading the jobs over three
 * providers gets 1000 of them running in about 35 s instead of 100.
 */
export const PROVIDERS: ProviderId[] = ['apixo', 'kie', 'cloudsway-mj'];
/** /settings allows 12 running jobs per member: 84 members make 1008 jobs, none of them queued. */
export const PER_USER = 12;
const USERS_PER_PROVIDER = 28;
/**
 * Ten members per provider (360 jobs, left in flight) before the baseline. With one member (36
 * jobs), resident memory grew 7–49 MB per 1000 jobs while the heap grew 3 MB: V8's compilers were
 * still optimising the job path during the measured phase, and their scratch memory (48 MB at its
 * peak, malloc'd outside the heap) stayed resident after it was freed. After 360 jobs that peak is
 * behind the baseline, and what is left is what the jobs themselves hold.
 */
export const WARM_UP_USERS_PER_PROVIDER = 10;
/** Commands dispatched at once; each waits for its acknowledgement before the next chunk goes. */
const CHUNK = 48;
/** An hour per job, at real speed: nothing finishes while memory is measured. */
export const DURATIONS = { fast: 3_600, relax: 3_600, turbo: 3_600 };
const SUBMIT_TIMEOUT_MS = 120_000;
const MB = 1024 * 1024;

export interface MemoryResult {
  jobs_in_flight: number;
  /** Jobs started (and left in flight) before the baseline reading. */
  warm_up_jobs: number;
  /** Of those, how many the providers had accepted when memory was measured (the rest were waiting to submit). */
  jobs_submitted: number;
  rss_before_mb: number;
  rss_after_mb: number;
  rss_mb_per_1000_jobs: number;
  heap_used_mb_per_1000_jobs: number;
  /** Whether the bot process could force a garbage collection before each reading. */
  gc: boolean;
  /** Every run's resident growth per 1000 jobs, when the measurement was repeated. */
  runs_rss_mb_per_1000_jobs?: number[];
}

export function acceptedSubmits(simulators: ReadonlyMap<ProviderId, ProviderSimulator>): number {
  return [...simulators.values()].reduce(
    (sum, simulator) =>
      sum + simulator.requests.filter((entry) => entry.kind === 'submit' && entry.status === 200).length,
    0,
  );
}

/** Sends `/imagine` PER_USER times for each user, CHUNK commands at a time; returns how many started a job. */
export async function imagineAll(emulator: DiscordEmulator, users: readonly string[], label: string): Promise<number> {
  const channelId = emulator.seed.channels.imagine;
  const commands = users.flatMap((userId) =>
    Array.from({ length: PER_USER }, (_, index) => ({ userId, prompt: `${label} ${userId} ${index}` })),
  );
  let started = 0;
  for (let offset = 0; offset < commands.length; offset += CHUNK) {
    const chunk = commands.slice(offset, offset + CHUNK);
    const records = await Promise.all(
      chunk.map(({ userId, prompt }) =>
        emulator.slashCommand(
          { userId, channelId, name: 'imagine', options: { prompt } },
          { wait: 'ack', timeoutMs: 10_000 },
        ),
      ),
    );
    started += records.filter((record) => !record.failed && !record.ephemeral).length;
  }
  return started;
}

export async function settings(emulator: DiscordEmulator, options: Record<string, unknown>): Promise<void> {
  const record = await emulator.slashCommand(
    { userId: emulator.seed.users.mia, channelId: emulator.seed.channels.imagine, name: 'settings', options },
    { wait: 'ack' },
  );
  const reply = emulator.message(record.originalMessageId ?? '')?.content ?? '';
  if (!reply.includes('Settings saved'))
    throw new Error(`/settings ${JSON.stringify(options)} was not saved: ${reply}`);
}

/** One wave per provider: switch the guild's provider, then every user of the wave fills their slots. */
export async function waves(emulator: DiscordEmulator, usersPerProvider: number, label: string): Promise<number> {
  let started = 0;
  for (const provider of PROVIDERS) {
    await settings(emulator, { provider });
    started += await imagineAll(
      emulator,
      createUsers(emulator, usersPerProvider, `${label}-${provider}-`),
      `${label} ${provider}`,
    );
  }
  return started;
}

/**
 * Resident memory the bot adds per 1000 jobs in flight: the bot runs in a child process (with
 * --expose-gc), the emulator and simulators here; 1008 long jobs are started through /imagine and
 * the bot's RSS is read before and after, each time after a forced collection.
 */
/** Runs of the memory measurement; resident memory moves with the allocator, so one run is not a figure. */
const RUNS = 3;

/**
 * The memory measurement, repeated with a fresh bot each time: the run with the median resident
 * growth is reported, with every run's figure beside it.
 */
export async function measureMemory(): Promise<MemoryResult> {
  const runs: MemoryResult[] = [];
  for (let run = 0; run < RUNS; run += 1) runs.push(await measureOnce());
  const sorted = [...runs].sort((a, b) => a.rss_mb_per_1000_jobs - b.rss_mb_per_1000_jobs);
  return {
    ...sorted[Math.floor(sorted.length / 2)]!,
    runs_rss_mb_per_1000_jobs: runs.map((run) => run.rss_mb_per_1000_jobs),
  };
}

/** A bot process with long jobs in flight: its baseline after the warm-up, then `usersPerProvider` more waves. */
export interface FilledBot {
  emulator: DiscordEmulator;
  simulators: ReadonlyMap<ProviderId, ProviderSimulator>;
  child: BenchChild;
  /** Jobs started (and left in flight) before the baseline. */
  warmSubmits: number;
  /** Jobs the waves started, and how many of them the providers accepted within SUBMIT_TIMEOUT_MS. */
  inFlight: number;
  submitted: number;
  before: MemoryReading;
  after: MemoryReading;
}

/**
 * Starts the emulator, the three simulators (hour-long jobs) and the bot in its own process, warms
 * every job path up, reads the baseline, starts `usersPerProvider` members' worth of jobs per
 * provider, waits for their submits, reads memory again, then hands over to `work`.
 */
export async function withFilledBot<T>(
  usersPerProvider: number,
  label: string,
  environment: Record<string, string>,
  work: (bot: FilledBot) => Promise<T>,
): Promise<T> {
  const emulator = await startBenchEmulator();
  const simulators = new Map<ProviderId, ProviderSimulator>();
  let child: BenchChild | undefined;
  try {
    for (const provider of PROVIDERS)
      simulators.set(provider, await startBenchSimulator(provider, { timeScale: 1, durations: DURATIONS }));
    const sandbox = await startSandbox({
      logger: silentLogger(),
      providers: PROVIDERS,
      timeScale: 1,
      existingEmulator: emulator,
      existingSimulators: simulators,
      startBot: false,
    });
    child = await BenchChild.start('./bot-process.ts', { ...sandbox.environment, ...environment });
    await settings(emulator, { concurrency: PER_USER, queue: 100 });
    // Warm-up: every code path a job takes (each provider's submit included) runs before the baseline.
    await waves(emulator, WARM_UP_USERS_PER_PROVIDER, 'warm-up');
    const warmSubmits = PROVIDERS.length * WARM_UP_USERS_PER_PROVIDER * PER_USER;
    for (let waited = 0; acceptedSubmits(simulators) < warmSubmits && waited < 30_000; waited += 250) await sleep(250);
    const before = await child.memory();
    const inFlight = await waves(emulator, usersPerProvider, label);
    const deadline = Date.now() + SUBMIT_TIMEOUT_MS;
    while (acceptedSubmits(simulators) < warmSubmits + inFlight && Date.now() < deadline) await sleep(500);
    const submitted = acceptedSubmits(simulators) - warmSubmits;
    const after = await child.memory();
    return await work({ emulator, simulators, child, warmSubmits, inFlight, submitted, before, after });
  } finally {
    await child?.stop();
    for (const simulator of simulators.values()) await simulator.stop();
    await emulator.stop();
  }
}

function measureOnce(): Promise<MemoryResult> {
  return withFilledBot(USERS_PER_PROVIDER, 'memory', {}, ({ warmSubmits, inFlight, submitted, before, after }) => {
    const perThousand = (bytes: number) => (bytes / MB / inFlight) * 1000;
    return Promise.resolve({
      jobs_in_flight: inFlight,
      warm_up_jobs: warmSubmits,
      jobs_submitted: submitted,
      rss_before_mb: before.rss / MB,
      rss_after_mb: after.rss / MB,
      rss_mb_per_1000_jobs: perThousand(after.rss - before.rss),
      heap_used_mb_per_1000_jobs: perThousand(after.heapUsed - before.heapUsed),
      gc: before.gc && after.gc,
    });
  });
}
