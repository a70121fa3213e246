import { PARAM_NAMES, type ParamName, type ParsedPrompt } from '../prompt/types.js';
import type { Capabilities, ParamSupport, PromptCheck } from './types.js';

/** Builds a full parameter table: every parameter not listed is refused with `fallback`'s note. */
export function parameterTable(
  listed: Partial<Record<ParamName, ParamSupport>>,
  fallback: ParamSupport = { handling: 'refused', note: 'not offered by this provider' },
): Readonly<Record<ParamName, ParamSupport>> {
  return Object.freeze(
    Object.fromEntries(PARAM_NAMES.map((name) => [name, listed[name] ?? fallback])) as Record<ParamName, ParamSupport>,
  );
}

/** "W:H" as a number, or undefined when malformed. */
export function aspectValue(aspect: string): number | undefined {
  const match = /^(\d+):(\d+)$/.exec(aspect);
  return match ? Number(match[1]) / Number(match[2]) : undefined;
}

/** The supported ratio closest to `aspect` (compared on a log scale, so 2:1 and 1:2 are symmetric). */
export function nearestAspect(aspect: string, supported: readonly string[]): string {
  const wanted = Math.log(aspectValue(aspect) ?? 1);
  let best = supported[0] ?? '1:1';
  let bestDistance = Infinity;
  for (const candidate of supported) {
    const distance = Math.abs(Math.log(aspectValue(candidate) ?? 1) - wanted);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Checks a prompt against a provider's parameter table and limits. Refused parameters are errors;
 * ignored ones become notices the bot shows in the message. Limits (length, versions, speeds,
 * aspect ratios, image prompts) are checked here so every adapter words them the same way.
 */
export function checkPromptSupport(
  prompt: ParsedPrompt,
  table: Readonly<Record<ParamName, ParamSupport>>,
  capabilities: Capabilities,
  providerName: string,
): PromptCheck {
  const errors: { param?: string; message: string }[] = [];
  const notices: string[] = [];
  const { limits } = capabilities;

  for (const name of PARAM_NAMES) {
    if (prompt.params[name] === undefined) continue;
    const support = table[name];
    if (support.handling === 'refused') {
      errors.push({
        param: name,
        message: `--${name} is not supported by ${providerName}${support.note ? `: ${support.note}` : ''}.`,
      });
    } else if (support.handling === 'ignored') {
      notices.push(`--${name} is ignored by ${providerName}${support.note ? `: ${support.note}` : ''}.`);
    }
  }
  if (prompt.text.length > limits.promptLength) {
    errors.push({
      message: `The prompt is ${prompt.text.length} characters; ${providerName} accepts at most ${limits.promptLength}.`,
    });
  }
  if (prompt.imageUrls.length > limits.maxImagePrompts) {
    errors.push({
      message:
        limits.maxImagePrompts === 0
          ? `${providerName} does not take image prompts.`
          : `${providerName} takes at most ${limits.maxImagePrompts} image prompt(s); got ${prompt.imageUrls.length}.`,
    });
  }
  const version = prompt.params.niji ? `niji ${prompt.params.niji}` : prompt.params.version;
  if (
    version &&
    table[prompt.params.niji ? 'niji' : 'version'].handling !== 'refused' &&
    !limits.versions.includes(version)
  ) {
    errors.push({
      param: prompt.params.niji ? 'niji' : 'version',
      message: `${providerName} offers versions ${limits.versions.join(', ')}; got ${version}.`,
    });
  }
  const speed = prompt.params.speed;
  if (speed && table.speed.handling !== 'refused' && !limits.speeds.includes(speed)) {
    errors.push({
      param: 'speed',
      message: `${providerName} offers ${limits.speeds.map((s) => `--${s}`).join(', ')}; --${speed} is not available.`,
    });
  }
  const aspect = prompt.params.aspect;
  if (aspect && limits.aspectRatios !== 'any' && !limits.aspectRatios.includes(aspect)) {
    if (table.aspect.handling === 'mapped') {
      notices.push(
        `--ar ${aspect} becomes ${nearestAspect(aspect, limits.aspectRatios)}, the nearest ratio ${providerName} supports.`,
      );
    } else if (table.aspect.handling !== 'refused') {
      errors.push({
        param: 'aspect',
        message: `${providerName} supports --ar ${limits.aspectRatios.join(', ')}; got ${aspect}.`,
      });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, notices };
}
