import type { Allowed, PromptProblem } from './problems.js';

/**
 * Readers for parameter values. Each returns the value or the problem, which always says what
 * would have been accepted, because the user cannot see the parameter table.
 */

export type Outcome<V> = { ok: true; value: V } | { ok: false; problem: PromptProblem };

export const accept = <V>(value: V): Outcome<V> => ({ ok: true, value });
export const reject = <V>(problem: PromptProblem): Outcome<V> => ({ ok: false, problem });

/** Longest piece of a member's own text quoted back in a message; the rest is cut with an ellipsis. */
const QUOTE_MAX = 40;

/** A member's text as quoted in a message: short enough that a 6,000-character value stays readable. */
export function quote(text: string): string {
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX - 1)}…`;
}

/** `--chaos must be a whole number from 0 to 100 (got 101).` */
export const mustBe = (flag: string, allowed: Allowed, got: string): PromptProblem => ({
  kind: 'mustBe',
  flag: quote(flag),
  allowed,
  got: quote(got),
});

export const needsValue = (flag: string, allowed: Allowed): PromptProblem => ({ kind: 'needsValue', flag, allowed });

// Exponents are accepted because `String(n)` writes very small numbers as `1e-7`, and a rendered
// prompt must read back. Each part is unambiguous (digits, then at most one dot and its digits), so
// the match is linear: `\d+\.?\d*` would try every split of a long run of digits, over and over.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
/** No number a parameter takes is longer than this; longer values are refused before any regex. */
const NUMBER_MAX_LENGTH = 32;

export function readNumber(raw: string): number | undefined {
  if (raw.length > NUMBER_MAX_LENGTH || !NUMBER.test(raw)) return undefined;
  const value = Number(raw);
  // `-0` would survive a render as `0` and then compare unequal under Object.is.
  return value === 0 ? 0 : value;
}

export function readInteger(flag: string, raw: string, min: number, max: number): Outcome<number> {
  const value = readNumber(raw);
  if (value === undefined || !Number.isInteger(value) || value < min || value > max) {
    return reject(mustBe(flag, { kind: 'integer', min, max }, raw));
  }
  return accept(value);
}

export function readDecimal(flag: string, raw: string, min: number, max: number): Outcome<number> {
  const value = readNumber(raw);
  if (value === undefined || value < min || value > max) return reject(mustBe(flag, { kind: 'number', min, max }, raw));
  return accept(value);
}

/** A choice among numbers written as strings (`5.1`), matched by value so `--v 6.0` means 6. */
export function readNumericChoice(flag: string, raw: string, choices: readonly string[]): Outcome<string> {
  const value = raw.length <= NUMBER_MAX_LENGTH && /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  const match = choices.find((choice) => Number(choice) === value);
  return match === undefined ? reject(mustBe(flag, { kind: 'oneOf', choices }, raw)) : accept(match);
}

export function readWordChoice(flag: string, raw: string, choices: readonly string[]): Outcome<string> {
  const word = raw.toLowerCase();
  return choices.includes(word) ? accept(word) : reject(mustBe(flag, { kind: 'oneOf', choices }, raw));
}

/** Positive whole numbers on both sides; leading zeros dropped so `016:09` and `16:9` are one value. */
export function readAspect(flag: string, raw: string): Outcome<string> {
  const match = /^(\d+):(\d+)$/.exec(raw);
  const width = match?.[1]?.replace(/^0+/, '') ?? '';
  const height = match?.[2]?.replace(/^0+/, '') ?? '';
  // Kept as digit strings, not numbers, so a huge ratio does not turn into `1e+23`.
  if (width === '' || height === '') return reject(mustBe(flag, { kind: 'aspect' }, raw));
  return accept(`${width}:${height}`);
}

export function isHttpUrl(raw: string): boolean {
  return /^https?:\/\/\S+$/i.test(raw) && URL.canParse(raw);
}

/** Reads each item of a list value; one message names every bad item rather than only the first. */
export function readList<V>(
  flag: string,
  items: readonly string[],
  allowed: Allowed,
  read: (item: string) => V | undefined,
): Outcome<V[]> {
  const values: V[] = [];
  const bad: string[] = [];
  for (const item of items) {
    const value = read(item);
    if (value === undefined) bad.push(item);
    else values.push(value);
  }
  return bad.length > 0 ? reject(mustBe(flag, allowed, bad.join(', '))) : accept(values);
}
