/**
 * How the prompt filter reads text: folded to plain lowercase Latin letters, cut into words, and each
 * word read every way a user may have disguised it. Terms and prompts go through the same folding, so
 * a guild's own terms behave exactly like the built-in ones.
 */

/** Letters that look like Latin ones but that NFKD leaves alone: Cyrillic and Greek lookalikes, ß, æ. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ı: 'i',
  ħ: 'h',
};
const LOOKALIKE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'gu');

const HAS_LETTER = /\p{L}/u;
const WHITESPACE = /\s/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Leetspeak with one reading. `1`, `!` and `|` read as i or l and are handled apart. */
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '3': 'e',
  '4': 'a',
  '@': 'a',
  '5': 's',
  $: 's',
  '7': 't',
  '8': 'b',
};
const LEET_CHAR = /[0134578@$!|]/u;
const SINGLE_READING_LEET = /[034578@$]/gu;
const I_OR_L = /[1!|]/u;
/** Up to this many i-or-l characters every combination is tried; above it, all-i and all-l only. */
const MAX_I_OR_L_COMBINED = 3;

/** Three or more of one letter in a row: stretched for emphasis ("seeeex"), never English spelling. */
const STRETCHED_RUN = /(\p{L})\1{2,}/gu;
const PLAIN = /^[a-z]+$/;
/** Three of one character in a row, letter or not: a cheap first test before STRETCHED_RUN. */
const PLAIN_STRETCHED = /(.)\1\1/;
const DOUBLED = /(.)\1/;

/**
 * A word as the filter sees it: letters, digits and the symbols leetspeak uses for letters. Anything
 * else (hyphens, dots, underscores, asterisks) separates words; `s.e.x` becomes three one-letter
 * words that the filter joins again.
 */
export interface Word {
  /** The word as written, folded; what gets joined when a word was spelled out or split. */
  readonly raw: string;
  /** Every reading of the word that is looked up: as written, with leetspeak undone, unstretched. */
  readonly readings: readonly string[];
  /** Which whitespace-separated chunk of the text the word came from: `blood-bath` is one chunk. */
  readonly chunk: number;
}

/** NFKD, combining marks and invisible characters removed, lowercase, lookalikes made Latin. */
export function fold(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\p{M}\p{Cf}]/gu, '')
      .toLowerCase()
      .replace(LOOKALIKE, (letter) => LOOKALIKES[letter] ?? letter)
      // Apostrophes are dropped rather than split on, so "therapist's" stays one word.
      .replace(/['‘’ʼ]/gu, '')
  );
}

/** The folded words of a text, each with the readings to look up. */
export function readWords(text: string): Word[] {
  const folded = fold(text);
  const words: Word[] = [];
  let chunk = 0;
  let start = -1;
  // One pass over the characters: this runs on every prompt, and regular expressions with Unicode
  // classes cost far more than the lookups that follow.
  for (let at = 0; at <= folded.length; at++) {
    const char = folded[at] ?? ' ';
    if (isWordCharacter(char)) {
      if (start === -1) start = at;
      continue;
    }
    if (start !== -1) {
      // A trailing "!" is an exclamation, not an i.
      const found = folded.slice(start, at);
      const raw = found.endsWith('!') ? found.replace(/!+$/, '') : found;
      if (PLAIN.test(raw) || HAS_LETTER_OR_DIGIT.test(raw)) words.push({ raw, readings: readingsOf(raw), chunk });
      start = -1;
    }
    if (isWhitespace(char)) chunk++;
  }
  return words;
}

const isWordCharacter = (char: string): boolean =>
  (char >= 'a' && char <= 'z') ||
  (char >= '0' && char <= '9') ||
  char === '@' ||
  char === '$' ||
  char === '!' ||
  char === '|' ||
  (char > '\u007f' && HAS_LETTER_OR_DIGIT.test(char));

const isWhitespace = (char: string): boolean =>
  char === ' ' || ((char < ' ' || char > '\u007f') && WHITESPACE.test(char));

/** The words of a term as written: folded and split, without reading leetspeak or stretching. */
export const spellTerm = (term: string): string[] => readWords(term).map((word) => word.raw);

