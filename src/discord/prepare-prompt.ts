import type { ProviderId } from '../config.js';
import type { Locale } from '../i18n/locale.js';
import { KNOWN_FORMS, SPECS } from '../prompt/params.js';
import { parsePrompt } from '../prompt/parse.js';
import { UNSUPPORTED_FORMS } from '../prompt/problems.js';
import type { ParamName, ParsedPrompt, PromptError, Speed } from '../prompt/types.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { ProviderAdapter } from '../providers/types.js';
import type { MemberPreferences } from '../store/member-preferences.js';
import type { Forbiddable, GuildSettings } from '../store/stores.js';
import { applyDefaults, describeErrors } from './prompt-input.js';
import { promptPolicyText, type PolicySource } from './prompt-text.js';
import { refusals } from './text.js';

/** One job's worth of prompt, ready to launch: what the provider gets, its speed and its notices. */
export interface PreparedPrompt {
  prompt: ParsedPrompt;
  speed: Speed;
  notices: string[];
}

export type Preparation = { ok: true; prompts: PreparedPrompt[] } | { ok: false; message: string };

export interface PromptSetting {
  provider: ProviderId;
  adapter: ProviderAdapter;
  server: GuildSettings;
  member: MemberPreferences;
  locale: Locale;
  maxPrompts: number;
}

const SPEEDS: readonly Speed[] = ['fast', 'relax', 'turbo'];

/**
 * What `/imagine` and the Remix modal do with a member's text, in this order: the member's `--name`
 * shortcuts are expanded and their suffix appended; the result is parsed; the member's defaults,
 * then the server's, fill what the prompt leaves unset; the server's forbidden speeds and
 * parameters are refused; the provider checks what is left. Errors come back in one message, and
 * an error that comes from a shortcut names it.
 */
export function preparePrompts(text: string, setting: PromptSetting): Preparation {
  const say = refusals(setting.locale);
  const policy = promptPolicyText(setting.locale);
  const { text: expanded, used } = expandShortcuts(text, setting.member.options);
  const withSuffix = setting.member.suffix ? `${expanded} ${setting.member.suffix}` : expanded;
  const fromShortcut = shortcutParams(used, setting.member.options);
  const name = (errors: readonly PromptError[]) =>
    errors.map((error) => {
      const shortcut = error.param === undefined ? undefined : fromShortcut.get(error.param as ParamName);
      return shortcut ? { ...error, message: policy.inShortcut(shortcut, error.message) } : error;
    });
  const parsed = parsePrompt(withSuffix, { maxPrompts: setting.maxPrompts, locale: setting.locale });
  if (!parsed.ok) return { ok: false, message: describeErrors(say.promptHasProblem, name(parsed.errors), say) };

  const layered = parsed.prompts.map((prompt, index) =>
    applyDefaults({ ...prompt, typed: parsed.typed[index] }, setting.member, setting.server),
  );
  const forbidden = layered.flatMap(({ prompt, from }) =>
    forbiddenIn(prompt, setting.server.forbidden).map((entry) => {
      const param: ParamName = (SPEEDS as readonly string[]).includes(entry) ? 'speed' : (entry as ParamName);
      const shortcut = fromShortcut.get(param);
      const source: PolicySource = shortcut
        ? { kind: 'shortcut', name: shortcut }
        : from[param] === 'member'
          ? { kind: 'member' }
          : from[param] === 'server'
            ? { kind: 'server' }
            : { kind: 'prompt' };
      const allowed = param === 'speed' ? allowedSpeeds(setting) : undefined;
      return { param, message: policy.forbidden(flagOf(entry), source, allowed) };
    }),
  );
  if (forbidden.length > 0) return { ok: false, message: describeErrors(say.promptHasProblem, forbidden, say) };

  const checks = layered.map(({ prompt }) => setting.adapter.checkPrompt(prompt));
  const refused = checks.flatMap((check) => (check.ok ? [] : check.errors));
  if (refused.length > 0)
    return {
      ok: false,
      message: describeErrors(say.providerCannotTake(PROVIDER_NAMES[setting.provider]), name(refused), say),
    };
  return {
    ok: true,
    prompts: layered.map(({ prompt, added }, index) => {
      const check = checks[index]!;
      return {
        prompt,
        // The speed it really runs at, which the message's tag shows.
        speed: (check.ok ? check.speed : undefined) ?? prompt.params.speed ?? 'fast',
        notices: [
          ...(added.member.length > 0 ? [policy.yourDefaults(added.member.join(' '))] : []),
          // The headline shows the prompt as typed; these say what the defaults added to it.
          ...(added.server.length > 0 ? [`Server defaults: ${added.server.join(' ')}`] : []),
          ...(check.ok ? check.notices : []),
        ],
      };
    }),
  };
}

/** Words that are parameters already (or refused on purpose) can never be shortcuts. */
const RESERVED = new Set<string>([...KNOWN_FORMS, ...UNSUPPORTED_FORMS]);

export function isReservedShortcut(name: string): boolean {
  return RESERVED.has(name);
}

/**
 * `--name` becomes the parameters the member stored for it, once (a shortcut inside a shortcut
 * stays as typed, and the parser then says it is unknown). Returns the shortcuts used.
 */
export function expandShortcuts(
  text: string,
  options: Readonly<Record<string, string>>,
): { text: string; used: string[] } {
  const used: string[] = [];
  const expanded = text.replace(/(^|\s)--([A-Za-z][\w-]*)(?=\s|$)/g, (whole, space: string, raw: string) => {
    const name = raw.toLowerCase();
    if (RESERVED.has(name) || !Object.hasOwn(options, name)) return whole;
    if (!used.includes(name)) used.push(name);
    return `${space}${options[name] ?? ''}`;
  });
  return { text: expanded, used };
}

/** Which parameter each used shortcut sets, so an error about that parameter can name the shortcut. */
function shortcutParams(used: readonly string[], options: Readonly<Record<string, string>>): Map<ParamName, string> {
  const byParam = new Map<ParamName, string>();
  for (const name of used) {
    const alone = parsePrompt(`x ${options[name] ?? ''}`, { maxPrompts: 1 });
    if (!alone.ok) continue;
    for (const param of Object.keys(alone.prompts[0]?.params ?? {}) as ParamName[])
      if (!byParam.has(param)) byParam.set(param, name);
  }
  return byParam;
}

/** The forbidden entries a prompt uses; an unset speed runs at fast. */
function forbiddenIn(prompt: ParsedPrompt, forbidden: readonly Forbiddable[]): Forbiddable[] {
  return forbidden.filter((entry) =>
    (SPEEDS as readonly string[]).includes(entry)
      ? (prompt.params.speed ?? 'fast') === entry
      : prompt.params[entry as ParamName] !== undefined,
  );
}

function flagOf(entry: Forbiddable): string {
  return (SPEEDS as readonly string[]).includes(entry) ? `--${entry}` : `--${SPECS[entry as ParamName].forms[0]}`;
}

/** The speeds this server allows and its provider runs, as flags. */
function allowedSpeeds(setting: PromptSetting): string[] {
  return setting.adapter.capabilities.limits.speeds
    .filter((speed) => !setting.server.forbidden.includes(speed))
    .map((speed) => `--${speed}`);
}
