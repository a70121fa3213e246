import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { ProviderId } from '../src/config.js';
import { measureAck } from './ack.js';
import { measureCallbacks } from './callbacks.js';
import { measureDiscordCalls } from './discord-calls.js';
import { measureDistributed } from './distributed.js';
import { measureGrid } from './grid.js';
import { measureHostile } from './hostile.js';
import { measureHostileLoad } from './hostile-load.js';
import { measureLoad } from './load.js';
import { measureResubmitWindow } from './resubmit-window.js';
import { measureMemory } from './memory.js';
import { measurePolling, pollOracleRatios } from './polling.js';
import { ackRatios, markdownTable, profileTable, rows, type Measurements } from './report.js';
import { round } from './stats.js';

/**
 * `npm run bench`: how fast and how cheap the bot is, against the local Discord emulator and the
 * provider simulators, with each comparison measured side by side in the same run. Prints a
 * markdown table and writes bench/results/latest.json and latest.md. Not part of `npm test`.
 * `npm run bench -- ack memory` runs only the named measurements and writes nothing.
 */
const POLLING_PROVIDERS: ProviderId[] = ['apixo', 'kie', 'cloudsway-mj'];
const CALLBACK_PROVIDERS: ProviderId[] = ['apixo', 'kie'];
/** The provider and phase the headline figures of latest.json come from. */
const HEADLINE: { provider: ProviderId; phase: 'warm' } = { provider: 'apixo', phase: 'warm' };
const RESULTS = new URL('./results/', import.meta.url);
/** What the figures mean, under the table in latest.md. */
const NOTES = [
  "Acknowledgement: the bot in its own process, the emulator in the benchmark's; the floor is a bare discord.js client answering the same burst.",
  "Polling: the bot and the provider's recipe (same adapter, same simulator, started at the same moments), a job every 10 simulated seconds, simulator time scale 0.1, 30–45 s APIXO jobs, 40 s ±15 % Kie jobs, 40 s Cloudsway jobs whose URLs appear 3 s later. Cold: a fresh bot's first five jobs (four bots); warm: the next jobs on the last bot.",
  "Oracle: per phase, the fewest status requests per job that one schedule for all of that phase's jobs needs, knowing when their results become visible as a distribution but not which job is which, to keep the detect p95 within the bot's own (exact, by dynamic programming: bench/oracle.ts). It reads no progress, so it is the bar a poller that reads progress should beat.",
  'Delivery: the provider has the result → the poll that saw it, in provider seconds; for the bot, plus the real time to fetch the images, compose the grid and edit the message (256-px tiles; see the grid row for full size). With callbacks nothing waits on provider time: real milliseconds.',
  "Discord calls: every REST request the bot made after start-up (no gateway lookup, no command registration), under the emulator's Discord-like rate limits.",
  'Distributed: 60 jobs at once over six channels of one guild, Kie simulator at time scale 0.05; one bot process, then two (one shard each, steps shared through BullMQ); CPU is user + system over the run, for the bots and for every PostgreSQL and Redis process on the machine.',
  "Memory: the bot in its own process; 360 jobs are started first and left in flight, so the compilers' one-time scratch memory is behind the baseline; then 1008 more, and resident memory is read after a forced collection each time.",
  "10,000 jobs: one bot process, 10,368 hour-long jobs over three providers (the poller's provider rate raised to 300/s so they all start), memory read after GC; then a minute of polling (event-loop delay with monitorEventLoopDelay at 10 ms resolution, the resolution subtracted), then 200 simultaneous /imagine from new members.",
  'Hostile input: the pathological prompts of test/prompt/hostile.ts sent through /imagine by one member, ten a second for ten seconds, against ten seconds at rest.',
  "Profile: a second burst of the same size under V8's sampling profiler (100 µs) in the bot's process; self time by where the code lives, native and Node-internal frames counted for their nearest caller, idle and the profiler's own work left out.",
];

const only = process.argv.slice(2);
const measurements: Measurements = {};
const errors: Record<string, string> = {};

/** Runs one measurement, one at a time (timings must not share the machine), noting its time or its error. */
async function step<Name extends keyof Measurements>(
  name: Name,
  work: () => Promise<NonNullable<Measurements[Name]>>,
): Promise<void> {
  if (only.length > 0 && !only.includes(name)) return;
  const started = Date.now();
  process.stderr.write(`[bench] ${name}…`);
  try {
    measurements[name] = await work();
    process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  } catch (error) {
    errors[name] = error instanceof Error ? error.message : String(error);
    process.stderr.write(` failed: ${errors[name]}\n`);
  }
}

const started = Date.now();
await step('hostile', measureHostile);
await step('resubmitWindow', measureResubmitWindow);
await step('grid', measureGrid);
await step('ack', measureAck);
// The three providers run at once, each on its own emulator and simulator: the bot and its recipe
// still share everything that matters, and the run is a minute shorter.
await step('polling', () => Promise.all(POLLING_PROVIDERS.map((provider) => measurePolling(provider))));
await step('callbacks', () => Promise.all(CALLBACK_PROVIDERS.map((provider) => measureCallbacks(provider))));
await step('discordCalls', measureDiscordCalls);
await step('memory', measureMemory);
await step('load', measureLoad);
await step('hostileLoad', measureHostileLoad);
// Needs PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL); without them this row says so.
await step('distributed', measureDistributed);