/**
 * The ways to read one folded word. Leetspeak is undone only in words that also hold a letter, so
 * numbers such as "455" or "1984" stay numbers. Stretched letters are read shortened to one, two and
 * three letters, but a plain double letter is never shortened: "annals" must not read as "anals".
 */
export function readingsOf(raw: string): string[] {
  // Most words are plain letters: answer those without the slower Unicode expressions.
  if (PLAIN.test(raw) && !PLAIN_STRETCHED.test(raw)) return [raw];
  const readings = new Set([raw, ...leetReadings(raw)]);
  // "nude!girl": a "!" or "|" between words may also be a separator.
  for (const piece of raw.split(/[!|]+/u)) if (piece !== '') readings.add(piece);
  for (const reading of [...readings]) {
    if (!PLAIN_STRETCHED.test(reading)) continue;
    for (const keep of [1, 2, 3])
      readings.add(reading.replace(STRETCHED_RUN, (_run, letter: string) => letter.repeat(keep)));
  }
  return [...readings];
}

/**
 * Whether a word, and anything that starts with it, can only be read as written: plain letters with
 * no double, which leetspeak cannot change and stretching cannot shorten.
 */
export const readsOnlyAsWritten = (word: string): boolean => PLAIN.test(word) && !DOUBLED.test(word);

/**
 * The readings of a word with leetspeak undone, none when it has no letter or no leetspeak.
 * `n00d` reads as "nood" and, because "00" often stands for a u, as "nud".
 */
export function leetReadings(raw: string): string[] {
  if (!HAS_LETTER.test(raw) || !LEET_CHAR.test(raw)) return [];
  const sources = raw.includes('00') ? [raw, raw.replaceAll('00', 'u')] : [raw];
  return sources.flatMap((source) => readIOrL(source.replace(SINGLE_READING_LEET, (symbol) => LEET[symbol] ?? symbol)));
}

function readIOrL(word: string): string[] {
  const pieces = word.split(I_OR_L);
  const count = pieces.length - 1;
  if (count === 0) return [word];
  const join = (letterAt: (position: number) => string): string =>
    pieces.reduce((joined, piece, position) => (position === 0 ? piece : joined + letterAt(position - 1) + piece), '');
  if (count > MAX_I_OR_L_COMBINED) return [join(() => 'i'), join(() => 'l')];
  const readings: string[] = [];
  for (let mask = 0; mask < 2 ** count; mask++) readings.push(join((position) => ((mask >> position) & 1 ? 'l' : 'i')));
  return readings;
}

/** Words that take "es" for a plural: "sexes", "asses". After other letters "es" is no ending: "heroines" is not "heroin"+es. */
const TAKES_ES = /(?:s|x|z|ch|sh)$/u;
const ENDS_IN_CONSONANT = /[^aeiouy]$/u;
const VERB_ENDINGS = ['ed', 'ing', 'er', 'ers'] as const;

/**
 * The forms of a term word that count as the word itself: plurals and verb forms ("rape" → rapes,
 * raped, raping, raper; "slut" → sluts, slutted; "orgy" → orgies; "sex" → sexes). A "y" ending is
 * not a form, so "sexy" and "Gorey" are not "sex" and "gore"; derived words ("nudity") are listed as
 * terms of their own. A word ending in c takes a k before these endings ("picnicked"), so "spic"
 * has no verb forms and "spiced" stays spice.
 */
export function formsOf(word: string): string[] {
  const forms = new Set([word, `${word}s`]);
  if (TAKES_ES.test(word)) forms.add(`${word}es`);
  if (word.endsWith('y')) forms.add(`${word.slice(0, -1)}ies`);
  if (!word.endsWith('c')) {
    const stems = [word];
    if (word.endsWith('e')) stems.push(word.slice(0, -1));
    if (ENDS_IN_CONSONANT.test(word)) stems.push(word + word.slice(-1));
    for (const stem of stems) for (const ending of VERB_ENDINGS) forms.add(stem + ending);
  }
  return [...forms];
}
