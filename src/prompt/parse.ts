import { countExpansions, escapeTemplate, expandTemplate, parseTemplate } from './expand.js';
import { KNOWN_FORMS, paramForForm, REPEAT_FORMS, REPEAT_MAX, REPEAT_MIN, SPECS } from './params.js';
import { UNSUPPORTED_FORMS, type PromptProblem, type UnsupportedForm } from './problems.js';
import { nearest } from './suggest.js';
import { describeProblem } from './text.js';
import {
  PARAM_NAMES,
  type ParamName,
  type Params,
  type ParsedPrompt,
  type ParseOptions,
  type ParseResult,
  type PromptError,
} from './types.js';
import { isHttpUrl, needsValue, quote, readInteger, reject } from './values.js';

export type { ParsedPrompt, ParseOptions, ParseResult, PromptError } from './types.js';

const DEFAULT_MAX_PROMPTS = 10;
/**
 * A misspelt flag longer than this is not compared with the known forms (the longest is 10
 * letters): the edit distance costs the product of the lengths, and no typo is that far off.
 */
const SUGGEST_MAX_LENGTH = 16;

/**
 * `--name`, also as phones type it: an em dash, or an en dash alone or next to a hyphen. The name
 * must start with a letter so that a bare `--`, `—` or `--5` stays text.
 */
const PARAM_TOKEN = /^(?:--|-–|–-|––|—|–)([a-z]\S*)$/iu;

const paramNameOf = (token: string | undefined): string | undefined =>
  token === undefined ? undefined : PARAM_TOKEN.exec(token)?.[1];

/** A problem and the canonical parameter it is about, if any; text.ts words it at the end. */
interface Found {
  param?: string;
  problem: PromptProblem;
}

interface OneResult {
  prompt: ParsedPrompt | undefined;
  /** Copies asked for with `--repeat`; undefined when not given or not valid. */
  repeat: number | undefined;
  repeatGiven: boolean;
  errors: Found[];
}

const isUnsupported = (form: string): form is UnsupportedForm =>
  (UNSUPPORTED_FORMS as readonly string[]).includes(form);

/**
 * Suggestions for misspelt flags, shared by one command's expansions. A reply shows ten problems,
 * so at most ten distinct flags are compared with the known forms: three thousand made-up flags
 * cost ten edit-distance searches, not three thousand.
 */
interface Suggestions {
  readonly byForm: Map<string, string | undefined>;
  left: number;
}

const MAX_SUGGESTIONS = 10;

/** Parses one expanded prompt: plain text, no braces or escapes left. */
function parseOne(plain: string, suggestions: Suggestions): OneResult {
  const tokens = plain.split(/\s+/).filter((token) => token !== '');
  const errors: Found[] = [];
  const params: Params = {};
  const text: string[] = [];
  /** Canonical name (and `repeat`) → the flag that first set it, to word duplicate errors. */
  const seen = new Map<string, string>();
  let repeat: number | undefined;

  let i = 0;
  const takeArgs = (takes: 'none' | 'one' | 'list'): string[] => {
    const args: string[] = [];
    while (takes !== 'none' && i < tokens.length && paramNameOf(tokens[i]) === undefined) {
      args.push(tokens[i] ?? '');
      i++;
      if (takes === 'one') break;
    }
    return args;
  };

  while (i < tokens.length) {
    const token = tokens[i] ?? '';
    i++;
    const given = paramNameOf(token);
    if (given === undefined) {
      text.push(token);
      continue;
    }
    const form = given.toLowerCase();
    const flag = `--${form}`;
    if (isUnsupported(form)) {
      errors.push({ param: form, problem: { kind: 'unsupported', form } });
      continue;
    }

    if ((REPEAT_FORMS as readonly string[]).includes(form)) {
      const outcome = readRepeat(takeArgs('one'), flag, seen);
      errors.push(...outcome.errors);
      repeat ??= outcome.value;
      continue;
    }

    const name = paramForForm(form);
    if (name === undefined) {
      errors.push(unknownParam(given, suggestions));
      continue;
    }

    const spec = SPECS[name];
    const takes = spec.switchForms?.includes(form) === true ? 'none' : spec.takes;
    const args = takeArgs(takes);
    const duplicate = duplicateMessage(seen, name, flag);
    if (duplicate !== undefined) errors.push({ param: name, problem: duplicate });
    else seen.set(name, flag);

    const problem =
      takes === 'one' && args.length === 0
        ? needsValue(flag, spec.allowed)
        : readInto(duplicate === undefined ? params : {}, name, args, flag, form);
    if (problem !== undefined) errors.push({ param: name, problem });
  }

  errors.push(...conflicts(params, seen));
  // Image prompts are the URLs that start the text once parameters are taken out, so that a prompt
  // beginning with a parameter still reads its images, and text never starts with a URL (which a
  // rendered prompt would turn into an image prompt).
  const firstText = text.findIndex((token) => !isHttpUrl(token));
  const imageUrls = firstText === -1 ? text : text.slice(0, firstText);
  const joined = (firstText === -1 ? [] : text.slice(firstText)).join(' ');
  if (joined === '' && imageUrls.length === 0) {
    errors.push({ problem: { kind: 'empty' } });
  }
  return {
    prompt: errors.length === 0 ? { text: joined, imageUrls, params } : undefined,
    repeat,
    repeatGiven: seen.has('repeat'),
    errors,
  };
}

