import type { PARAM_NAMES, Params, ParsedPrompt } from '../../src/prompt/types.js';
import { integerBetween, pick, some, type Random } from './helpers.js';

/** Image URLs, including the characters that need care when rendered: commas, braces, backslashes. */
export const URLS = [
  'https://a.example/1.png',
  'http://b.example/x,y.png',
  'https://c.example/{braces}.png',
  'https://d.example/back\\slash.png',
  'https://e.example/a\\{b}',
  'HTTPS://F.EXAMPLE/UP.PNG',
  'https://g.example/q?x=1&y=2',
] as const;

/** Words valid anywhere in text: syntax characters, lookalikes of parameters, non-ASCII. */
const WORDS = [
  'cat',
  'a',
  'Red',
  'ship::2',
  '::',
  '--',
  '—',
  '–',
  '-',
  '--5',
  'well--known',
  '{',
  '}',
  '{x}',
  'a,b',
  ',',
  '\\',
  'x\\',
  '\\{',
  '\\\\',
  '\\,',
  'é',
  '日本',
  '🐱',
  'https://later.example/x.png',
  '\\--ar',
] as const;

/** Words for `--no` items: like WORDS but without commas, which always separate items. */
const ITEM_WORDS = WORDS.filter((word) => !word.includes(','));

const PROFILE_CODES = ['abc', 'X-1', 'under_score', '42', 'p8mq0ep'] as const;

function words(random: Random, pool: readonly string[], min: number, max: number): string {
  return some(random, pool, min, max).join(' ');
}

function text(random: Random, needed: boolean): string {
  const result = words(random, WORDS, needed ? 1 : 0, 6);
  // A URL first would be read as an image prompt, so such text cannot come out of parsing.
  return /^https?:/i.test(result) ? `see ${result}` : result;
}

const chance = (random: Random, probability: number): boolean => random() < probability;

function digits(random: Random): string {
  const length = integerBetween(random, 1, 30);
  return (
    String(integerBetween(random, 1, 9)) +
    Array.from({ length: length - 1 }, () => integerBetween(random, 0, 9)).join('')
  );
}

/** A value for each parameter, valid on its own; cross-parameter rules are applied in {@link randomParams}. */
// Keyed by the PARAM_NAMES union rather than `keyof Params` so the mapped type does not copy the
// optional modifiers, and `VALUES[name]` keeps its per-name type for a generic name.
type Name = (typeof PARAM_NAMES)[number];
const VALUES: { [K in Name]: (random: Random) => NonNullable<Params[K]> } = {
  aspect: (random) =>
    chance(random, 0.2)
      ? `${digits(random)}:${digits(random)}`
      : `${integerBetween(random, 1, 2000)}:${integerBetween(random, 1, 2000)}`,
  chaos: (random) => integerBetween(random, 0, 100),
  no: (random) => Array.from({ length: integerBetween(random, 1, 3) }, () => words(random, ITEM_WORDS, 1, 3)),
  profile: (random) => some(random, PROFILE_CODES, 0, 3),
  quality: (random) => pick(random, [0.25, 0.5, 1, 2, 4]),
  seed: (random) => integerBetween(random, 0, 4_294_967_295),
  stop: (random) => integerBetween(random, 1, 100),
  style: (random) => pick(random, ['raw', 'cute', 'expressive', 'original', 'scenic']),
  stylize: (random) => integerBetween(random, 0, 1000),
  sref: (random) => some(random, [...URLS, '123', '4567890', 'random'], 1, 3),
  sw: (random) => integerBetween(random, 0, 1000),
  sv: (random) => integerBetween(random, 1, 6),
  tile: () => true,
  version: (random) => pick(random, ['1', '2', '3', '4', '5', '5.1', '5.2', '6', '6.1', '7', '8', '8.1']),
  niji: (random) => pick(random, ['5', '6', '7']),
  draft: () => true,
  weird: (random) => integerBetween(random, 0, 3000),
  iw: (random) => (chance(random, 0.1) ? 1e-7 : integerBetween(random, 0, 300) / 100),
  speed: (random) => pick(random, ['fast', 'relax', 'turbo'] as const),
  exp: (random) => integerBetween(random, 0, 100),
  cref: (random) => some(random, URLS, 1, 3),
  oref: (random) => some(random, URLS, 1, 2),
  cw: (random) => integerBetween(random, 0, 100),
  ow: (random) => integerBetween(random, 1, 1000),
  motion: (random) => pick(random, ['low', 'high']),
  end: (random) => pick(random, URLS),
  loop: () => true,
  batchsize: (random) => pick(random, [1, 2, 4]),
  hd: () => true,
};

function randomParams(random: Random): Params {
  const params: Params = {};
  const set = <K extends Name>(name: K): void => {
    params[name] = VALUES[name](random);
  };
  for (const name of Object.keys(VALUES) as Name[]) if (chance(random, 0.3)) set(name);
  if (params.niji !== undefined) delete params.version;
  if (params.draft && params.version !== undefined && params.version !== '7') delete params.draft;
  if (params.iw !== undefined && params.iw > 2 && params.version?.startsWith('5')) params.iw = 2;
  return params;
}

/** A prompt that parsing could have produced. */
export function randomPrompt(random: Random): ParsedPrompt {
  const imageUrls = some(random, URLS, 0, 2);
  return { imageUrls, text: text(random, imageUrls.length === 0), params: randomParams(random) };
}

/** Pieces of raw commands, valid or not, to fuzz the parser with. */
const PIECES = [
  'cat',
  'a red bird',
  '::',
  '--',
  '—',
  'ship::2',
  'https://a.example/1.png',
  '{red, blue}',
  '{a, {b, c}}',
  '\\{',
  '\\}',
  '\\,',
  '\\\\',
  '\\',
  ',',
  '--ar 16:9',
  '—ar 2:3',
  '--AR 1:1',
  '--chaos 50',
  '--c 101',
  '--no red, blue',
  '--no {x\\, y, z}',
  '--p',
  '--p abc, X-1',
  '--sref random 123',
  '--cref https://b.example/2.png',
  '--tile',
  '--raw',
  '--style cute',
  '--v 6.0',
  '--v 5.2',
  '--niji 6',
  '--draft',
  '--iw 2.5',
  '--iw .5',
  '--fast',
  '--turbo',
  '--q .25',
  '--seed 42',
  '--r 2',
  '--repeat 3',
  '--chaso',
  '--end https://c.example/e.png',
  '--motion high',
  '--loop',
  '--bs 4',
  '--ar {1:1, 3:2}',
  '--w 3000',
  '--exp 7',
] as const;

export function randomCommand(random: Random): string {
  const start = chance(random, 0.3) ? [pick(random, URLS)] : [];
  return [...start, ...some(random, PIECES, 1, 7)].join(pick(random, [' ', '  ', '\n']));
}
