import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderId } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import type { ParsedPrompt } from '../src/prompt/types.js';
import type { ProviderAdapter } from '../src/providers/types.js';

/**
 * The polling the providers themselves recommend, as an integrator following their pages would
 * write it: wait, ask, and if not done sleep the interval and ask again. The bot is measured
 * against these, on the same simulator, through the same adapter.
 */
export interface Recipe {
  /** Simulated seconds from submit to the first status query. */
  firstPollSeconds: number;
  /** Simulated seconds between queries after that. */
  intervalSeconds: number;
  /** Where the recipe comes from. */
  source: string;
}

export const RECIPES: Partial<Record<ProviderId, Recipe>> = {
  apixo: { firstPollSeconds: 20, intervalSeconds: 3, source: 'APIXO docs: wait 20 s, then poll every 3 s' },
  kie: {
    firstPollSeconds: 30,
    intervalSeconds: 30,
    source: 'Kie.ai callback page: poll every 30 s when not using callbacks',
  },
  'cloudsway-mj': { firstPollSeconds: 5, intervalSeconds: 5, source: 'Cloudsway integrators: poll every 5 s' },
};

export interface RecipeRun {
  taskId: string;
  statusRequests: number;
  /** Real time (ms) the query that saw the result returned. */
  sawAt: number;
  state: 'succeeded' | 'failed';
}

export interface RecipeOptions {
  /** Real seconds per simulated second, the same as the simulator's. */
  timeScale: number;
  logger: Logger;
  /** Most status queries before giving up. */
  maxPolls?: number;
  /** Real-time limit for the whole task. */
  timeoutMs: number;
}

/** Submits one imagine task and polls it the recipe's way until it ends. */
export async function runRecipe(
  adapter: ProviderAdapter,
  recipe: Recipe,
  prompt: ParsedPrompt,
  options: RecipeOptions,
): Promise<RecipeRun> {
  const deadline = Date.now() + options.timeoutMs;
  const maxPolls = options.maxPolls ?? 500;
  const call = () => ({ signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())), logger: options.logger });
  const { taskId } = await adapter.submit({ prompt }, call());
  await sleep(recipe.firstPollSeconds * 1000 * options.timeScale);
  for (let polls = 1; polls <= maxPolls && Date.now() < deadline; polls += 1) {
    const update = await adapter.status(taskId, call());
    if (update.state === 'succeeded' || update.state === 'failed')
      return { taskId, statusRequests: polls, sawAt: Date.now(), state: update.state };
    await sleep(recipe.intervalSeconds * 1000 * options.timeScale);
  }
  throw new Error(
    `recipe for ${adapter.id}: task ${taskId} did not finish within ${maxPolls} polls or ${options.timeoutMs} ms`,
  );
}
