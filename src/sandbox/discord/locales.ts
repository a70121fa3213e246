import { z } from 'zod';

/**
 * Discord's client locales, in the order of developers/reference.mdx "Locales". Discord's OpenAPI
 * enum also lists `ar` and `he`; the documented list is what the emulator accepts, so a bot cannot
 * rely on a locale Discord does not promise.
 */
export const LOCALES = [
  'id',
  'da',
  'de',
  'en-GB',
  'en-US',
  'es-ES',
  'es-419',
  'fr',
  'hr',
  'it',
  'lt',
  'hu',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'fi',
  'sv-SE',
  'vi',
  'tr',
  'cs',
  'el',
  'bg',
  'ru',
  'uk',
  'hi',
  'th',
  'zh-CN',
  'ja',
  'zh-TW',
  'ko',
] as const;

export type Locale = (typeof LOCALES)[number];

/** What a client sends when nobody chose otherwise, and the seeded guild's `guild_locale`. */
export const DEFAULT_LOCALE: Locale = 'en-US';

export const localeSchema = z.enum(LOCALES);

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
