import type { Locale } from '../i18n/locale.js';
/** Generation speed, from `--fast`, `--relax` or `--turbo`. */
export type Speed = 'fast' | 'relax' | 'turbo';

/**
 * The Midjourney parameters a user gave, keyed by canonical name. Only what was given is present:
 * there are no defaults here (a provider or the guild's settings decide those).
 */
export interface Params {
  aspect?: string;
  chaos?: number;
  no?: string[];
  profile?: string[];
  quality?: number;
  seed?: number;
  stop?: number;
  style?: string;
  stylize?: number;
  sref?: string[];
  sw?: number;
  sv?: number;
  tile?: true;
  version?: string;
  niji?: string;
  draft?: true;
  weird?: number;
  iw?: number;
  speed?: Speed;
  exp?: number;
  cref?: string[];
  oref?: string[];
  cw?: number;
  ow?: number;
  motion?: string;
  end?: string;
  loop?: true;
  batchsize?: number;
  /** `--hd`: 2K output (Midjourney V8 and V8.1). */
  hd?: true;
}

export type ParamName = keyof Params;

/** Every canonical parameter name, in the order they are rendered. */
export const PARAM_NAMES = [
  'aspect',
  'chaos',
  'no',
  'profile',
  'quality',
  'seed',
  'stop',
  'style',
  'stylize',
  'sref',
  'sw',
  'sv',
  'tile',
  'version',
  'niji',
  'draft',
  'weird',
  'iw',
  'speed',
  'exp',
  'cref',
  'oref',
  'cw',
  'ow',
  'motion',
  'end',
  'loop',
  'batchsize',
  'hd',
] as const satisfies readonly ParamName[];

/** One prompt after parsing; a command may expand into several (permutations, `--repeat`). */
export interface ParsedPrompt {
  /** The prompt text without image URLs and parameters, trimmed, whitespace collapsed. */
  text: string;
  /** Image prompts: the http(s) URLs at the start of the prompt. */
  imageUrls: string[];
  params: Params;
  /** What the member wrote for it, to show back (see ParseResult.typed); absent on prompts the bot builds itself. */
  typed?: string;
}

export interface PromptError {
  /** The canonical parameter the error is about, when it is about one. */
  param?: string;
  message: string;
}

/**
 * `typed[i]` is what the member wrote for `prompts[i]`: its expansion of their permutations, in their
 * own spelling and order (`--q 4`, not `--quality 4`), whitespace collapsed. It is what messages
 * show; the parsed prompt is what providers get.
 */
export type ParseResult = { ok: true; prompts: ParsedPrompt[]; typed: string[] } | { ok: false; errors: PromptError[] };

export interface ParseOptions {
  /** Most prompts one command may expand into (permutations times repeats). Default 10. */
  maxPrompts?: number;
  /** The language problems are worded in; default English. */
  locale?: Locale;
}
