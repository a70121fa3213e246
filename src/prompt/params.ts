import type { Allowed } from './problems.js';
import type { ParamName, Params, Speed } from './types.js';
import {
  accept,
  isHttpUrl,
  mustBe,
  needsValue,
  readAspect,
  readDecimal,
  readInteger,
  readList,
  readNumber,
  readNumericChoice,
  readWordChoice,
  reject,
  type Outcome,
} from './values.js';

/**
 * How a parameter is written and read. `takes` says which tokens after the form are its value:
 * none (a switch), exactly one, or every token up to the next parameter (lists).
 */
export interface ParamSpec<V> {
  /** Lower-case forms without dashes, long form first. */
  forms: readonly string[];
  takes: 'none' | 'one' | 'list';
  /** Forms that stand alone although the parameter usually takes a value (`--raw` for `--style raw`). */
  switchForms?: readonly string[];
  /** What a value may be (text.ts phrases it to follow "needs a value:" and "must be"). */
  allowed: Allowed;
  /** `flag` is the form as the user wrote it, with dashes, for the message. */
  read(args: readonly string[], flag: string, form: string): Outcome<V>;
  render(value: V): string;
}

export type ParamValue<K extends ParamName> = NonNullable<Params[K]>;
type SpecTable = { [K in ParamName]: ParamSpec<ParamValue<K>> };

export const VERSIONS = ['1', '2', '3', '4', '5', '5.1', '5.2', '6', '6.1', '7', '8', '8.1'] as const;
export const NIJI_VERSIONS = ['5', '6', '7'] as const;
export const STYLES = ['raw', 'cute', 'expressive', 'original', 'scenic'] as const;
export const QUALITIES = [0.25, 0.5, 1, 2, 4] as const;
export const BATCH_SIZES = [1, 2, 4] as const;
export const SPEEDS = ['fast', 'relax', 'turbo'] as const satisfies readonly Speed[];

function integer(forms: readonly string[], min: number, max: number): ParamSpec<number> {
  return {
    forms,
    takes: 'one',
    allowed: { kind: 'integer', min, max },
    read: ([raw = ''], flag) => readInteger(flag, raw, min, max),
    render: (value) => `--${forms[0] ?? ''} ${value}`,
  };
}

function choice(forms: readonly string[], choices: readonly string[]): ParamSpec<string> {
  return {
    forms,
    takes: 'one',
    allowed: { kind: 'oneOf', choices },
    read: ([raw = ''], flag) => readWordChoice(flag, raw, choices),
    render: (value) => `--${forms[0] ?? ''} ${value}`,
  };
}

/** `written` is how the choices are shown: `.25`, not `0.25`. */
function numberChoice(
  forms: readonly string[],
  choices: readonly number[],
  written: readonly string[],
): ParamSpec<number> {
  const allowed: Allowed = { kind: 'oneOf', choices: written };
  return {
    forms,
    takes: 'one',
    allowed,
    read: ([raw = ''], flag) => {
      const value = readNumber(raw);
      return value !== undefined && choices.includes(value) ? accept(value) : reject(mustBe(flag, allowed, raw));
    },
    render: (value) => `--${forms[0] ?? ''} ${value}`,
  };
}

function toggle(forms: readonly string[]): ParamSpec<true> {
  return {
    forms,
    takes: 'none',
    allowed: { kind: 'nothing' },
    read: () => accept(true),
    render: () => `--${forms[0] ?? ''}`,
  };
}

function urls(form: string): ParamSpec<string[]> {
  const allowed: Allowed = { kind: 'imageUrls' };
  return {
    forms: [form],
    takes: 'list',
    allowed,
    read: (args, flag) =>
      args.length === 0
        ? reject(needsValue(flag, allowed))
        : readList(flag, args, allowed, (item) => (isHttpUrl(item) ? item : undefined)),
    render: (value) => `--${form} ${value.join(' ')}`,
  };
}

const NO_ALLOWED: Allowed = { kind: 'noList' };
const PROFILE_ALLOWED: Allowed = { kind: 'profileCodes' };
const SREF_ALLOWED: Allowed = { kind: 'srefList' };
const ASPECT_ALLOWED: Allowed = { kind: 'aspect' };
const IMAGE_URL: Allowed = { kind: 'imageUrl' };

