import type { ProviderId } from '../src/config.js';
import { parsePrompt } from '../src/prompt/parse.js';
import type { ParsedPrompt } from '../src/prompt/types.js';
import { createAdapter } from '../src/providers/index.js';
import type { ProviderAdapter } from '../src/providers/types.js';
import type { DiscordEmulator } from '../src/sandbox/discord/index.js';
import type { ProviderSimulator } from '../src/sandbox/providers/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/run.js';
import { runBotJob, type BotJobTiming } from './bot-job.js';
import { pollingOracle } from './oracle.js';
import { RECIPES, runRecipe, type Recipe, type RecipeRun } from './recipes.js';
import {
  createChannels,
  createUsers,
  FinalEdits,
  recordStatusQueries,
  resultReadyAt,
  resultVisibleAfter,
  silentLogger,
  simTimeAt,
  staggered,
  startBenchEmulator,
  startBenchSimulator,
  statusRequestCount,
} from './sandbox.js';
import { mean, peakInWindow, round, summarize, type Summary } from './stats.js';

/**
 * Real seconds per simulated second. 0.1 makes a 40-second job take 4 s; smaller scales turn
 * millisecond timer and loopback jitter into whole simulated seconds.
 */
export const POLLING_TIME_SCALE = 0.1;
/**
 * A new job every real second (10 simulated s), as on a moderately busy bot. The bot's poller
 * allows 10 provider requests per real second, a limit that does not scale with the simulators:
 * faster starts here would make it throttle polls that production would never throttle.
 */
const START_EVERY_MS = 1_000;
/** The duration model trusts its estimate from five samples on: a fresh bot's first five jobs are polled cold. */
const COLD_JOBS = 5;
const COLD_ROUNDS = 4;
const WARM_JOBS = 40;
const JOB_TIMEOUT_MS = 30_000;
const CHANNELS = 10;

/** One job measured both ways: by the bot, and by the provider's recipe started at the same moment. */
interface Pair {
  bot: BotJobTiming;
  recipe: RecipeRun;
}

export interface PhaseResult {
  jobs: number;
  bot: {
    status_requests_per_job: number;
    /** Provider finished → the bot's status query that saw it (simulated ms, i.e. real provider ms). */
    detect_ms: Summary;
    /** Bot saw it → final message in the channel (real ms: download, grid, upload; not scaled). */
    processing_ms: Summary;
    /** detect + processing. */
    delivery_ms: Summary;
  };
  recipe: { status_requests_per_job: number; delivery_ms: Summary };
  /** Bot status requests as a share of the recipe's. */
  request_ratio: number;
  /**
   * The percent-blind oracle (bench/oracle.ts) on this phase's jobs: the fewest status requests per
   * job a schedule knowing their duration distribution needs for a detect p95 within the bot's own.
   */
  oracle: { status_requests_per_job: number; budget_ms: number; late_jobs: number };
  /** Bot status requests per job over the oracle's (target ≤ 1.2). */
  poll_oracle_ratio: number;
}

export interface PollingResult {
  provider: ProviderId;
  recipe: Recipe;
  time_scale: number;
  cold: PhaseResult;
  warm: PhaseResult;
  /** Status queries the simulator answered, against the sum of the bot's and the recipe's own counts. */
  simulator_status_requests: number;
  counted_status_requests: number;
  /** Highest number of the bot's status queries in any real second; its poller allows 10. */
  bot_peak_status_requests_per_real_second: number;
  failed_jobs: number;
}

interface Run {
  emulator: DiscordEmulator;
  simulator: ProviderSimulator;
  edits: FinalEdits;
  channels: string[];
  /** Real times of the bot's status queries. */
  botQueries: number[];
  recipe: Recipe;
  adapter?: ProviderAdapter;
}

function promptFor(text: string): ParsedPrompt {
  const parsed = parsePrompt(text);
  if (!parsed.ok || !parsed.prompts[0]) throw new Error(`bench prompt "${text}" does not parse`);
  return parsed.prompts[0];
}

/** Starts `count` jobs a second apart; each is run by the bot and by the recipe at the same moment. */
async function runBatch(run: Run, sandbox: Sandbox, count: number, label: string): Promise<Pair[]> {
  const users = createUsers(run.emulator, count, `${label}-`);
  const logger = silentLogger();
  return staggered(count, START_EVERY_MS, async (index) => {
    const prompt = `a lighthouse in the fog, ${label} ${index}`;
    const [bot, recipe] = await Promise.all([
      runBotJob(sandbox, run.simulator, run.edits, {
        userId: users[index]!,
        channelId: run.channels[index % run.channels.length]!,
        prompt,
        timeoutMs: JOB_TIMEOUT_MS,
      }),
      runRecipe(run.adapter!, run.recipe, promptFor(prompt), {
        timeScale: POLLING_TIME_SCALE,
        logger,
        timeoutMs: JOB_TIMEOUT_MS,
      }),
    ]);
    return { bot, recipe };
  });
}

