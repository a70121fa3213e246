/**
 * The languages members are answered in. Discord tells each interaction the member's client
 * language (`interaction.locale`, such as `es-ES` or `es-419`); everything else gets English.
 */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

/** Discord's locales for each language we speak, for command localizations. */
export const DISCORD_LOCALES: Readonly<Record<Exclude<Locale, 'en'>, readonly string[]>> = {
  es: ['es-ES', 'es-419'],
};

/** The language to answer a member in, from Discord's locale code. */
export function localeOf(discordLocale: string | null | undefined): Locale {
  return discordLocale?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** One text per language; a catalogue missing a language does not compile. */
export type Localized<T> = Readonly<Record<Locale, T>>;

/** `a, b or c` / `a, b o c`: a list joined with the language's last conjunction. */
export function listOf(items: readonly string[], last: string): string {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1] ?? ''}`;
}
