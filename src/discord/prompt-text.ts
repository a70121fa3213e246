import { listOf, type Locale, type Localized } from '../i18n/locale.js';

/** What the bot says about a member's own shortcuts and defaults, and a server's forbidden parameters. */
export interface PromptPolicyText {
  /** An error that comes from one of the member's `/prefer option` shortcuts. */
  inShortcut(name: string, message: string): string;
  /** "This server doesn't allow --turbo (your /prefer default). Use --fast or --relax." */
  forbidden(flag: string, source: PolicySource, allowedSpeeds?: readonly string[]): string;
  /** The notice naming the member's own defaults that were added. */
  yourDefaults(flags: string): string;
}

/** Where a forbidden flag came from, so the member knows what to change. */
export type PolicySource =
  { kind: 'prompt' } | { kind: 'shortcut'; name: string } | { kind: 'member' } | { kind: 'server' };

const TEXT: Localized<PromptPolicyText> = {
  en: {
    inShortcut: (name, message) => `Your shortcut --${name}: ${message}`,
    forbidden: (flag, source, allowed) => {
      const from = {
        prompt: '',
        shortcut: source.kind === 'shortcut' ? ` (in your shortcut --${source.name})` : '',
        member: ' (your /prefer default)',
        server: ' (this server’s default; ask an admin)',
      }[source.kind];
      const instead = allowed && allowed.length > 0 ? ` Use ${listOf(allowed, 'or')}.` : '';
      return `This server doesn’t allow ${flag}${from}.${instead}`;
    },
    yourDefaults: (flags) => `Your defaults: ${flags}`,
  },
  es: {
    inShortcut: (name, message) => `Tu atajo --${name}: ${message}`,
    forbidden: (flag, source, allowed) => {
      const from = {
        prompt: '',
        shortcut: source.kind === 'shortcut' ? ` (en tu atajo --${source.name})` : '',
        member: ' (tu valor por defecto de /prefer)',
        server: ' (el valor por defecto del servidor; pregunta a un administrador)',
      }[source.kind];
      const instead = allowed && allowed.length > 0 ? ` Usa ${listOf(allowed, 'o')}.` : '';
      return `Este servidor no permite ${flag}${from}.${instead}`;
    },
    yourDefaults: (flags) => `Tus valores por defecto: ${flags}`,
  },
};

export function promptPolicyText(locale: Locale): PromptPolicyText {
  return TEXT[locale];
}