/** Reads a value into `params`; a duplicate is read into a throwaway object so its value is still checked. */
function readInto<K extends ParamName>(
  params: Params,
  name: K,
  args: readonly string[],
  flag: string,
  form: string,
): PromptProblem | undefined {
  const outcome = SPECS[name].read(args, flag, form);
  if (!outcome.ok) return outcome.problem;
  params[name] = outcome.value;
  return undefined;
}

function readRepeat(
  args: readonly string[],
  flag: string,
  seen: Map<string, string>,
): { value?: number; errors: Found[] } {
  const errors: Found[] = [];
  const duplicate = duplicateMessage(seen, 'repeat', flag);
  if (duplicate !== undefined) errors.push({ param: 'repeat', problem: duplicate });
  else seen.set('repeat', flag);
  const [raw] = args;
  const outcome =
    raw === undefined
      ? reject<number>(needsValue(flag, { kind: 'integer', min: REPEAT_MIN, max: REPEAT_MAX }))
      : readInteger(flag, raw, REPEAT_MIN, REPEAT_MAX);
  if (!outcome.ok) errors.push({ param: 'repeat', problem: outcome.problem });
  return outcome.ok && duplicate === undefined ? { value: outcome.value, errors } : { errors };
}

function unknownParam(given: string, suggestions: Suggestions): Found {
  const form = given.toLowerCase();
  let suggestion = suggestions.byForm.get(form);
  if (!suggestions.byForm.has(form) && suggestions.left > 0 && given.length <= SUGGEST_MAX_LENGTH) {
    suggestions.left -= 1;
    suggestion = nearest(form, KNOWN_FORMS);
    suggestions.byForm.set(form, suggestion);
  }
  return {
    param: quote(given),
    problem: { kind: 'unknownParam', given: quote(given), ...(suggestion === undefined ? {} : { suggestion }) },
  };
}

function duplicateMessage(seen: ReadonlyMap<string, string>, name: string, flag: string): PromptProblem | undefined {
  const previous = seen.get(name);
  if (previous === undefined) return undefined;
  if (name === 'speed' && previous !== flag) return { kind: 'twoSpeeds', first: previous, second: flag };
  if (previous === flag) return { kind: 'givenTwice', flag };
  return { kind: 'setTwice', first: previous, second: flag, name };
}

/** Rules between parameters; each error names the parameter that has to go or change. */
function conflicts(params: Params, seen: ReadonlyMap<string, string>): Found[] {
  const errors: Found[] = [];
  const niji = seen.get('niji');
  const version = seen.get('version');
  if (niji !== undefined && version !== undefined) {
    errors.push({ param: 'niji', problem: { kind: 'nijiAndVersion', niji, version } });
  }
  if (params.draft === true && params.version !== undefined && params.version !== '7') {
    errors.push({ param: 'draft', problem: { kind: 'draftNeedsV7', version: params.version } });
  }
  if (params.iw !== undefined && params.iw > 2 && params.version?.startsWith('5') === true) {
    errors.push({ param: 'iw', problem: { kind: 'iwWithVersion', version: params.version, iw: params.iw } });
  }
  return errors;
}

