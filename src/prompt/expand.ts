/**
 * Midjourney permutation syntax: `a {red, blue} bird` stands for two prompts. This module turns the
 * raw command text into a template, counts its expansions without building them (so `{a,b}` typed
 * thirty times cannot exhaust memory), and expands it into plain prompt strings.
 *
 * Escapes: a backslash before `{`, `}`, `,` or `\` makes that character literal. Every other
 * backslash is kept as typed. The output of {@link expandTemplate} contains no escapes any more:
 * a literal brace is just a brace, and an escaped comma is just a comma.
 */

import type { PromptProblem } from './problems.js';

/** One alternative of a group, or the whole template: literal text and groups in order. */
export type Sequence = Part[];
export type Part = { text: string } | { alternatives: Sequence[] };

export type TemplateResult = { ok: true; template: Sequence } | { ok: false; problem: PromptProblem };

const ESCAPABLE = new Set(['{', '}', ',', '\\']);
/** Groups inside groups, at most this deep: deeper is never meant, and recursion must stay shallow. */
export const MAX_NESTING = 8;

interface OpenGroup {
  parent: Sequence;
  alternatives: Sequence[];
}

export function parseTemplate(raw: string): TemplateResult {
  const open: OpenGroup[] = [];
  let current: Sequence = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') current.push({ text: literal });
    literal = '';
  };

  for (let i = 0; i < raw.length; i++) {
    const char = raw.charAt(i);
    const next = raw.charAt(i + 1);
    if (char === '\\' && ESCAPABLE.has(next)) {
      literal += next;
      i++;
    } else if (char === '{') {
      if (open.length === MAX_NESTING) {
        return { ok: false, problem: { kind: 'nestedTooDeep', max: MAX_NESTING } };
      }
      flush();
      open.push({ parent: current, alternatives: [] });
      current = [];
    } else if (char === ',' && open.length > 0) {
      flush();
      open[open.length - 1]?.alternatives.push(current);
      current = [];
    } else if (char === '}') {
      const group = open.pop();
      if (group === undefined) {
        return { ok: false, problem: { kind: 'unmatchedClose' } };
      }
      flush();
      group.alternatives.push(current);
      current = group.parent;
      current.push({ alternatives: group.alternatives });
    } else {
      literal += char;
    }
  }
  if (open.length > 0) {
    return { ok: false, problem: { kind: 'unmatchedOpen' } };
  }
  flush();
  return { ok: true, template: current };
}

/** How many prompts the template expands into; a bigint because nested groups multiply fast. */
export function countExpansions(sequence: Sequence): bigint {
  let count = 1n;
  for (const part of sequence) {
    if ('alternatives' in part) {
      count *= part.alternatives.reduce((sum, alternative) => sum + countExpansions(alternative), 0n);
    }
  }
  return count;
}

/** Every expansion, the first group varying slowest, as Midjourney orders them. */
export function expandTemplate(sequence: Sequence): string[] {
  let results = [''];
  for (const part of sequence) {
    if ('alternatives' in part) {
      // `{red, blue}` is written with spaces after commas; they are layout, not part of the option.
      const options = part.alternatives.flatMap((alternative) =>
        expandTemplate(alternative).map((option) => option.trim()),
      );
      results = results.flatMap((prefix) => options.map((option) => prefix + option));
    } else {
      results = results.map((prefix) => prefix + part.text);
    }
  }
  return results;
}

/**
 * The inverse of parsing a template without groups: escape what {@link parseTemplate} would read
 * as syntax, so that `expandTemplate(parseTemplate(escapeTemplate(s)))` is exactly `[s]`. Commas
 * need no escape outside a group; a backslash needs one only where it would start an escape.
 */
export function escapeTemplate(plain: string): string {
  let out = '';
  for (let i = 0; i < plain.length; i++) {
    const char = plain.charAt(i);
    if (char === '{' || char === '}') out += `\\${char}`;
    else if (char === '\\' && ESCAPABLE.has(plain.charAt(i + 1))) out += '\\\\';
    else out += char;
  }
  return out;
}
