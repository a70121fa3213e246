import { localeOf, type Localized } from '../src/i18n/locale.js';
import type { MemberPreferences } from '../src/store/member-preferences.js';

/** What `/prefer` says to the member who ran it. */
export interface PreferText {
  remix(on: boolean): string;
  suffixSet(suffix: string): string;
  suffixCleared: string;
  shortcutName(max: number): string;
  reservedName(name: string): string;
  tooManyShortcuts(max: number): string;
  shortcutSaved(name: string, value: string): string;
  shortcutDeleted(name: string): string;
  noSuchShortcut(name: string): string;
  noShortcuts: string;
  shortcutList(entries: readonly [string, string][]): string;
  aspectShape: string;
  saved: string;
  show(preferences: MemberPreferences, serverRemix: boolean): string;
}

const describe = (
  preferences: MemberPreferences,
  serverRemix: boolean,
  words: { remix: string; on: string; off: string; server: string; suffix: string; none: string; defaults: string },
) => {
  const remix = preferences.remix ?? serverRemix;
  const defaults = [
    preferences.version && `--v ${preferences.version}`.replace('--v niji ', '--niji '),
    preferences.speed && `--${preferences.speed}`,
    preferences.aspect && `--ar ${preferences.aspect}`,
    preferences.stylize !== undefined && `--s ${preferences.stylize}`,
  ].filter(Boolean);
  return [
    `**${words.remix}:** ${remix ? words.on : words.off}${preferences.remix === undefined ? ` (${words.server})` : ''}`,
    `**${words.suffix}:** ${preferences.suffix ? `\`${preferences.suffix}\`` : words.none}`,
    `**${words.defaults}:** ${defaults.length > 0 ? `\`${defaults.join(' ')}\`` : words.none}`,
  ].join('\n');
};

const TEXT: Localized<PreferText> = {
  en: {
    remix: (on) =>
      on
        ? 'Remix mode is on: V, Vary, 🔄, zoom and pan now let you edit the prompt first.'
        : 'Remix mode is off: buttons run at once with the same prompt.',
    suffixSet: (suffix) => `Your suffix \`${suffix}\` is now added to the end of every prompt you write here.`,
    suffixCleared: 'Your suffix is cleared.',
    shortcutName: (max) =>
      `A shortcut name is up to ${max} lowercase letters, digits, _ or -, starting with a letter (use it as --name).`,
    reservedName: (name) => `--${name} is already a parameter, so it can't be a shortcut name.`,
    tooManyShortcuts: (max) => `You have ${max} shortcuts, the most allowed. Delete one first.`,
    shortcutSaved: (name, value) => `Saved: --${name} now stands for \`${value}\`.`,
    shortcutDeleted: (name) => `Deleted the shortcut --${name}.`,
    noSuchShortcut: (name) => `You have no shortcut --${name}. See /prefer option list.`,
    noShortcuts: 'You have no shortcuts yet. Make one with /prefer option set.',
    shortcutList: (entries) => entries.map(([name, value]) => `--${name}: \`${value}\``).join('\n'),
    aspectShape: 'The aspect ratio must look like 16:9 (whole numbers).',
    saved: 'Your defaults are saved.',
    show: (preferences, serverRemix) =>
      describe(preferences, serverRemix, {
        remix: 'Remix',
        on: 'on',
        off: 'off',
        server: 'the server’s default',
        suffix: 'Suffix',
        none: 'none',
        defaults: 'Your defaults',
      }),
  },
  es: {
    remix: (on) =>
      on
        ? 'El modo Remix está activado: V, Vary, 🔄, alejar y desplazar te dejan editar el prompt antes.'
        : 'El modo Remix está desactivado: los botones se ejecutan en el acto con el mismo prompt.',
    suffixSet: (suffix) => `Tu sufijo \`${suffix}\` se añadirá al final de cada prompt que escribas aquí.`,
    suffixCleared: 'Tu sufijo se ha borrado.',
    shortcutName: (max) =>
      `El nombre de un atajo tiene hasta ${max} letras minúsculas, dígitos, _ o -, y empieza por una letra (se usa como --nombre).`,
    reservedName: (name) => `--${name} ya es un parámetro, así que no puede ser el nombre de un atajo.`,
    tooManyShortcuts: (max) => `Tienes ${max} atajos, el máximo permitido. Borra uno antes.`,
    shortcutSaved: (name, value) => `Guardado: --${name} equivale ahora a \`${value}\`.`,
    shortcutDeleted: (name) => `Se ha borrado el atajo --${name}.`,
    noSuchShortcut: (name) => `No tienes ningún atajo --${name}. Mira /prefer option list.`,
    noShortcuts: 'Aún no tienes atajos. Crea uno con /prefer option set.',
    shortcutList: (entries) => entries.map(([name, value]) => `--${name}: \`${value}\``).join('\n'),
    aspectShape: 'La relación de aspecto debe escribirse como 16:9 (números enteros).',
    saved: 'Tus valores por defecto se han guardado.',
    show: (preferences, serverRemix) =>
      describe(preferences, serverRemix, {
        remix: 'Remix',
        on: 'activado',
        off: 'desactivado',
        server: 'lo que dice el servidor',
        suffix: 'Sufijo',
        none: 'ninguno',
        defaults: 'Tus valores por defecto',
      }),
  },
};

export function preferTextFor(interaction: { locale?: string | null }): PreferText {
  return TEXT[localeOf(interaction.locale)];
}
