/**
 * The simulator's own reading of a MaaS-MJ `text`: leading image URLs, the words, and `--flags`
 * per Cloudsway's parameter table. It is written apart from the bot's parser on purpose, so a bug
 * there cannot hide here. It refuses what Cloudsway says it does not support (repeat, profile,
 * `{}` permutations, stealth/public) and the video-only flags, as Youchuan's
 * `Invalid_Prompt_Parameter` does.
 */

export interface DiffusionFlags {
  imageUrls: string[];
  words: string;
  aspect: string;
  speed: 'fast' | 'relax' | 'turbo';
  seed?: number;
  /** "7", "6.1", "niji 6"… (v7 when not given). */
  version: string;
}

type Kind =
  | { type: 'switch' }
  | { type: 'int' | 'number'; min: number; max: number }
  | { type: 'aspect' }
  | { type: 'list' }
  | { type: 'word'; values?: string[] }
  | { type: 'optional' };

const FLAGS: Record<string, Kind> = {
  aspect: { type: 'aspect' },
  chaos: { type: 'int', min: 0, max: 100 },
  no: { type: 'list' },
  quality: { type: 'number', min: 0.25, max: 4 },
  seed: { type: 'int', min: 0, max: 4_294_967_295 },
  stop: { type: 'int', min: 1, max: 100 },
  raw: { type: 'switch' },
  style: { type: 'word', values: ['raw', 'cute', 'expressive', 'original', 'scenic'] },
  stylize: { type: 'int', min: 0, max: 1000 },
  sref: { type: 'list' },
  sw: { type: 'int', min: 0, max: 1000 },
  sv: { type: 'int', min: 1, max: 6 },
  tile: { type: 'switch' },
  version: { type: 'word', values: ['5', '5.0', '5.1', '5.2', '6', '6.0', '6.1', '7', '7.0'] },
  draft: { type: 'switch' },
  weird: { type: 'int', min: 0, max: 3000 },
  iw: { type: 'number', min: 0, max: 3 },
  fast: { type: 'switch' },
  relax: { type: 'switch' },
  turbo: { type: 'switch' },
  niji: { type: 'optional' },
  exp: { type: 'int', min: 0, max: 100 },
  cref: { type: 'list' },
  cw: { type: 'int', min: 0, max: 100 },
  oref: { type: 'list' },
  ow: { type: 'int', min: 1, max: 1000 },
  hd: { type: 'switch' },
};

const ALIASES: Record<string, string> = {
  ar: 'aspect',
  c: 'chaos',
  q: 'quality',
  s: 'stylize',
  v: 'version',
  w: 'weird',
};

const REFUSED: Record<string, string> = {
  repeat: '--repeat is not currently supported',
  r: '--repeat is not currently supported',
  profile: '--profile (personalization) is not currently supported',
  p: '--profile (personalization) is not currently supported',
  stealth: '--stealth/--public are not currently supported',
  public: '--stealth/--public are not currently supported',
  bs: '--bs only supports video tasks',
  batchsize: '--batchsize only supports video tasks',
  motion: '--motion only supports video tasks',
  end: '--end is for video tasks only',
  loop: '--loop is for video tasks only',
  video: 'video parameters are for video tasks only',
};

const isUrl = (token: string) => /^https?:\/\/\S+$/i.test(token);
const isFlag = (token: string | undefined) => token !== undefined && /^--[a-z]/i.test(token);

/** Reads the text; returns the flags the simulator needs, or the sentence Youchuan would answer with. */
export function readDiffusionText(text: string): { ok: true; flags: DiffusionFlags } | { ok: false; message: string } {
  if (/[{}]/.test(text)) return { ok: false, message: 'permutation prompts ({}) are not currently supported' };
  const tokens = text.split(/\s+/).filter((token) => token !== '');
  let i = 0;
  const imageUrls: string[] = [];
  for (; i < tokens.length && isUrl(tokens[i] ?? ''); i++) imageUrls.push(tokens[i] ?? '');
  const words: string[] = [];
  const values = new Map<string, string[]>();
  while (i < tokens.length) {
    const token = tokens[i++] ?? '';
    if (!isFlag(token)) {
      words.push(token);
      continue;
    }
    const given = token.slice(2).toLowerCase();
    const refused = REFUSED[given];
    if (refused) return { ok: false, message: refused };
    const name = ALIASES[given] ?? given;
    const kind = FLAGS[name];
    if (!kind) return { ok: false, message: `Unrecognized parameter: ${token}` };
    if (values.has(name)) return { ok: false, message: `duplicate parameter: ${token}` };
    const args: string[] = [];
    if (kind.type === 'list') while (i < tokens.length && !isFlag(tokens[i])) args.push(tokens[i++] ?? '');
    else if (kind.type !== 'switch' && i < tokens.length && !isFlag(tokens[i])) args.push(tokens[i++] ?? '');
    const problem = checkValue(token, kind, args);
    if (problem) return { ok: false, message: problem };
    values.set(name, args);
  }
  if (words.length === 0 && imageUrls.length === 0) return { ok: false, message: 'the prompt is empty' };
  return finish(imageUrls, words.join(' '), values);
}

function checkValue(flag: string, kind: Kind, args: string[]): string | undefined {
  const [value] = args;
  switch (kind.type) {
    case 'switch':
    case 'optional':
      return undefined;
    case 'list':
      return args.length === 0 ? `${flag} needs a value` : undefined;
    case 'aspect':
      return value !== undefined && /^[1-9]\d*:[1-9]\d*$/.test(value)
        ? undefined
        : `${flag} only takes integer ratios like 16:9, got ${value ?? 'nothing'}`;
    case 'word':
      return value !== undefined && (!kind.values || kind.values.includes(value))
        ? undefined
        : `invalid value for ${flag}: ${value ?? 'nothing'}`;
    case 'int':
    case 'number': {
      const number = Number(value);
      const whole = kind.type === 'number' || Number.isInteger(number);
      return value !== undefined && Number.isFinite(number) && whole && number >= kind.min && number <= kind.max
        ? undefined
        : `${flag} must be ${kind.type === 'int' ? 'an integer' : 'a number'} from ${kind.min} to ${kind.max}, got ${value ?? 'nothing'}`;
    }
  }
}

function finish(
  imageUrls: string[],
  words: string,
  values: Map<string, string[]>,
): { ok: true; flags: DiffusionFlags } | { ok: false; message: string } {
  const speeds = (['fast', 'relax', 'turbo'] as const).filter((speed) => values.has(speed));
  if (speeds.length > 1) return { ok: false, message: 'use only one of --fast, --relax, --turbo' };
  if (values.has('niji') && values.has('version'))
    return { ok: false, message: '--niji and --version cannot be used together' };
  const niji = values.get('niji');
  const nijiVersion = niji?.[0] ?? '6';
  if (niji && !['5', '6'].includes(nijiVersion))
    return { ok: false, message: `invalid value for --niji: ${nijiVersion}` };
  const version = niji ? `niji ${nijiVersion}` : (values.get('version')?.[0] ?? '7').replace(/\.0$/, '');
  if (values.has('draft') && version !== '7')
    return { ok: false, message: '--draft is only compatible with version 7' };
  const seed = values.get('seed')?.[0];
  return {
    ok: true,
    flags: {
      imageUrls,
      words,
      aspect: values.get('aspect')?.[0] ?? '1:1',
      speed: speeds[0] ?? 'fast',
      ...(seed === undefined ? {} : { seed: Number(seed) }),
      version,
    },
  };
}
