import type { RecordedRequest } from '../src/sandbox/discord/index.js';
import { startSandbox } from '../src/sandbox/run.js';
import { createUsers, silentLogger, waitForFinal } from './sandbox.js';

const JOBS = 100;
/**
 * Simulated provider time runs twice as fast as real time: a 30–45 s APIXO job takes 15–22 s.
 * Discord's limits run on real time whatever the scale, and the faster the jobs, the fewer
 * progress edits fit before the results; 0.5 stays close to production and keeps the run short.
 */
const TIME_SCALE = 0.5;
/** The publisher sends at most one edit per second per channel: 100 results need at least 100 s. */
const TIMEOUT_MS = 420_000;

export interface DiscordCallsResult {
  jobs: number;
  time_scale: number;
  /** REST requests from the bot after setup (no gateway lookup, no command registration). */
  calls: number;
  calls_per_job: number;
  by_route: Record<string, number>;
  rate_limited: number;
  /** Real seconds from the burst to the last result in the channel. */
  seconds_to_last_result: number;
  finished_jobs: number;
}

const SETUP_ROUTES = [/^\/gateway/, /\/commands/];
const counted = (request: RecordedRequest) =>
  !SETUP_ROUTES.some((pattern) => pattern.test(request.route ?? request.path));

/** 100 users run /imagine at once in one channel; every REST call the bot makes until the last result is counted. */
export async function measureDiscordCalls(): Promise<DiscordCallsResult> {
  const sandbox = await startSandbox({
    logger: silentLogger(),
    providers: ['apixo'],
    defaultProvider: 'apixo',
    timeScale: TIME_SCALE,
    simulator: { imageEdge: 256 },
  });
  try {
    const { emulator } = sandbox;
    const channelId = emulator.seed.channels.imagine;
    const users = createUsers(emulator, JOBS, 'calls');
    emulator.clearRequests();
    const started = Date.now();
    const interactions = await Promise.all(
      users.map((userId, index) =>
        emulator.slashCommand(
          { userId, channelId, name: 'imagine', options: { prompt: `a field of sunflowers, ${index}` } },
          { wait: 'ack', timeoutMs: 10_000 },
        ),
      ),
    );
    const finals = await Promise.allSettled(
      interactions.map((interaction) => waitForFinal(emulator, interaction, TIMEOUT_MS)),
    );
    const seconds = (Date.now() - started) / 1000;
    // Let any edit already in flight land before counting.
    await sandbox.bot!.context.publisher.drain();
    const requests = emulator.requests().filter(counted);
    const byRoute: Record<string, number> = {};
    for (const request of requests) {
      const key = `${request.method} ${request.route ?? request.path}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
    }
    return {
      jobs: JOBS,
      time_scale: TIME_SCALE,
      calls: requests.length,
      calls_per_job: requests.length / JOBS,
      by_route: byRoute,
      rate_limited: emulator.rateLimitHits().length,
      seconds_to_last_result: seconds,
      finished_jobs: finals.filter((result) => result.status === 'fulfilled').length,
    };
  } finally {
    await sandbox.stop();
  }
}
