import { localeOf, type Localized } from '../src/i18n/locale.js';

/** What /blend, /describe and /shorten say to the member who ran them, in each language a member can read. */
export interface ToolsText {
  /** Heading over each provider's reason, when none of the configured ones can do it. */
  noProviderCan(task: 'blend' | 'describe' | 'shorten'): string;
  /** An attachment option that holds something other than an image. */
  notAnImage(option: string, got: string | null): string;
  /** A describe or shorten result that is no longer stored (it expired, or the data was reset). */
  expired: string;
  /** The provider answered, but with nothing usable. */
  nothingBack(provider: string): string;
  /** The provider refused or failed; `detail` is the bot's sentence for the failure. */
  providerFailed(provider: string, detail: string): string;
  urlOrImage: string;
  badUrl: string;
}

const EN_TASKS = { blend: 'blend these images', describe: 'describe images', shorten: 'shorten prompts' } as const;
const ES_TASKS = {
  blend: 'combinar estas imágenes',
  describe: 'describir imágenes',
  shorten: 'acortar prompts',
} as const;

const TEXT: Localized<ToolsText> = {
  en: {
    noProviderCan: (task) => `No image service configured for this bot can ${EN_TASKS[task]}`,
    notAnImage: (option, got) => `${option} must be a PNG, JPEG, WebP or GIF image (got ${got ?? 'an unknown type'}).`,
    expired:
      'I no longer have that result (it is more than a week old, or the bot’s data was reset). Run the command again.',
    nothingBack: (provider) => `${provider} sent nothing back. Please try again.`,
    providerFailed: (provider, detail) => `${provider} could not do it: ${detail}`,
    urlOrImage: 'Give an image (attach it) or a link to one (url), not both.',
    badUrl: 'The url must be an http or https link to an image.',
  },
  es: {
    noProviderCan: (task) => `Ningún servicio de imágenes configurado en este bot puede ${ES_TASKS[task]}`,
    notAnImage: (option, got) =>
      `${option} debe ser una imagen PNG, JPEG, WebP o GIF (se recibió ${got ?? 'un tipo desconocido'}).`,
    expired:
      'Ya no tengo ese resultado (tiene más de una semana o se borraron los datos del bot). Vuelve a usar el comando.',
    nothingBack: (provider) => `${provider} no devolvió nada. Inténtalo de nuevo.`,
    providerFailed: (provider, detail) => `${provider} no pudo hacerlo: ${detail}`,
    urlOrImage: 'Da una imagen (adjúntala) o un enlace a una (url), no las dos cosas.',
    badUrl: 'La url debe ser un enlace http o https a una imagen.',
  },
};

export function toolsTextFor(interaction: { locale?: string | null }): ToolsText {
  return TEXT[localeOf(interaction.locale)];
}
