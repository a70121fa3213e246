import type { z } from 'zod';
import { isLocale, type Locale, LOCALES } from '../locales.js';
import { discordIssue } from './form-errors.js';

/** A `name_localizations` or `description_localizations` dictionary: locale → text. */
export type Localizations = Record<string, string>;

/** Discord's wording for a key outside its locales (seen in kordlib/kord#594, Python's tuple repr). */
const UNKNOWN_LOCALE = `Value must be one of (${LOCALES.map((locale) => `'${locale}'`).join(', ')}).`;

/**
 * The checks every localization dictionary gets: each key is one of Discord's locales
 * (`BASE_TYPE_CHOICES` at `field.key`), each value within the field's length, at `field.key`.
 * Discord names a length error `BASE_TYPE_BAD_LENGTH` "Must be between 1 and 32 in length."
 * (discord-tickets/bot#383); the emulator says `BASE_TYPE_MAX_LENGTH`/`_MIN_LENGTH` here as it does
 * for every length, and as the spec's judgement (which checks these lengths first) does.
 * Returns the entries that passed, for the field's own rules.
 */
export function checkLocalizations(
  localizations: Localizations | null | undefined,
  field: string,
  length: { min: number; max: number },
  context: z.RefinementCtx,
): [string, string][] {
  const passed: [string, string][] = [];
  for (const [locale, text] of Object.entries(localizations ?? {})) {
    if (!isLocale(locale)) {
      context.addIssue(discordIssue('BASE_TYPE_CHOICES', UNKNOWN_LOCALE, [field, locale]));
    } else if (text.length < length.min) {
      const message = `Must be ${length.min} or more in length.`;
      context.addIssue(discordIssue('BASE_TYPE_MIN_LENGTH', message, [field, locale]));
    } else if (text.length > length.max) {
      const message = `Must be ${length.max} or fewer in length.`;
      context.addIssue(discordIssue('BASE_TYPE_MAX_LENGTH', message, [field, locale]));
    } else {
      passed.push([locale, text]);
    }
  }
  return passed;
}

/** What a field weighs towards the 8000-character limit: its longest text, default included. */
export function longest(value: string, localizations: Localizations | null | undefined): number {
  return Math.max(value.length, ...Object.values(localizations ?? {}).map((text) => text.length));
}

/** "Any localized values that are identical to the default will be ignored" (application-commands.mdx, Localization). */
export function withoutDefaults(
  value: string,
  localizations: Localizations | null | undefined,
): Localizations | null | undefined {
  if (!localizations) return localizations;
  return Object.fromEntries(Object.entries(localizations).filter(([, text]) => text !== value));
}

/**
 * The requester's locale for `name_localized` (application-commands.mdx, "Retrieving localized
 * commands"): `X-Discord-Locale`, else `Accept-Language`. A bot has no user settings locale, so
 * without either header there is none.
 */
export function requesterLocale(headers: Readonly<Record<string, string | string[] | undefined>>): Locale | null {
  const header = headers['x-discord-locale'] ?? headers['accept-language'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.split(';')[0]?.trim();
  return first !== undefined && isLocale(first) ? first : null;
}