export const SPECS: SpecTable = {
  aspect: {
    forms: ['aspect', 'ar'],
    takes: 'one',
    allowed: ASPECT_ALLOWED,
    read: ([raw = ''], flag) => readAspect(flag, raw),
    render: (value) => `--ar ${value}`,
  },
  chaos: integer(['chaos', 'c'], 0, 100),
  no: {
    forms: ['no'],
    takes: 'list',
    allowed: NO_ALLOWED,
    read: (args, flag) => {
      // Tokens were split on whitespace; joining them back lets `red,blue` and `red , blue` read alike.
      const items = args
        .join(' ')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length > 0 ? accept(items) : reject(needsValue(flag, NO_ALLOWED));
    },
    render: (value) => `--no ${value.join(', ')}`,
  },
  profile: {
    forms: ['profile', 'p'],
    takes: 'list',
    allowed: PROFILE_ALLOWED,
    read: (args, flag) => {
      const codes = args.flatMap((arg) => arg.split(',')).filter((code) => code !== '');
      return readList(flag, codes, PROFILE_ALLOWED, (code) => (/^[\w-]+$/.test(code) ? code : undefined));
    },
    render: (value) => (value.length === 0 ? '--profile' : `--profile ${value.join(' ')}`),
  },
  quality: numberChoice(['quality', 'q'], QUALITIES, ['.25', '.5', '1', '2', '4']),
  seed: integer(['seed'], 0, 4_294_967_295),
  stop: integer(['stop'], 1, 100),
  style: {
    forms: ['style', 'raw'],
    takes: 'one',
    switchForms: ['raw'],
    allowed: { kind: 'oneOf', choices: STYLES },
    read: ([raw = ''], flag, form) => (form === 'raw' ? accept('raw') : readWordChoice(flag, raw, STYLES)),
    render: (value) => `--style ${value}`,
  },
  stylize: integer(['stylize', 's'], 0, 1000),
  sref: {
    forms: ['sref'],
    takes: 'list',
    allowed: SREF_ALLOWED,
    read: (args, flag) =>
      args.length === 0
        ? reject(needsValue(flag, SREF_ALLOWED))
        : readList(flag, args, SREF_ALLOWED, (item) => {
            if (item.toLowerCase() === 'random') return 'random';
            return /^\d+$/.test(item) || isHttpUrl(item) ? item : undefined;
          }),
    render: (value) => `--sref ${value.join(' ')}`,
  },
  sw: integer(['sw'], 0, 1000),
  sv: integer(['sv'], 1, 6),
  tile: toggle(['tile']),
  version: {
    forms: ['version', 'v'],
    takes: 'one',
    allowed: { kind: 'oneOf', choices: VERSIONS },
    read: ([raw = ''], flag) => readNumericChoice(flag, raw, VERSIONS),
    render: (value) => `--v ${value}`,
  },
  niji: {
    forms: ['niji'],
    takes: 'one',
    allowed: { kind: 'oneOf', choices: NIJI_VERSIONS },
    read: ([raw = ''], flag) => readNumericChoice(flag, raw, NIJI_VERSIONS),
    render: (value) => `--niji ${value}`,
  },
  draft: toggle(['draft']),
  weird: integer(['weird', 'w'], 0, 3000),
  iw: {
    forms: ['iw'],
    takes: 'one',
    allowed: { kind: 'number', min: 0, max: 3 },
    read: ([raw = ''], flag) => readDecimal(flag, raw, 0, 3),
    render: (value) => `--iw ${value}`,
  },
  speed: {
    forms: SPEEDS,
    takes: 'none',
    allowed: { kind: 'nothing' },
    read: (_args, _flag, form) => {
      const speed = SPEEDS.find((candidate) => candidate === form);
      return speed === undefined ? reject({ kind: 'unknownSpeed', form }) : accept(speed);
    },
    render: (value) => `--${value}`,
  },
  exp: integer(['exp'], 0, 100),
  cref: urls('cref'),
  oref: urls('oref'),
  cw: integer(['cw'], 0, 100),
  ow: integer(['ow'], 1, 1000),
  motion: choice(['motion'], ['low', 'high']),
  end: {
    forms: ['end'],
    takes: 'one',
    allowed: IMAGE_URL,
    read: ([raw = ''], flag) => (isHttpUrl(raw) ? accept(raw) : reject(mustBe(flag, IMAGE_URL, raw))),
    render: (value) => `--end ${value}`,
  },
  loop: toggle(['loop']),
  batchsize: numberChoice(['batchsize', 'bs'], BATCH_SIZES, ['1', '2', '4']),
  hd: toggle(['hd']),
};

/** `--repeat` is read like a parameter but consumed by expansion, so it is not in {@link SPECS}. */
export const REPEAT_FORMS = ['repeat', 'r'] as const;
export const REPEAT_MIN = 1;
export const REPEAT_MAX = 40;

const BY_FORM = new Map<string, ParamName>();
for (const [name, spec] of Object.entries(SPECS) as [ParamName, ParamSpec<unknown>][]) {
  for (const form of spec.forms) BY_FORM.set(form, name);
}

export function paramForForm(form: string): ParamName | undefined {
  return BY_FORM.get(form);
}

/** Every form a user may type, for "did you mean"; in table order, so a tie favours the long form. */
export const KNOWN_FORMS: readonly string[] = [
  ...(Object.keys(SPECS) as ParamName[]).flatMap((name) => SPECS[name].forms),
  ...REPEAT_FORMS,
];
