import { listOf, localeOf, type Locale, type Localized } from '../i18n/locale.js';
import type { FollowUpAction } from '../jobs/follow-up.js';

/** The permissions the bot needs in a channel, named as Discord's own settings name them. */
export type NeededPermission = 'ViewChannel' | 'SendMessages' | 'AttachFiles' | 'EmbedLinks';

/**
 * What the bot says when it refuses a command or something fails, in each language a member can
 * read. Each sentence says what happened and what to do; none names an internal detail.
 */
export interface RefusalText {
  somethingWrong(reference: string): string;
  storeUnavailable: string;
  tooSlow: string;
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
  tooSlow:
    'I took too long to answer that, so it may not have gone through. Please check, and try again if it did not.',
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
  tooSlow:
    'He tardado demasiado en responder, así que puede que no se haya hecho. Compruébalo e inténtalo de nuevo si no.',
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

/**
 * Why a button or `/upscale` and `/vary` on an existing job did nothing. Action names (`Vary
 * (Strong)`) are the buttons' own labels, the same in every language.
 */
export interface FollowUpText {
  unknownJob(jobId: string): string;
  waitingForApproval(jobId: string): string;
  removed(jobId: string): string;
  hiddenChannel(jobId: string): string;
  notFinished(jobId: string, failed: boolean, action: FollowUpAction): string;
  ownerOnly(ownerId: string): string;
  withheld(jobId: string, index: number): string;
  providerGone(jobId: string): string;
  alreadyWorking(jobId: string, link: string | undefined): string;
  /** "Vary (Subtle) isn't available: Kie.ai offers only Vary (Strong) on this image." */
  notOffered(asked: string, provider: string, offered: readonly string[], onJob: string | undefined): string;
  /** "Job `x` has one image, so there is no image 2. Kie.ai offers … on image 1." */
  noSuchImage(jobId: string, index: number, count: number, provider?: string, offered?: readonly string[]): string;
}

const EN_ACTIONS: Record<FollowUpAction, string> = {
  upscale: 'upscale',
  vary: 'make variations',
  reroll: 'reroll',
  zoom: 'zoom out',
  pan: 'pan',
  animate: 'animate',
  extend: 'extend',
  region: 'vary a region',
  square: 'make it square',
};
const ES_ACTIONS: Record<FollowUpAction, string> = {
  upscale: 'ampliar',
  vary: 'variar',
  reroll: 'repetir',
  zoom: 'alejar',
  pan: 'desplazar',
  animate: 'animar',
  extend: 'extender',
  region: 'variar una región',
  square: 'hacer cuadrada',
};

const FOLLOW_UP_TEXT: Localized<FollowUpText> = {
  en: {
    unknownJob: (jobId) =>
      `I don't know job \`${jobId}\` any more (it may be from before the bot's data was reset). Start a new one with /imagine.`,
    waitingForApproval: (jobId) => `Job \`${jobId}\` is waiting for a moderator's approval, so it can't be used yet.`,
    removed: (jobId) => `A moderator removed job \`${jobId}\`, so it can't be used any more.`,
    hiddenChannel: (jobId) => `Job \`${jobId}\` was made in a channel you can't see, so it can't be used here.`,
    notFinished: (jobId, failed, action) =>
      `Job \`${jobId}\` has not finished${failed ? ' (it failed)' : ' yet'}, so there is nothing to ${EN_ACTIONS[action]}.`,
    ownerOnly: (ownerId) => `Only <@${ownerId}> can use the buttons on their jobs in this server.`,
    withheld: (jobId, index) => `Image #${index} of job \`${jobId}\` was withheld by the image service's moderation.`,
    providerGone: (jobId) => `The image service that made job \`${jobId}\` is no longer configured for this bot.`,
    alreadyWorking: (jobId, link) => `Already working on that: job \`${jobId}\`${link ? ` (${link})` : ''}.`,
    notOffered: (asked, provider, offered, onJob) => {
      const where = onJob ? `on job \`${onJob}\`` : 'on this image';
      return offered.length === 0
        ? `${asked} isn't available: ${provider} offers nothing more ${where}.`
        : `${asked} isn't available: ${provider} offers only ${listOf(offered, 'and')} ${where}.`;
    },
    noSuchImage: (jobId, index, count, provider, offered) => {
      const job = `Job \`${jobId}\` has ${count === 1 ? 'one image' : `${count} images`}, so there is no image ${index}.`;
      if (!provider || !offered) return job;
      return offered.length > 0
        ? `${job} ${provider} offers ${listOf(offered, 'and')} on image 1.`
        : `${job} ${provider} offers nothing more on image 1.`;
    },
  },
  es: {
    unknownJob: (jobId) =>
      `Ya no conozco el trabajo \`${jobId}\` (puede ser de antes de que se borraran los datos del bot). Empieza uno nuevo con /imagine.`,
    waitingForApproval: (jobId) =>
      `El trabajo \`${jobId}\` está esperando la aprobación de un moderador, así que aún no se puede usar.`,
    removed: (jobId) => `Un moderador retiró el trabajo \`${jobId}\`, así que ya no se puede usar.`,
    hiddenChannel: (jobId) =>
      `El trabajo \`${jobId}\` se hizo en un canal que no puedes ver, así que no se puede usar aquí.`,
    notFinished: (jobId, failed, action) =>
      `El trabajo \`${jobId}\` ${failed ? 'falló' : 'aún no ha terminado'}, así que no hay nada que ${ES_ACTIONS[action]}.`,
    ownerOnly: (ownerId) => `En este servidor, solo <@${ownerId}> puede usar los botones de sus trabajos.`,
    withheld: (jobId, index) =>
      `La moderación del servicio de imágenes retuvo la imagen #${index} del trabajo \`${jobId}\`.`,
    providerGone: (jobId) =>
      `El servicio de imágenes que hizo el trabajo \`${jobId}\` ya no está configurado en este bot.`,
    alreadyWorking: (jobId, link) => `Ya estoy en ello: trabajo \`${jobId}\`${link ? ` (${link})` : ''}.`,
    notOffered: (asked, provider, offered, onJob) => {
      const where = onJob ? `en el trabajo \`${onJob}\`` : 'en esta imagen';
      return offered.length === 0
        ? `${asked} no está disponible: ${provider} no ofrece nada más ${where}.`
        : `${asked} no está disponible: ${provider} solo ofrece ${listOf(offered, 'y')} ${where}.`;
    },
    noSuchImage: (jobId, index, count, provider, offered) => {
      const job = `El trabajo \`${jobId}\` tiene ${count === 1 ? 'una imagen' : `${count} imágenes`}, así que no hay imagen ${index}.`;
      if (!provider || !offered) return job;
      return offered.length > 0
        ? `${job} ${provider} ofrece ${listOf(offered, 'y')} en la imagen 1.`
        : `${job} ${provider} no ofrece nada más en la imagen 1.`;
    },
  },
};

/** Follow-up refusals in the language of the member who clicked or typed. */
export function followUpTextFor(interaction: { locale?: string | null }): FollowUpText {
  return FOLLOW_UP_TEXT[localeOf(interaction.locale)];
}

/** The refusals in a language. */
export function refusals(locale: Locale): RefusalText {
  return TEXT[locale];
}

/** The refusals in the language of the member who sent an interaction. */
export function refusalsFor(interaction: { locale?: string | null }): RefusalText {
  return TEXT[localeOf(interaction.locale)];
}
