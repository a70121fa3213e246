import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderId } from '../src/config.js';
import type { ProviderSimulator } from '../src/sandbox/providers/index.js';
import { ackLatency, sendBurst } from './ack.js';
import type { LoopDelayReading } from './child.js';
import { withFilledBot } from './memory.js';
import type { Summary } from './stats.js';

/** 278 members per provider with 12 jobs each: 10,008 jobs (10,368 with the warm-up's), none of them queued. */
const USERS_PER_PROVIDER = 278;
/**
 * The poller's provider rate for this run: at the default 10 requests per second, 10,000 submits
 * would take 5 minutes per provider. The simulators take any rate; the bot's CPU is what is measured.
 */
const PROVIDER_RATE = 300;
/** The steady state's window: long enough for every job to be polled more than once. */
const STEADY_MS = 60_000;
const MB = 1024 * 1024;

export interface LoadResult {
  jobs_in_flight: number;
  jobs_submitted: number;
  rss_mb_per_1000_jobs: number;
  heap_used_mb_per_1000_jobs: number;
  /** Event-loop delay of the bot over the steady window, 10,000 jobs being polled. */
  loop_delay_ms: LoopDelayReading;
  /** Status queries the providers answered in the steady window, per job per minute. */
  status_requests_per_job_per_minute: number;
  /** The bot's CPU in the steady window, per job per minute of polling. */
  poll_cpu_ms_per_job_per_minute: number;
  /** 200 simultaneous /imagine from new members after the steady window, the 10,000 jobs still in flight. */
  ack_ms: Summary;
  /** Event-loop delay during that burst. */
  ack_loop_delay_ms: LoopDelayReading;
  ack_failed: number;
}

function statusRequests(simulators: ReadonlyMap<ProviderId, ProviderSimulator>): number {
  return [...simulators.values()].reduce(
    (sum, simulator) => sum + simulator.requests.filter((entry) => entry.kind === 'status').length,
    0,
  );
}

/**
 * One bot process with 10,000 hour-long jobs in flight over three providers: its resident memory
 * per 1000 jobs, its event-loop delay and CPU while it polls them all, and its acknowledgement of
 * a burst of 200 /imagine at the same time.
 */
export function measureLoad(): Promise<LoadResult> {
  const environment = { PROVIDER_RATE_PER_SECOND: String(PROVIDER_RATE) };
  return withFilledBot(USERS_PER_PROVIDER, 'load', environment, async (bot) => {
    const { emulator, simulators, child, warmSubmits, inFlight, submitted, before, after } = bot;
    const jobs = inFlight + warmSubmits;

    // BENCH_PROFILE_DIR: profile the steady window too (its figures then carry the profiler's cost).
    const profileDirectory = process.env.BENCH_PROFILE_DIR;
    if (profileDirectory) await child.startProfile();
    await child.startLoopDelay();
    const cpuBefore = await child.cpuMs();
    const statusBefore = statusRequests(simulators);
    await sleep(STEADY_MS);
    const cpuAfter = await child.cpuMs();
    const statusAfter = statusRequests(simulators);
    const loopDelay = await child.stopLoopDelay();
    if (profileDirectory) await child.stopProfile(join(profileDirectory, 'load.cpuprofile'));
    const minutes = STEADY_MS / 60_000;

    await child.startLoopDelay();
    const burst = await sendBurst(emulator, 'load-burst');
    const burstLoopDelay = await child.stopLoopDelay();

    const perThousand = (bytes: number) => (bytes / MB / inFlight) * 1000;
    return {
      jobs_in_flight: jobs,
      jobs_submitted: submitted + warmSubmits,
      rss_mb_per_1000_jobs: perThousand(after.rss - before.rss),
      heap_used_mb_per_1000_jobs: perThousand(after.heapUsed - before.heapUsed),
      loop_delay_ms: loopDelay,
      status_requests_per_job_per_minute: (statusAfter - statusBefore) / jobs / minutes,
      poll_cpu_ms_per_job_per_minute: (cpuAfter - cpuBefore) / jobs / minutes,
      ack_ms: ackLatency(burst),
      ack_loop_delay_ms: burstLoopDelay,
      ack_failed: burst.filter((record) => record.failed).length,
    };
  });
}
