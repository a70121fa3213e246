import { listOf, localeOf, type Locale, type Localized } from '../i18n/locale.js';

/** The permissions the bot needs in a channel, named as Discord's own settings name them. */
export type NeededPermission = 'ViewChannel' | 'SendMessages' | 'AttachFiles' | 'EmbedLinks';

/**
 * What the bot says when it refuses a command or something fails, in each language a member can
 * read. Each sentence says what happened and what to do; none names an internal detail.
 */
export interface RefusalText {
  somethingWrong(reference: string): string;
  storeUnavailable: string;
  unknownCommand(name: string): string;
  oldButton: string;
  moderationDisabled: string;
  missingPermissions(channelId: string, missing: readonly NeededPermission[]): string;
  queueFull(queued: number): string;
  attachmentType(got: string | null): string;
  noProvider: string;
  promptHasProblem: string;
  providerCannotTake(provider: string): string;
  moreProblems(count: number): string;
}

const EN_PERMISSIONS: Record<NeededPermission, string> = {
  ViewChannel: 'View Channel',
  SendMessages: 'Send Messages',
  AttachFiles: 'Attach Files',
  EmbedLinks: 'Embed Links',
};
const ES_PERMISSIONS: Record<NeededPermission, string> = {
  ViewChannel: 'Ver canal',
  SendMessages: 'Enviar mensajes',
  AttachFiles: 'Adjuntar archivos',
  EmbedLinks: 'Insertar enlaces',
};

const en: RefusalText = {
  somethingWrong: (reference) => `Something went wrong on my side (reference \`${reference}\`). Please try again.`,
  storeUnavailable: 'I can’t reach my storage right now, so nothing was done. Please try again in a moment.',
  unknownCommand: (name) => `I don't know the command /${name}.`,
  oldButton: 'This button is from an older version of the bot and no longer works. Start a new job with /imagine.',
  moderationDisabled: 'Moderation is not enabled on this bot.',
  missingPermissions: (channelId, missing) =>
    `I can't post results in <#${channelId}>: an admin needs to give my role ${missing.map((name) => EN_PERMISSIONS[name]).join(', ')} in this channel.`,
  queueFull: (queued) =>
    `The queue is full (${queued} jobs waiting in this server). Please try again when some have finished.`,
  attachmentType: (got) =>
    `The attached file must be a PNG, JPEG, WebP or GIF image (got ${got ?? 'an unknown type'}).`,
  noProvider:
    'No image provider is configured for this bot yet. An admin needs to add a provider key to its configuration.',
  promptHasProblem: 'That prompt has a problem',
  providerCannotTake: (provider) => `${provider} can't take that prompt`,
  moreProblems: (count) => `…and ${count} more.`,
};

const es: RefusalText = {
  somethingWrong: (reference) => `Algo ha fallado por mi parte (referencia \`${reference}\`). Inténtalo de nuevo.`,
  storeUnavailable:
    'Ahora mismo no puedo acceder a mi almacenamiento, así que no se ha hecho nada. Inténtalo de nuevo en un momento.',
  unknownCommand: (name) => `No conozco el comando /${name}.`,
  oldButton: 'Este botón es de una versión anterior del bot y ya no funciona. Empieza un trabajo nuevo con /imagine.',
  moderationDisabled: 'La moderación no está activada en este bot.',
  missingPermissions: (channelId, missing) =>
    `No puedo publicar resultados en <#${channelId}>: un administrador tiene que dar a mi rol ${listOf(
      missing.map((name) => ES_PERMISSIONS[name]),
      'y',
    )} en este canal.`,
  queueFull: (queued) =>
    `La cola está llena (${queued} trabajos esperando en este servidor). Inténtalo de nuevo cuando hayan terminado algunos.`,
  attachmentType: (got) =>
    `El archivo adjunto debe ser una imagen PNG, JPEG, WebP o GIF (se recibió ${got ?? 'un tipo desconocido'}).`,
  noProvider:
    'Este bot todavía no tiene ningún proveedor de imágenes configurado. Un administrador tiene que añadir la clave de un proveedor a su configuración.',
  promptHasProblem: 'Ese prompt tiene un problema',
  providerCannotTake: (provider) => `${provider} no puede aceptar ese prompt`,
  moreProblems: (count) => `…y ${count} más.`,
};

const TEXT: Localized<RefusalText> = { en, es };

/** The refusals in a language. */
export function refusals(locale: Locale): RefusalText {
  return TEXT[locale];
}

/** The refusals in the language of the member who sent an interaction. */
export function refusalsFor(interaction: { locale?: string | null }): RefusalText {
  return TEXT[localeOf(interaction.locale)];
}
