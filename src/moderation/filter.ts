/**
 * The prompt filter: refuses prompts that use a banned word. Built once per guild term list.
 *
 * Words are matched whole, with their forms, never as substrings ("grass" is not "ass", "Scunthorpe"
 * passes). The text is read through `normalize.ts`: case, accents, lookalike letters, leetspeak,
 * stretched letters, and words spelled out or split up ("s.e.x", "s e x", "po-rn") are all undone.
 */
import { TermIndex, type Entry } from './filter-index.js';
import { readingsOf, readWords, readsOnlyAsWritten, type Word } from './normalize.js';
import { ALLOWED_PHRASES, BUILT_IN_TERMS, MINOR_MARKERS, type FilterCategory } from './terms.js';

export type { FilterCategory } from './terms.js';
export { BUILT_IN_TERMS } from './terms.js';

export type FilterVerdict =
  | { readonly ok: true }
  /** `category` is for the user; `term` (as listed, or as the guild typed it) is for the log. */
  | { readonly ok: false; readonly category: FilterCategory; readonly term: string };

export interface PromptToCheck {
  /** The prompt text without parameters, as the prompt parser returns it. */
  readonly text: string;
  /**
   * Accepted so that a parsed prompt can be passed as it is, and deliberately not read: `--no nudity`
   * asks for less of a thing, and refusing it would punish the users who are being careful.
   */
  readonly params?: { readonly no?: readonly string[] };
}

export interface PromptFilter {
  check(prompt: PromptToCheck): FilterVerdict;
  /** Guild terms left out because they fold to fewer than two characters ("!", "c++"): they would ban a letter. */
  readonly ignoredTerms: readonly string[];
}

/** When a prompt hits several terms, the most serious category is reported; a guild's own come last. */
const SEVERITY: readonly FilterCategory[] = ['minors', 'sexual', 'hate', 'self_harm', 'violence_gore', 'drugs', 'custom'];
/** Longer joins of spelled-out letters are not looked up, which keeps "a.b.c.d…" prompts cheap. */
const MAX_JOINED_LENGTH = 32;

/** A term found in the prompt, over words `first` to `last`. */
interface Hit {
  readonly entry: Entry;
  readonly first: number;
  readonly last: number;
}

let builtIn: TermIndex | undefined;

/** The built-in lists compiled once and shared by every guild's filter. */
function builtInIndex(): TermIndex {
  if (builtIn !== undefined) return builtIn;
  const index = new TermIndex();
  for (const { term, category } of BUILT_IN_TERMS) index.add(term, category);
  for (const phrase of ALLOWED_PHRASES) index.add(phrase, 'allowed');
  for (const marker of MINOR_MARKERS) index.add(marker, 'minor_marker');
  return (builtIn = index);
}

export function createPromptFilter(options: { readonly extraTerms?: readonly string[] } = {}): PromptFilter {
  const guild = new TermIndex();
  const ignoredTerms = (options.extraTerms ?? []).filter((term) => !guild.add(term.trim(), 'custom'));
  const indexes = [builtInIndex(), guild];

  const findHits = (words: readonly Word[]): Hit[] => {
    const hits: Hit[] = [];
    for (const index of indexes) {
      words.forEach((word, at) => {
        for (const reading of word.readings) {
          for (const entry of index.whole(reading)) hits.push({ entry, first: at, last: at });
          for (const entry of index.startingWith(reading)) {
            const rest = entry.words.slice(1);
            if (rest.every((forms, offset) => readsAs(words[at + 1 + offset], forms))) hits.push({ entry, first: at, last: at + rest.length });
          }
        }
      });
    }
    const mayStartWith = (letters: string): boolean => indexes.some((index) => index.mayStartWith(letters));
    for (const { joined, first, last } of joinedWords(words, mayStartWith)) {
      for (const reading of readingsOf(joined)) {
        for (const index of indexes) for (const entry of index.whole(reading)) hits.push({ entry, first, last });
      }
    }
    return hits;
  };

  const check = (prompt: PromptToCheck): FilterVerdict => {
    const hits = findHits(readWords(prompt.text));
    const allowed = new Set<number>();
    for (const hit of hits) if (hit.entry.role === 'allowed') for (let at = hit.first; at <= hit.last; at++) allowed.add(at);
    // A banned match inside an allowed phrase is dropped; one that reaches beyond it still counts.
    const counts = (hit: Hit): boolean => {
      for (let at = hit.first; at <= hit.last; at++) if (!allowed.has(at)) return true;
      return false;
    };

    let worst: { readonly term: string; readonly category: FilterCategory } | undefined;
    let marker: string | undefined;
    for (const hit of hits) {
      const { role, term } = hit.entry;
      if (role === 'allowed' || !counts(hit)) continue;
      if (role === 'minor_marker') marker ??= term;
      else if (worst === undefined || SEVERITY.indexOf(role) < SEVERITY.indexOf(worst.category)) worst = { term, category: role };
    }
    if (worst === undefined) return { ok: true };
    // Sexual content next to a word for a child is the case the logs must never file as merely sexual.
    if (worst.category === 'sexual' && marker !== undefined) return { ok: false, category: 'minors', term: `${worst.term} + ${marker}` };
    return { ok: false, ...worst };
  };

  return { check, ignoredTerms };
}

const readsAs = (word: Word | undefined, forms: ReadonlySet<string>): boolean =>
  word !== undefined && word.readings.some((reading) => forms.has(reading));

/**
 * Words joined back together: the pieces of one chunk ("s.e.x", "po-rn", "blood_bath") and runs of
 * one-character words across chunks ("s e x"), every stretch of two or more of them. A stretch stops
 * growing once its letters can only be read as written and no term starts with them.
 */
function* joinedWords(
  words: readonly Word[],
  mayStartWith: (letters: string) => boolean,
): Generator<{ joined: string; first: number; last: number }> {
  for (let first = 0; first < words.length; first++) {
    const start = words[first];
    if (start === undefined) continue;
    let joined = start.raw;
    for (let last = first + 1; last < words.length; last++) {
      const word = words[last];
      const previous = words[last - 1];
      if (word === undefined || previous === undefined) break;
      const spelledOut = word.raw.length === 1 && previous.raw.length === 1;
      if (word.chunk !== start.chunk && !spelledOut) break;
      if (readsOnlyAsWritten(joined) && !mayStartWith(joined)) break;
      joined += word.raw;
      if (joined.length > MAX_JOINED_LENGTH) break;
      yield { joined, first, last };
    }
  }
}

/** `--no`, also as phones type the dashes: the same forms the prompt parser reads. */
const NO_FLAG = /^(?:--|-–|–-|––|—|–)no$/iu;
const ANY_FLAG = /^(?:--|-–|–-|––|—|–)[a-z]\S*$/iu;

/**
 * Removes every `--no …` segment (up to the next `--parameter`) from a raw prompt, for callers that
 * check the prompt as typed rather than parsed: "a landscape --no nudity --ar 16:9" → "a landscape --ar 16:9".
 */
export function stripNoParameter(raw: string): string {
  let inNo = false;
  const kept: string[] = [];
  for (const token of raw.split(/\s+/u)) {
    if (token === '') continue;
    if (ANY_FLAG.test(token)) inNo = NO_FLAG.test(token);
    if (!inNo) kept.push(token);
  }
  return kept.join(' ');
}
