import type { ProviderId } from '../src/config.js';
import { startSandbox } from '../src/sandbox/run.js';
import { runBotJob } from './bot-job.js';
import { POLLING_TIME_SCALE } from './polling.js';
import {
  createChannels,
  createUsers,
  FinalEdits,
  realTimeAt,
  silentLogger,
  staggered,
  startBenchEmulator,
  startBenchSimulator,
} from './sandbox.js';
import { mean, summarize, type Summary } from './stats.js';

/** Callbacks need no polling, so jobs may start closer together than in the polling run. */
const START_EVERY_MS = 500;
const JOBS = 15;
const JOB_TIMEOUT_MS = 30_000;
const CHANNELS = 10;

export interface CallbackResult {
  provider: ProviderId;
  jobs: number;
  status_requests_per_job: number;
  max_status_requests: number;
  /**
   * Provider finished → final message in the channel, in real ms. Nothing in this path waits on
   * simulated time (the callback goes out when the task ends), so it is not scaled; it includes
   * the simulator's callback ticker (every 20 ms), the callback, the download, the grid and the upload.
   */
  delivery_ms: Summary;
  /** Callback deliveries the bot did not answer with 2xx. */
  callbacks_refused: number;
}

/** The bot with callbacks (PUBLIC_BASE_URL set): how many status queries remain, and how soon results arrive. */
export async function measureCallbacks(provider: ProviderId): Promise<CallbackResult> {
  const logger = silentLogger();
  const emulator = await startBenchEmulator();
  const simulator = await startBenchSimulator(provider, { timeScale: POLLING_TIME_SCALE });
  const edits = new FinalEdits(emulator);
  try {
    const sandbox = await startSandbox({
      logger,
      providers: [provider],
      defaultProvider: provider,
      timeScale: POLLING_TIME_SCALE,
      callbacks: true,
      existingEmulator: emulator,
      existingSimulators: new Map([[provider, simulator]]),
    });
    try {
      const channels = createChannels(emulator, CHANNELS, `callback-${provider}`);
      const users = createUsers(emulator, JOBS, `callback-${provider}-`);
      const jobs = await staggered(JOBS, START_EVERY_MS, (index) =>
        runBotJob(sandbox, simulator, edits, {
          userId: users[index]!,
          channelId: channels[index % CHANNELS]!,
          prompt: `a paper boat on a pond, ${index}`,
          timeoutMs: JOB_TIMEOUT_MS,
        }),
      );
      const delivery = jobs.map((job) => job.finalReal - realTimeAt(simulator.clock, job.readySim));
      return {
        provider,
        jobs: jobs.length,
        status_requests_per_job: mean(jobs.map((job) => job.statusRequests)),
        max_status_requests: Math.max(...jobs.map((job) => job.statusRequests)),
        delivery_ms: summarize(delivery),
        callbacks_refused: simulator.callbacks.deliveries.filter(
          (delivery) => typeof delivery.status !== 'number' || delivery.status >= 300,
        ).length,
      };
    } finally {
      await sandbox.stop();
    }
  } finally {
    edits.stop();
    await simulator.stop();
    await emulator.stop();
  }
}