const table = rows(measurements, errors);
const markdown = markdownTable(table);
const profile = measurements.ack
  ? `\n\nWhere the CPU goes until the burst is acknowledged (self time under V8's profiler, a second burst of the same size):\n\n${profileTable(measurements.ack)}`
  : '';
const headline = measurements.polling?.find((result) => result.provider === HEADLINE.provider)?.[HEADLINE.phase];
const callbacks = measurements.callbacks;
const cpu = cpus();
const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memory_gb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: process.platform,
  },
  duration_s: round((Date.now() - started) / 1000, 0),
  ack_p50_ms: measurements.ack?.bot.latency_ms.p50 ?? null,
  ack_p99_ms: measurements.ack?.bot.latency_ms.p99 ?? null,
  ack_floor_p99_ms: measurements.ack?.floor.latency_ms.p99 ?? null,
  ack_ratio_p99: measurements.ack ? round(ackRatios(measurements.ack).p99, 2) : null,
  ack_cpu_ratio: measurements.ack ? round(ackRatios(measurements.ack).cpu, 2) : null,
  profile_ms_per_command: measurements.ack
    ? { bot: measurements.ack.bot.profile_ms_per_command, floor: measurements.ack.floor.profile_ms_per_command }
    : null,
  headline_polling: `${HEADLINE.provider}, ${HEADLINE.phase}; delivery in provider milliseconds (unscaled)`,
  status_requests_per_job: headline ? round(headline.bot.status_requests_per_job) : null,
  recipe_status_requests_per_job: headline ? round(headline.recipe.status_requests_per_job) : null,
  delivery_p50_ms: headline ? round(headline.bot.delivery_ms.p50, 0) : null,
  delivery_p95_ms: headline ? round(headline.bot.delivery_ms.p95, 0) : null,
  recipe_delivery_p50_ms: headline ? round(headline.recipe.delivery_ms.p50, 0) : null,
  recipe_delivery_p95_ms: headline ? round(headline.recipe.delivery_ms.p95, 0) : null,
  poll_oracle_ratio: pollOracleRatios(measurements.polling),
  callback_status_requests_per_job: callbacks
    ? Math.max(...callbacks.map((result) => result.status_requests_per_job))
    : null,
  callback_delivery_p95_ms: callbacks ? round(Math.max(...callbacks.map((result) => result.delivery_ms.p95)), 0) : null,
  discord_calls_per_job: measurements.discordCalls ? round(measurements.discordCalls.calls_per_job) : null,
  discord_429s: measurements.discordCalls?.rate_limited ?? null,
  grid_ratio: measurements.grid ? round(measurements.grid.ratio, 3) : null,
  rss_mb_per_1000_jobs: measurements.memory ? round(measurements.memory.rss_mb_per_1000_jobs, 1) : null,
  loop_delay_p99_ms_10k: measurements.load ? round(measurements.load.loop_delay_ms.p99_ms, 1) : null,
  rss_mb_per_1000_jobs_10k: measurements.load ? round(measurements.load.rss_mb_per_1000_jobs, 1) : null,
  ack_p99_ms_10k: measurements.load ? round(measurements.load.ack_ms.p99, 0) : null,
  poll_cpu_ms_per_job_per_minute_10k: measurements.load
    ? round(measurements.load.poll_cpu_ms_per_job_per_minute, 3)
    : null,
  loop_delay_p99_ms_hostile: measurements.hostileLoad ? round(measurements.hostileLoad.loop_delay_ms.p99_ms, 1) : null,
  targets: table
    .filter((row) => row.met !== undefined)
    .map((row) => ({ metric: row.metric, value: row.value, target: row.target, met: row.met })),
  details: measurements,
  errors,
};

if (only.length > 0) {
  process.stdout.write(`\n${markdown}${profile}\n\n${JSON.stringify(measurements, null, 2)}\n`);
  process.exit(Object.keys(errors).length > 0 ? 1 : 0);
}
await mkdir(RESULTS, { recursive: true });
await writeFile(new URL('latest.json', RESULTS), `${JSON.stringify(results, null, 2)}\n`);
const machine = `${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}`;
const notes = NOTES.map((note) => `- ${note}`).join('\n');
await writeFile(
  new URL('latest.md', RESULTS),
  `Benchmark of ${results.date.slice(0, 10)} on ${machine} (\`npm run bench\`, ${results.duration_s} s).\n\n${markdown}${profile}\n\n${notes}\n`,
);
process.stdout.write(`\n${markdown}\n\n${machine}; written to bench/results/latest.json and latest.md\n`);
if (Object.keys(errors).length > 0) process.exitCode = 1;
