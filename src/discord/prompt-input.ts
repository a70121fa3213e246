import type { ParsedPrompt } from '../prompt/types.js';
import type { GuildSettings } from '../store/stores.js';
import { refusals, type RefusalText } from './text.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

/** Whether an attachment's content type is an image every provider reads (PNG, JPEG, WebP, GIF). */
export function isImageType(contentType: string | null): boolean {
  return IMAGE_TYPES.has((contentType ?? '').split(';')[0]!.trim());
}

/**
 * The guild's default version, speed and aspect ratio, where the prompt does not set its own, and
 * the flags that were added that way (for the notice line: the headline shows what the member typed).
 */
export function applyGuildDefaults(
  prompt: ParsedPrompt,
  settings: Pick<GuildSettings, 'version' | 'speed' | 'aspect'>,
): { prompt: ParsedPrompt; added: string[] } {
  const params = { ...prompt.params };
  const added: string[] = [];
  if (settings.version && params.version === undefined && params.niji === undefined) {
    if (settings.version.startsWith('niji ')) params.niji = settings.version.slice('niji '.length);
    else params.version = settings.version;
    added.push(settings.version.startsWith('niji ') ? `--${settings.version}` : `--v ${settings.version}`);
  }
  if (settings.speed && params.speed === undefined) {
    params.speed = settings.speed;
    added.push(`--${settings.speed}`);
  }
  if (settings.aspect && params.aspect === undefined) {
    params.aspect = settings.aspect;
    added.push(`--ar ${settings.aspect}`);
  }
  return { prompt: { ...prompt, params }, added };
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
