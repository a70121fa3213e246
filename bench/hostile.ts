import { performance } from 'node:perf_hooks';
import { createPromptFilter } from '../src/moderation/filter.js';
import { parsePrompt } from '../src/prompt/parse.js';
import { randomCommand } from '../test/prompt/generators.js';
import { PATHOLOGICAL, randomHostileInput } from '../test/prompt/hostile.js';
import { seededRandom } from '../test/random.js';
import { median, percentile } from './stats.js';

const RANDOM_INPUTS = 3000;
/** Each input is timed this many times and its fastest run kept: the machine's noise is not the input's cost. */
const RUNS = 3;

export interface HostileResult {
  inputs: number;
  median_ms: number;
  p99_ms: number;
  worst_ms: number;
  /** The worst input's name (a pathological case) or its first characters (a random one). */
  worst_input: string;
  worst_length: number;
}

/** What /imagine costs before any provider call: parse, then filter each distinct text once. */
function screen(filter: ReturnType<typeof createPromptFilter>, input: string): void {
  const result = parsePrompt(input);
  if (result.ok) for (const text of new Set(result.prompts.map((prompt) => prompt.text))) filter.check({ text });
}

/**
 * Parse + filter time of the worst prompts a member can send (the pathological cases of the
 * reliability tests and thousands of random hostile inputs), with a guild list of banned terms.
 */
export function measureHostile(): Promise<HostileResult> {
  const filter = createPromptFilter({ extraTerms: Array.from({ length: 200 }, (_, index) => `term${index} phrase`) });
  const random = seededRandom(20261202);
  const inputs: { name: string; input: string }[] = Object.entries(PATHOLOGICAL).map(([name, input]) => ({
    name,
    input,
  }));
  for (let index = 0; index < RANDOM_INPUTS; index++) {
    const input = index % 2 === 0 ? randomHostileInput(random) : randomCommand(random);
    inputs.push({ name: JSON.stringify(input.slice(0, 40)), input });
  }
  // Warm the compilers on every input once, so the figures are the steady state.
  for (const { input } of inputs) screen(filter, input);
  const timings = inputs.map(({ name, input }) => {
    let best = Infinity;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      screen(filter, input);
      best = Math.min(best, performance.now() - started);
    }
    return { name, length: input.length, ms: best };
  });
  const worst = timings.reduce((slowest, timing) => (timing.ms > slowest.ms ? timing : slowest));
  const all = timings.map((timing) => timing.ms);
  return Promise.resolve({
    inputs: inputs.length,
    median_ms: median(all),
    p99_ms: percentile(all, 99),
    worst_ms: worst.ms,
    worst_input: worst.name,
    worst_length: worst.length,
  });
}