function phase(run: Run, pairs: readonly Pair[]): PhaseResult {
  const clock = run.simulator.clock;
  const detect = pairs.map(({ bot }) => simTimeAt(clock, bot.detectedReal) - bot.readySim);
  const processing = pairs.map(({ bot }) => bot.finalReal - bot.detectedReal);
  const recipeDelivery = pairs.map(
    ({ recipe }) => simTimeAt(clock, recipe.sawAt) - (resultReadyAt(run.simulator, recipe.taskId) ?? Number.NaN),
  );
  const botRequests = mean(pairs.map(({ bot }) => bot.statusRequests));
  const recipeRequests = mean(pairs.map(({ recipe }) => recipe.statusRequests));
  const visible = pairs.map(({ bot }) => {
    const after = resultVisibleAfter(run.simulator, bot.taskId);
    if (after === undefined) throw new Error(`the simulator does not know task ${bot.taskId}`);
    return after;
  });
  const budget = summarize(detect).p95;
  const oracle = pollingOracle(visible, budget);
  return {
    jobs: pairs.length,
    bot: {
      status_requests_per_job: botRequests,
      detect_ms: summarize(detect),
      processing_ms: summarize(processing),
      delivery_ms: summarize(detect.map((value, index) => value + processing[index]!)),
    },
    recipe: { status_requests_per_job: recipeRequests, delivery_ms: summarize(recipeDelivery) },
    request_ratio: botRequests / recipeRequests,
    oracle: { status_requests_per_job: oracle.queriesPerJob, budget_ms: budget, late_jobs: oracle.lateJobs },
    poll_oracle_ratio: botRequests / oracle.queriesPerJob,
  };
}

/**
 * The bot against the provider's own polling recipe, side by side on one simulator: cold (fresh
 * bots, nothing learned; several rounds so there are enough samples) and warm (the last bot
 * carries on after its cold round and has learned from it).
 */
export async function measurePolling(provider: ProviderId): Promise<PollingResult> {
  const recipe = RECIPES[provider];
  if (!recipe) throw new Error(`no polling recipe for ${provider}`);
  const emulator = await startBenchEmulator();
  const simulator = await startBenchSimulator(provider, { timeScale: POLLING_TIME_SCALE });
  const run: Run = {
    emulator,
    simulator,
    recipe,
    edits: new FinalEdits(emulator),
    channels: createChannels(emulator, CHANNELS, `poll-${provider}`),
    botQueries: [],
  };
  const logger = silentLogger();
  const cold: Pair[] = [];
  let warm: Pair[] = [];
  try {
    for (let round = 0; round < COLD_ROUNDS; round += 1) {
      const sandbox = await startSandbox({
        logger,
        providers: [provider],
        defaultProvider: provider,
        timeScale: POLLING_TIME_SCALE,
        existingEmulator: emulator,
        existingSimulators: new Map([[provider, simulator]]),
      });
      try {
        run.adapter ??= createAdapter(sandbox.config.providers[provider]!, { logger });
        recordStatusQueries(sandbox, provider, run.botQueries);
        cold.push(...(await runBatch(run, sandbox, COLD_JOBS, `cold${round}`)));
        if (round === COLD_ROUNDS - 1) warm = await runBatch(run, sandbox, WARM_JOBS, 'warm');
      } finally {
        await sandbox.stop();
      }
    }
  } finally {
    run.edits.stop();
    await simulator.stop();
    await emulator.stop();
  }
  const all = [...cold, ...warm];
  return {
    provider,
    recipe,
    time_scale: POLLING_TIME_SCALE,
    cold: phase(run, cold),
    warm: phase(run, warm),
    simulator_status_requests: statusRequestCount(simulator),
    counted_status_requests: all.reduce((sum, pair) => sum + pair.bot.statusRequests + pair.recipe.statusRequests, 0),
    bot_peak_status_requests_per_real_second: peakInWindow(run.botQueries, 1000),
    failed_jobs: all.filter((pair) => !pair.bot.succeeded || pair.recipe.state !== 'succeeded').length,
  };
}

/** `poll_oracle_ratio` per provider and phase, for latest.json. */
export function pollOracleRatios(
  results: readonly PollingResult[] | undefined,
): Partial<Record<ProviderId, { cold: number; warm: number }>> | null {
  if (!results) return null;
  return Object.fromEntries(
    results.map((result) => [
      result.provider,
      { cold: round(result.cold.poll_oracle_ratio, 3), warm: round(result.warm.poll_oracle_ratio, 3) },
    ]),
  );
}
