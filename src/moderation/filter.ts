/**
 * The prompt filter: refuses prompts that use a banned word. Built once per guild term list.
 *
 * Words are matched whole, with their forms, never as substrings ("grass" is not "ass", "Scunthorpe"
 * passes). The text is read through `normalize.ts`: case, accents, lookalike letters, leetspeak,
 * stretched letters, and words spelled out or split up ("s.e.x", "s e x", "po-rn") are all undone.
 */
import { TermIndex, type Entry } from './filter-index.js';
import { readingsOf, readWords, type Word } from './normalize.js';
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
const SEVERITY: readonly FilterCategory[] = [
  'minors',
  'sexual',
  'hate',
  'self_harm',
  'violence_gore',
  'drugs',
  'custom',
];
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

/** Most terms a server may ban on top of the built-in list: each is spelled out in all its forms. */
export const MAX_GUILD_TERMS = 500;
/** Terms compiled between two turns of the event loop: about 3 ms of work, however long the list. */
const TERMS_PER_TURN = 10;

export function createPromptFilter(options: { readonly extraTerms?: readonly string[] } = {}): PromptFilter {
  const guild = new TermIndex();
  const ignoredTerms = (options.extraTerms ?? []).filter((term) => !guild.add(term.trim(), 'custom'));
  return filterOver(guild, ignoredTerms);
}

/**
 * The same filter, compiled a few terms per turn of the event loop: a server's 500 terms take about
 * 150 ms to spell out, and other members' interactions must not wait behind them.
 */
export async function compilePromptFilter(extraTerms: readonly string[]): Promise<PromptFilter> {
  const guild = new TermIndex();
  const ignoredTerms: string[] = [];
  for (const [at, term] of extraTerms.entries()) {
    if (at > 0 && at % TERMS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    if (!guild.add(term.trim(), 'custom')) ignoredTerms.push(term);
  }
  return filterOver(guild, ignoredTerms);
}

function filterOver(guild: TermIndex, ignoredTerms: readonly string[]): PromptFilter {
  const indexes = [builtInIndex(), guild];

  const findHits = (words: readonly Word[]): Hit[] => {
    const hits: Hit[] = [];
    // Phrases whose first two words a pair of prompt words reads as, by the pair: a prompt that
    // repeats "porn star" a thousand times looks through the phrases starting with "porn" once.
    const phrasesFor = new Map<string, readonly Entry[]>();
    for (const [indexNumber, index] of indexes.entries()) {
      words.forEach((word, at) => {
        const next = words[at + 1];
        for (const reading of word.readings) {
          for (const entry of index.whole(reading)) hits.push({ entry, first: at, last: at });
          const key = `${indexNumber}\u0000${reading}\u0000${next?.raw ?? ''}`;
          let phrases = phrasesFor.get(key);
          if (phrases === undefined) {
            phrases = index.startingWith(reading).filter((entry) => readsAs(next, entry.words[1] ?? new Set()));
            phrasesFor.set(key, phrases);
          }
          for (const entry of phrases) {
            const rest = entry.words.slice(1);
            if (rest.every((forms, offset) => readsAs(words[at + 1 + offset], forms)))
              hits.push({ entry, first: at, last: at + rest.length });
          }
        }
      });
    }
    const mayStartWith = (letters: string): boolean => indexes.some((index) => index.mayStartWith(letters));
    // Joins repeat: in "a.a.a.a…" every start gives the same strings. Each is read once per prompt,
    // which keeps a run of thousands of one-letter words to a few milliseconds.
    const entriesOf = new Map<string, Entry[]>();
    joinedWords(words, mayStartWith, (joined, first, last) => {
      let entries = entriesOf.get(joined);
      if (entries === undefined) {
        entries = readingsOf(joined).flatMap((reading) => indexes.flatMap((index) => index.whole(reading)));
        entriesOf.set(joined, entries);
      }
      for (const entry of entries) hits.push({ entry, first, last });
    });
    return hits;
  };

  const check = (prompt: PromptToCheck): FilterVerdict => {
    const hits = findHits(readWords(prompt.text));
    const allowed = new Set<number>();
    for (const hit of hits)
      if (hit.entry.role === 'allowed') for (let at = hit.first; at <= hit.last; at++) allowed.add(at);
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
      else if (worst === undefined || SEVERITY.indexOf(role) < SEVERITY.indexOf(worst.category))
        worst = { term, category: role };
    }
    if (worst === undefined) return { ok: true };
    // Sexual content next to a word for a child is the case the logs must never file as merely sexual.
    if (worst.category === 'sexual' && marker !== undefined)
      return { ok: false, category: 'minors', term: `${worst.term} + ${marker}` };
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
 *
 * A run of one letter spelled out ("a.a.a.a…") is read as at most three of it, as stretched letters
 * are: the fourth and later add nothing a reading could use, and no join starts inside the run. This
 * keeps thousands of such words, which would otherwise each start 31 joins, to linear work.
 */
function joinedWords(
  words: readonly Word[],
  mayStartWith: (letters: string) => boolean,
  visit: (joined: string, first: number, last: number) => void,
): void {
  for (let first = 0; first < words.length; first++) {
    const start = words[first];
    if (start === undefined || continuesRun(words, first)) continue;
    let joined = start.raw;
    // readsOnlyAsWritten(joined), kept up to date as words are added instead of tested again each time.
    let plain = PLAIN_WORD.test(joined);
    let doubled = DOUBLED_LETTER.test(joined);
    for (let last = first + 1; last < words.length; last++) {
      const word = words[last];
      const previous = words[last - 1];
      if (word === undefined || previous === undefined) break;
      const spelledOut = word.raw.length === 1 && previous.raw.length === 1;
      if (word.chunk !== start.chunk && !spelledOut) break;
      if (plain && !doubled && !mayStartWith(joined)) break;
      if (word.raw.length === 1 && joined.endsWith(word.raw.repeat(3))) continue;
      doubled ||= DOUBLED_LETTER.test(word.raw) || joined.endsWith(word.raw.charAt(0));
      plain &&= PLAIN_WORD.test(word.raw);
      joined += word.raw;
      if (joined.length > MAX_JOINED_LENGTH) break;
      visit(joined, first, last);
    }
  }
}

const PLAIN_WORD = /^[a-z]+$/;
const DOUBLED_LETTER = /(.)\1/;

/** Whether the word at `at` is a one-character word that repeats the three before it. */
function continuesRun(words: readonly Word[], at: number): boolean {
  const raw = words[at]?.raw;
  if (raw?.length !== 1 || at < 3) return false;
  return words[at - 1]?.raw === raw && words[at - 2]?.raw === raw && words[at - 3]?.raw === raw;
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
