import type { Locale } from '../i18n/locale.js';
import { parsePrompt } from '../prompt/parse.js';
import type { ParamName, ParsedPrompt } from '../prompt/types.js';
import type { GuildSettings } from '../store/stores.js';
import { refusals, type RefusalText } from './text.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

/** Whether an attachment's content type is an image every provider reads (PNG, JPEG, WebP, GIF). */
export function isImageType(contentType: string | null): boolean {
  return IMAGE_TYPES.has((contentType ?? '').split(';')[0]!.trim());
}
type Defaults = Partial<Pick<GuildSettings, 'version' | 'speed' | 'aspect'>> & { stylize?: number };
type Layer = 'member' | 'server';

/**
 * Fills what the prompt leaves unset: first from the member's own defaults (`/prefer defaults`),
 * then from the server's (`/settings`). Says which flags each added (for the notice line: the
 * headline shows what the member typed) and where each parameter came from.
 */
export function applyDefaults(
  prompt: ParsedPrompt,
  member: Defaults,
  server: Defaults,
): { prompt: ParsedPrompt; added: Record<Layer, string[]>; from: Partial<Record<ParamName, Layer>> } {
  const params = { ...prompt.params };
  const added: Record<Layer, string[]> = { member: [], server: [] };
  const from: Partial<Record<ParamName, Layer>> = {};
  const layers: [Layer, Defaults][] = [
    ['member', member],
    ['server', server],
  ];
  for (const [layer, defaults] of layers) {
    if (defaults.version && params.version === undefined && params.niji === undefined) {
      const niji = defaults.version.startsWith('niji ');
      if (niji) params.niji = defaults.version.slice('niji '.length);
      else params.version = defaults.version;
      from[niji ? 'niji' : 'version'] = layer;
      added[layer].push(niji ? `--${defaults.version}` : `--v ${defaults.version}`);
    }
    if (defaults.speed && params.speed === undefined) {
      params.speed = defaults.speed;
      from.speed = layer;
      added[layer].push(`--${defaults.speed}`);
    }
    if (defaults.aspect && params.aspect === undefined) {
      params.aspect = defaults.aspect;
      from.aspect = layer;
      added[layer].push(`--ar ${defaults.aspect}`);
    }
    if (defaults.stylize !== undefined && params.stylize === undefined) {
      params.stylize = defaults.stylize;
      from.stylize = layer;
      added[layer].push(`--s ${defaults.stylize}`);
    }
  }
  return { prompt: { ...prompt, params }, added, from };
}

/** A short list of problems, for an ephemeral reply (kept under Discord's 2000 characters). */
export function describeErrors(
  heading: string,
  errors: readonly { param?: string; message: string }[],
  say: Pick<RefusalText, 'moreProblems'> = refusals('en'),
): string {
  const unique = [...new Set(errors.map((error) => error.message))];
  const lines = unique.slice(0, 10).map((message) => `• ${message}`);
  if (unique.length > 10) lines.push(`• ${say.moreProblems(unique.length - 10)}`);
  return `${heading}:\n${lines.join('\n')}`.slice(0, 2000);
}

/**
 * A default version as `/settings` and `/prefer defaults` take it ("7", "niji 6"), checked with
 * the prompt parser's own rules; stored as "7" or "niji 6".
 */
export function readDefaultVersion(
  raw: string,
  locale: Locale,
  unknownVersion: string,
): { ok: true; version: string } | { ok: false; message: string } {
  const version = raw.trim().toLowerCase();
  const niji = version.startsWith('niji');
  const probe = parsePrompt(niji ? `x --niji ${version.slice(4).trim()}` : `x --v ${version}`, { locale });
  if (!probe.ok) return { ok: false, message: probe.errors[0]?.message ?? unknownVersion };
  return {
    ok: true,
    version: niji ? `niji ${version.slice(4).trim()}` : (probe.prompts[0]?.params.version ?? version),
  };
}
