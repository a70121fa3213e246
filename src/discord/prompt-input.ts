import type { ParsedPrompt } from '../prompt/types.js';
import type { GuildSettings } from '../store/stores.js';

/** The guild's default version, speed and aspect ratio, where the prompt does not set its own. */
export function applyGuildDefaults(
  prompt: ParsedPrompt,
  settings: Pick<GuildSettings, 'version' | 'speed' | 'aspect'>,
): ParsedPrompt {
  const params = { ...prompt.params };
  if (settings.version && params.version === undefined && params.niji === undefined) {
    if (settings.version.startsWith('niji ')) params.niji = settings.version.slice('niji '.length);
    else params.version = settings.version;
  }
  if (settings.speed && params.speed === undefined) params.speed = settings.speed;
  if (settings.aspect && params.aspect === undefined) params.aspect = settings.aspect;
  return { ...prompt, params };
}

/** A short list of problems, for an ephemeral reply (kept under Discord's 2000 characters). */
export function describeErrors(heading: string, errors: readonly { param?: string; message: string }[]): string {
  const unique = [...new Set(errors.map((error) => error.message))];
  const lines = unique.slice(0, 10).map((message) => `• ${message}`);
  if (unique.length > 10) lines.push(`• …and ${unique.length - 10} more.`);
  return `${heading}:\n${lines.join('\n')}`.slice(0, 2000);
}