/**
 * Parses an /imagine command: expands permutations and `--repeat`, then reads each prompt's image
 * URLs, text and parameters. Every problem in every expansion is reported, each once.
 *
 * The work is bounded by the limit, not by what the member typed: every expansion makes at least
 * one prompt, so a template with more expansions than the limit is refused from its count alone,
 * and at most `maxPrompts` expansions are ever built and read. Identical expansions are read once.
 */
export function parsePrompt(input: string, options: ParseOptions = {}): ParseResult {
  const maxPrompts = options.maxPrompts ?? DEFAULT_MAX_PROMPTS;
  const word = (found: Found): PromptError => ({
    ...(found.param === undefined ? {} : { param: found.param }),
    message: describeProblem(found.problem, options.locale),
  });
  const template = parseTemplate(input);
  if (!template.ok) return { ok: false, errors: [word({ problem: template.problem })] };

  const count = countExpansions(template.template);
  if (count > BigInt(maxPrompts)) {
    return { ok: false, errors: [word({ problem: tooMany(count.toString(), maxPrompts) })] };
  }

  const errors = new Map<string, PromptError>();
  const parsed = new Map<string, OneResult>();
  const suggestions: Suggestions = { byForm: new Map(), left: MAX_SUGGESTIONS };
  const expansions = expandTemplate(template.template);
  const results = expansions.map((plain) => {
    const known = parsed.get(plain);
    if (known !== undefined) return { ...known, prompt: known.prompt && structuredClone(known.prompt) };
    const result = parseOne(plain, suggestions);
    parsed.set(plain, result);
    return result;
  });
  for (const error of results.flatMap((result) => result.errors.map(word))) {
    errors.set(`${error.param ?? ''}\u0000${error.message}`, error);
  }
  const total = results.reduce((sum, result) => sum + (result.repeat ?? 1), 0);
  if (total > maxPrompts) {
    const repeated = results.some((result) => result.repeatGiven);
    const problem = tooMany(String(total), maxPrompts);
    errors.set('limit', word(repeated ? { param: 'repeat', problem } : { problem }));
  }
  if (errors.size > 0) return { ok: false, errors: [...errors.values()] };

  const prompts = results.flatMap(({ prompt, repeat = 1 }) =>
    // Copies are separate objects so that a caller editing one prompt does not edit its twins.
    prompt === undefined
      ? []
      : Array.from({ length: repeat }, (_, copy) => (copy === 0 ? prompt : structuredClone(prompt))),
  );
  const typed = results.flatMap(({ prompt, repeat = 1 }, index) =>
    prompt === undefined ? [] : Array.from({ length: repeat }, () => asTyped(expansions[index] ?? '')),
  );
  return { ok: true, prompts, typed };
}

/** An expansion as the member wrote it, on one line: `--repeat` is left out, since each copy is shown alone. */
function asTyped(plain: string): string {
  const tokens = plain.split(/\s+/).filter((token) => token !== '');
  const kept: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const name = paramNameOf(tokens[index])?.toLowerCase();
    if (name !== undefined && (REPEAT_FORMS as readonly string[]).includes(name)) index++;
    else kept.push(tokens[index] ?? '');
  }
  return kept.join(' ');
}

function tooMany(count: string, max: number): PromptProblem {
  return { kind: 'tooManyPrompts', count, max };
}

function renderParam<K extends ParamName>(name: K, params: Params): string | undefined {
  const value = params[name];
  return value === undefined ? undefined : SPECS[name].render(value);
}

/**
 * The canonical text of a prompt: image URLs, text, then parameters in {@link PARAM_NAMES} order,
 * escaped so that parsing it gives back exactly `p`.
 */
export function renderPrompt(p: ParsedPrompt): string {
  const parts = [...p.imageUrls];
  if (p.text !== '') parts.push(p.text);
  for (const name of PARAM_NAMES) {
    const rendered = renderParam(name, p.params);
    if (rendered !== undefined) parts.push(rendered);
  }
  return escapeTemplate(parts.join(' '));
}
