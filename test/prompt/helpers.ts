import { expect } from 'vitest';
import { parsePrompt } from '../../src/prompt/parse.js';
import type { ParsedPrompt, ParseOptions, PromptError } from '../../src/prompt/types.js';
import type { seededRandom } from '../random.js';

/** Parses input that must be valid; on failure the assertion shows the errors. */
export function parseOk(input: string, options?: ParseOptions): ParsedPrompt[] {
  const result = parsePrompt(input, options);
  expect(result, `parsing ${JSON.stringify(input)}`).toMatchObject({ ok: true });
  return result.ok ? result.prompts : [];
}

/** The only prompt of a valid, unexpanded input. */
export function parseOne(input: string): ParsedPrompt {
  const prompts = parseOk(input);
  expect(prompts).toHaveLength(1);
  return prompts[0]!;
}

/** Parses input that must be invalid and returns its errors. */
export function parseErrors(input: string, options?: ParseOptions): PromptError[] {
  const result = parsePrompt(input, options);
  expect(result, `parsing ${JSON.stringify(input)}`).toMatchObject({ ok: false });
  return result.ok ? [] : result.errors;
}

/** The single error of an input that must fail for exactly one reason. */
export function parseError(input: string, options?: ParseOptions): PromptError {
  const errors = parseErrors(input, options);
  expect(errors, `errors of ${JSON.stringify(input)}`).toHaveLength(1);
  return errors[0]!;
}

export type Random = ReturnType<typeof seededRandom>;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export const integerBetween = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

export function some<T>(random: Random, items: readonly T[], min: number, max: number): T[] {
  return Array.from({ length: integerBetween(random, min, max) }, () => pick(random, items));
}
