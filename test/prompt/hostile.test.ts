import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { describeErrors } from '../../src/discord/prompt-input.js';
import { createPromptFilter } from '../../src/moderation/filter.js';
import { parsePrompt } from '../../src/prompt/parse.js';
import { seededRandom } from '../random.js';
import { randomCommand } from './generators.js';
import { PATHOLOGICAL, PROMPT_LIMIT, randomHostileInput } from './hostile.js';

const filter = createPromptFilter({ extraTerms: ['blood moon', 'zz top', 'p0rn star', 'l1l1'] });

/**
 * Not a speed target (that is the benchmark's): a guard against the catastrophic cases, which took
 * 13 to 47 seconds before the parser's work was bounded. Far above any honest run on a busy machine.
 */
const STALL_MS = 1_000;

/** What a member's /imagine costs before any provider call: parse, then filter each distinct text. */
function screen(input: string): { ms: number; reply: string | undefined; prompts: number } {
  const started = performance.now();
  const result = parsePrompt(input);
  let reply: string | undefined;
  if (result.ok) {
    for (const text of new Set(result.prompts.map((prompt) => prompt.text))) filter.check({ text });
  } else {
    reply = describeErrors('That prompt has a problem', result.errors);
  }
  return { ms: performance.now() - started, reply, prompts: result.ok ? result.prompts.length : 0 };
}

function expectWellBehaved(label: string, input: string): void {
  expect(input.length, label).toBeLessThanOrEqual(PROMPT_LIMIT);
  let outcome: ReturnType<typeof screen> | undefined;
  expect(() => (outcome = screen(input)), label).not.toThrow();
  const { ms, reply, prompts } = outcome!;
  expect(ms, `${label} took ${ms.toFixed(0)} ms`).toBeLessThan(STALL_MS);
  if (reply === undefined) {
    expect(prompts, label).toBeGreaterThan(0);
    expect(prompts, label).toBeLessThanOrEqual(10);
  } else {
    // A reply Discord accepts (at most 2,000 characters) that says something after its heading.
    expect(reply.length, label).toBeLessThanOrEqual(2000);
    expect(reply, label).toMatch(/^That prompt has a problem:\n• \S/);
  }
}

describe('hostile prompts', () => {
  it.each(Object.entries(PATHOLOGICAL))(
    'GIVEN %s THEN the parser and the filter answer without a throw or a stall',
    (label, input) => {
      expectWellBehaved(label, input);
    },
  );

  it('GIVEN 3,000 random inputs of hostile characters up to the length limit THEN each gets a result or a clear error', () => {
    const random = seededRandom(20261202);
    for (let index = 0; index < 3000; index++) expectWellBehaved(`random input ${index}`, randomHostileInput(random));
  });

  it('GIVEN 3,000 random commands of real syntax, some repeated up to the limit THEN each gets a result or a clear error', () => {
    const random = seededRandom(7);
    for (let index = 0; index < 3000; index++) {
      const command = randomCommand(random);
      const input = random() < 0.1 ? command.repeat(Math.floor(PROMPT_LIMIT / command.length)) : command;
      expectWellBehaved(`random command ${index}`, input);
    }
  });

  it('GIVEN a long value in an error THEN the message quotes it shortened, not whole', () => {
    const result = parsePrompt(`cat --chaos ${'1'.repeat(5000)}x`);
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : (result.errors[0]?.message ?? '');
    expect(message).toMatch(/^--chaos must be a whole number from 0 to 100 \(got 1{39}…\)\.$/);
  });

  it('GIVEN more permutations than the limit THEN only the count is reported and no expansion is read', () => {
    // Every expansion has an error of its own; reading even one would report it.
    const result = parsePrompt('{a,b,c,d,e,f,g,h,i,j,k} --chaos {1,2,3,4,5,6,7,8,9,10,11}01');
    expect(result).toEqual({
      ok: false,
      errors: [{ message: expect.stringContaining('would make 121 prompts') as unknown }],
    });
  });

  it('GIVEN nesting deeper than eight THEN it is refused with the depth, and eight deep still parses', () => {
    const deep = parsePrompt(`${'{a '.repeat(9)}b${'}'.repeat(9)}`);
    expect(deep.ok ? '' : deep.errors[0]?.message).toContain('nested at most 8 deep');
    expect(parsePrompt(`${'{a '.repeat(8)}b${'}'.repeat(8)}`).ok).toBe(true);
  });
});
