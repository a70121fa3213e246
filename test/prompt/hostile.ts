import { integerBetween, pick, type Random } from './helpers.js';

/** The longest prompt a member can send: `/imagine`'s option allows 6,000 characters. */
export const PROMPT_LIMIT = 6000;

const fill = (unit: string, length = PROMPT_LIMIT): string =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const joined = (count: number, make: (index: number) => string, separator = ' '): string =>
  Array.from({ length: count }, (_, index) => make(index))
    .join(separator)
    .slice(0, PROMPT_LIMIT);
const ten = '{a,b,c,d,e,f,g,h,i,j}';

/**
 * Inputs chosen to hurt: each aims at one place where work could grow faster than the input
 * (backtracking regular expressions, permutation products, edit distances, the filter's joins and
 * readings, recursion). Each is at most the prompt limit. Named, so a slow one can be reported.
 */
const CASES: Record<string, string> = {
  'permutations × a long number': `${ten}${ten}${ten} cat --chaos ${'1'.repeat(5800)}x`,
  'a long number': `cat --chaos ${fill('1', 5980)}x`,
  'a long decimal': `cat --iw ${fill('1', 2990)}.${fill('1', 2990)}x`,
  'a long exponent': `cat --iw 1e${fill('1', 5980)}x`,
  'a long ratio': `cat --ar ${fill('1', 2990)}:${fill('1', 2990)}x`,
  'a long seed': `cat --seed ${fill('9', 5980)}`,
  'a long version': `cat --v ${fill('6.', 5980)}`,
  'ninety long unknown flags': joined(90, (index) => `--${fill('q', 58)}${String(index).padStart(2, '0')}`),
  'three thousand short unknown flags': joined(3000, (index) => `--${'abcdefghij'[index % 10]}`),
  'a near miss of every flag': joined(
    600,
    (index) => `--${['chaso', 'stylze', 'aspet', 'qualty', 'versoin', 'tiel'][index % 6]}`,
  ),
  'one 6000-letter flag': `--${fill('x', 5998)}`,
  'a permutation bomb': fill('{a,b}'),
  'nested braces': `${fill('{', 2000)}a${fill('}', 2000)}`,
  'deep but valid nesting': `${'{a '.repeat(8)}b${'}'.repeat(8)}`,
  'a thousand empty alternatives': `{${fill(',', 5990)}}`,
  'unmatched braces': fill('}{'),
  escapes: fill('\\\\\\{\\,'),
  'a --no list of commas': `cat --no ${fill(',a', 5980)}`,
  'a --no list of words': `cat --no ${joined(1400, (index) => `w${index}`, ', ')}`,
  'repeat at the edge': `${fill('cat ', 5960)} --repeat 10`,
  'repeat over the edge': `${fill('cat ', 5960)} --repeat 40`,
  'a huge repeat': `cat --repeat ${fill('9', 5980)}`,
  'many image URLs': joined(200, (index) => `https://${fill('a', 20)}.example/${index}.png`),
  'one long URL': `https://example.com/${fill('a', 5970)}`,
  'many weights': fill('cat::2 '),
  'only spaces': fill(' '),
  'only newlines and tabs': fill('\n\t'),
  'em dashes': fill('—ar —'),
  'one long word': fill('a'),
  'spelled-out letters': joined(3000, (index) => 'sexporn'[index % 7] ?? 'x'),
  'dotted letters': joined(3000, (index) => 'abcdefghijklmnopqrstuvwxyz'[index % 26] ?? 'x', '.'),
  leetspeak: joined(1000, () => '5$3x0'),
  'i-or-l runs': joined(500, () => '1!|1!|1!|1!'),
  'stretched letters': joined(500, () => 'seeeeeexxxxx'),
  'combining marks': fill('a\u0301\u0302'),
  'zero-width characters': fill('s\u200be\u200bx\u200d'),
  'lookalike letters': fill('ѕех роrn '),
  'lone surrogates': fill('\ud800a\udc00'),
  emoji: fill('🐱‍👤'),
  'right-to-left text': fill('\u202eabc\u202c '),
  'hyphenated chunks': joined(1490, () => 'a-b-c'),
  'underscored words': joined(1490, () => 'po_rn_s_e_x'),
};
export const PATHOLOGICAL: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CASES).map(([name, input]) => [name, input.slice(0, PROMPT_LIMIT)]),
);

/** Characters that parsers and the filter treat specially, to build random hostile inputs from. */
const ATOMS = [
  ' ',
  '  ',
  '\n',
  '{',
  '}',
  ',',
  '\\',
  '::',
  '--',
  '—',
  '–',
  '-',
  '.',
  '_',
  '1',
  '0',
  '9',
  'e',
  '!',
  '|',
  '$',
  '@',
  '5',
  'a',
  's',
  'x',
  'é',
  'а',
  '\u200b',
  '\u0301',
  "'",
  ':',
  'https://',
  '/',
  '🐱',
  'ar',
  'chaos',
  'no',
  'repeat',
  'v',
] as const;

/** A random input of up to the prompt limit, long or short, made of atoms that mean something to the parser. */
export function randomHostileInput(random: Random): string {
  const length = pick(random, [8, 64, 512, PROMPT_LIMIT]);
  let text = '';
  while (text.length < length) {
    const atom = pick(random, ATOMS);
    // Runs of one atom are where backtracking and products hide.
    text += random() < 0.2 ? atom.repeat(integerBetween(random, 2, 200)) : atom;
  }
  return text.slice(0, length);
}
