import { listOf, localeOf, type Localized } from '../src/i18n/locale.js';

/** What `/settings` and `/info` say to the member who ran them, in each language a member can read. */
export interface SettingsText {
  manageServerOnly: string;
  providerNotConfigured(provider: string, configured: readonly string[]): string;
  aspectShape: string;
  unknownVersion: string;
  noSuchSetting(name: string): string;
  setAndCleared(setting: string): string;
  cannotForbid(word: string, allowed: readonly string[]): string;
}

export interface InfoText {
  running(ids: readonly string[], concurrency: number): string;
  queued(ids: readonly string[]): string;
  allowanceLeft(left: number, limit: number, day: string): string;
  allowanceUnlimited(used: number): string;
  provider(name: string | undefined, speed: string, approval: boolean): string;
}

const jobIds = (ids: readonly string[]) => ids.map((id) => `\`${id}\``).join(', ');

const SETTINGS: Localized<SettingsText> = {
  en: {
    manageServerOnly: 'Only members with Manage Server can change these settings.',
    providerNotConfigured: (provider, configured) =>
      `${provider} has no key in the bot’s configuration. Configured: ${configured.join(', ') || 'none'}.`,
    aspectShape: 'The aspect ratio must look like 16:9 (whole numbers).',
    unknownVersion: 'Unknown version.',
    noSuchSetting: (name) => `There is no setting “${name}” to clear.`,
    setAndCleared: (setting) => `${setting} was both set and cleared; do one at a time.`,
    cannotForbid: (word, allowed) => `“${word}” can’t be forbidden. You can forbid: ${allowed.join(', ')}.`,
  },
  es: {
    manageServerOnly: 'Solo los miembros con Gestionar servidor pueden cambiar estos ajustes.',
    providerNotConfigured: (provider, configured) =>
      `${provider} no tiene clave en la configuración del bot. Configurados: ${listOf(configured, 'y') || 'ninguno'}.`,
    aspectShape: 'La relación de aspecto debe escribirse como 16:9 (números enteros).',
    unknownVersion: 'Versión desconocida.',
    noSuchSetting: (name) => `No hay ningún ajuste «${name}» que restablecer.`,
    setAndCleared: (setting) => `${setting}: se fijó y se restableció a la vez; haz una cosa cada vez.`,
    cannotForbid: (word, allowed) => `«${word}» no se puede prohibir. Puedes prohibir: ${allowed.join(', ')}.`,
  },
};

const INFO: Localized<InfoText> = {
  en: {
    running: (ids, concurrency) =>
      `**Running:** ${ids.length > 0 ? jobIds(ids) : 'none'} (up to ${concurrency} at once)`,
    queued: (ids) => `**Queued:** ${ids.length > 0 ? jobIds(ids) : 'none'}`,
    allowanceLeft: (left, limit, day) =>
      `**Allowance:** ${left} of ${limit} jobs left today (resets at 00:00 UTC, ${day})`,
    allowanceUnlimited: (used) => `**Allowance:** unlimited (${used} today)`,
    provider: (name, speed, approval) =>
      `**Provider:** ${name ?? 'none configured'} · **Mode:** ${speed}${approval ? ' · results need a moderator’s approval' : ''}`,
  },
  es: {
    running: (ids, concurrency) =>
      `**En marcha:** ${ids.length > 0 ? jobIds(ids) : 'ninguno'} (hasta ${concurrency} a la vez)`,
    queued: (ids) => `**En cola:** ${ids.length > 0 ? jobIds(ids) : 'ninguno'}`,
    allowanceLeft: (left, limit, day) =>
      `**Cupo:** te quedan ${left} de ${limit} trabajos hoy (se renueva a las 00:00 UTC, ${day})`,
    allowanceUnlimited: (used) => `**Cupo:** sin límite (${used} hoy)`,
    provider: (name, speed, approval) =>
      `**Proveedor:** ${name ?? 'ninguno configurado'} · **Modo:** ${speed}${approval ? ' · los resultados necesitan la aprobación de un moderador' : ''}`,
  },
};

export function settingsTextFor(interaction: { locale?: string | null }): SettingsText {
  return SETTINGS[localeOf(interaction.locale)];
}

export function infoTextFor(interaction: { locale?: string | null }): InfoText {
  return INFO[localeOf(interaction.locale)];
}
