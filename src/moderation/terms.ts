/**
 * The built-in word lists of the prompt filter. They are a courtesy first line for a PG-13 community
 * server, not the real moderation: the provider still moderates every prompt by meaning, and a
 * determined user will always find a synonym. So the lists stay short and specific, and a word goes
 * in only when an image prompt that uses it almost never means something harmless. Every term is
 * matched as a whole word with its plural and verb forms (see `normalize.ts`), never as a substring.
 *
 * Left out on purpose, because their innocent meanings are common in image prompts: ass (donkey,
 * "kick-ass"), tit/tits (the bird), cock (rooster), dick (Moby Dick, Philip K. Dick), shit, cum
 * (summa cum laude), fag (cigarette), chink (in the armour), coon (Maine coon), dyke (a dam), sexy
 * (PG-13), suicide (Suicide Squad), swastika and nazi (history, religious symbols), corpse and
 * torture (horror art), weed and marijuana, breasts (chicken). Lolita (a fashion style) and shota
 * (a given name) are minor markers instead of banned terms.
 *
 * Kept although they catch something innocent now and then, because the harmful use dominates:
 * gore (Gore Verbinski; "a bull gored"), naked ("naked tree branches"), topless ("a topless
 * convertible"), cocaine (Cocaine Bear), retard ("a retarder"), nipple (plumbing), kys ("Ky's").
 */

export type FilterCategory = 'sexual' | 'minors' | 'violence_gore' | 'hate' | 'self_harm' | 'drugs' | 'custom';

export interface BannedTerm {
  readonly term: string;
  readonly category: FilterCategory;
}

const inCategory = (category: FilterCategory, terms: readonly string[]): BannedTerm[] =>
  terms.map((term) => ({ term, category }));

export const BUILT_IN_TERMS: readonly BannedTerm[] = [
  ...inCategory('sexual', [
    'porn',
    'porno',
    'pornography',
    'pornographic',
    'pron',
    'hentai',
    'nsfw',
    'xxx',
    'rule 34',
    'sex',
    'sexual intercourse',
    'sexual assault',
    // "nude" as a colour is let through by ALLOWED_PHRASES; "naked" keeps "naked eye" and friends.
    'nude',
    'nudity',
    'nudist',
    'nood',
    'naked',
    'topless',
    'undress',
    'unclothed',
    'without clothes',
    'no clothes',
    'bare breasts',
    'exposed breasts',
    'nipple',
    'genitals',
    'genitalia',
    'penis',
    'vagina',
    'vulva',
    'clitoris',
    'testicles',
    'scrotum',
    'anal',
    'boob',
    'titty',
    'pussy',
    'cunt',
    'slut',
    'slutty',
    'whore',
    'milf',
    'orgy',
    'orgasm',
    'masturbate',
    'masturbation',
    'blowjob',
    'blow job',
    'handjob',
    'hand job',
    'cumshot',
    'creampie',
    'gangbang',
    'bukkake',
    'deepthroat',
    'dildo',
    'butt plug',
    'bdsm',
    'bondage',
    'erotic',
    'erotica',
    'lewd',
    'ahegao',
    'futanari',
    'upskirt',
    'cameltoe',
    'rape',
    'rapist',
    'molest',
    'molestation',
    'incest',
    'bestiality',
    'zoophilia',
    'necrophilia',
  ]),
  ...inCategory('minors', [
    // "shota" is also a common Japanese given name: it is a minor marker below instead.
    'loli',
    'lolicon',
    'shotacon',
    'jailbait',
    'child porn',
    'child pornography',
    'kiddie porn',
    'csam',
    'pedo',
    'pedophile',
    'paedophile',
    'pedophilia',
    'paedophilia',
  ]),
  ...inCategory('violence_gore', [
    'gore',
    'gory',
    'disembowel',
    'disembowelment',
    'dismember',
    'dismemberment',
    'decapitate',
    'decapitation',
    'behead',
    'mutilate',
    'mutilation',
    'eviscerate',
    'evisceration',
    'flay',
    'blood bath',
    'severed head',
    'severed limb',
    'snuff film',
    'school shooting',
    'mass shooting',
    'suicide bombing',
    'lynching',
  ]),
  ...inCategory('hate', [
    'nigger',
    'nigga',
    'sand nigger',
    'faggot',
    'kike',
    'spic',
    'gook',
    'wetback',
    'tranny',
    'retard',
    'towelhead',
    'raghead',
    'kkk',
    'heil hitler',
    'sieg heil',
    'gas the jews',
    'white genocide',
  ]),
  ...inCategory('self_harm', [
    'self harm',
    'kill myself',
    'kill yourself',
    'kys',
    'hang myself',
    'cut myself',
    'slit wrist',
    'slit my wrist',
    'suicide note',
    'suicide method',
    'pro ana',
    'thinspo',
    'thinspiration',
  ]),
  ...inCategory('drugs', ['heroin', 'cocaine', 'meth', 'methamphetamine', 'fentanyl', 'crack pipe']),
];

/**
 * Phrases that make a banned word innocent. A banned match is dropped when every word of it lies
 * inside one of these; a longer banned phrase that reaches beyond still counts. They can be gamed
 * ("nude lipstick model"), which is the price of not refusing make-up palettes.
 */
export const ALLOWED_PHRASES: readonly string[] = [
  'pussy willow',
  'pussy cat',
  'same sex',
  'opposite sex',
  'both sexes',
  'sex education',
  'sex pistols',
  'nude lipstick',
  'nude makeup',
  'nude color',
  'nude colour',
  'nude tone',
  'nude palette',
  'nude heels',
  'nude nails',
  'naked eye',
  'naked mole rat',
  'naked flame',
  'naked cake',
  'al gore',
  'gore tex',
  'oilseed rape',
  'spic and span',
];

/**
 * Words that point at a child. Not banned on their own: a prompt already refused as sexual that also
 * has one of these is reported as `minors`, the category that the logs must not miss.
 */
export const MINOR_MARKERS: readonly string[] = [
  'child',
  'children',
  'kid',
  'kiddie',
  'toddler',
  'infant',
  'baby',
  'babies',
  'preteen',
  'underage',
  'minor',
  'teen',
  'teenage',
  'teenager',
  'schoolgirl',
  'schoolboy',
  'young girl',
  'young boy',
  'little girl',
  'little boy',
  'shota',
  'lolita',
];
