import { localeOf, type Localized } from '../i18n/locale.js';

/**
 * What a member hears about their own jobs: ❌ Cancel, and the Apps menu's Delete, Send to me and
 * Show seed. The owner did these things, never a moderator, and the sentences say so.
 */
export interface OwnJobsText {
  cancelled(jobId: string, wasQueued: boolean): string;
  /** The provider has no way to stop a task: it may still finish (and count) there. */
  cancelledNotStopped(provider: string): string;
  alreadyFinished(jobId: string): string;
  onlyOwnerCancels(ownerId: string): string;
  onlyOwnerDeletes(ownerId: string): string;
  notAJob: string;
  unknownJob(jobId: string): string;
  deleted(jobId: string): string;
  deletedByOwner(jobId: string): string;
  cancelledJob(jobId: string): string;
  notDeletable(jobId: string): string;
  sent(jobId: string): string;
  dmsClosed: string;
  nothingToSend(jobId: string): string;
  directMessage(jobId: string, prompt: string, seed: string | undefined, link: string): string;
  seed(jobId: string, seed: string): string;
  noSeed(jobId: string, provider: string): string;
  seedNotYet(jobId: string): string;
  /** The provider gives seeds on request, and the request failed: `reason` is the failure's sentence. */
  seedUnavailable(jobId: string, provider: string, reason: string): string;
}

const en: OwnJobsText = {
  cancelled: (jobId, wasQueued) =>
    wasQueued
      ? `Cancelled job \`${jobId}\`. It left the queue and no longer counts against your allowance.`
      : `Cancelled job \`${jobId}\`. Its result will not be posted.`,
  cancelledNotStopped: (provider) =>
    ` ${provider} has no way to stop a task once it runs, so it may still count there.`,
  alreadyFinished: (jobId) => `Job \`${jobId}\` has already finished, so there is nothing to cancel.`,
  onlyOwnerCancels: (ownerId) => `Only <@${ownerId}> can cancel this job.`,
  onlyOwnerDeletes: (ownerId) => `Only <@${ownerId}> can delete this job's message.`,
  notAJob: 'That message is not one of my jobs.',
  unknownJob: (jobId) => `I don't know job \`${jobId}\` any more.`,
  deleted: (jobId) => `Deleted job \`${jobId}\`. It can't be used for upscales or variations any more.`,
  deletedByOwner: (jobId) => `Job \`${jobId}\` was deleted by its owner, so it can't be used any more.`,
  cancelledJob: (jobId) => `Job \`${jobId}\` was cancelled, so there is nothing to use.`,
  notDeletable: (jobId) => `Job \`${jobId}\` is still running. Cancel it with its ❌ button instead.`,
  sent: (jobId) => `Sent job \`${jobId}\` to your direct messages.`,
  dmsClosed:
    'I can’t send you a direct message: your privacy settings block messages from this server’s members or apps.',
  nothingToSend: (jobId) => `Job \`${jobId}\` has no image to send.`,
  directMessage: (jobId, prompt, seed, link) =>
    [`**${prompt}**`, `Job \`${jobId}\`${seed ? ` · seed \`${seed}\`` : ''}`, link].join('\n'),
  seed: (jobId, seed) => `The seed of job \`${jobId}\` is \`${seed}\`. Add \`--seed ${seed}\` to a prompt to reuse it.`,
  noSeed: (jobId, provider) => `${provider} gave no seed for job \`${jobId}\`.`,
  seedNotYet: (jobId) => `Job \`${jobId}\` has not finished, so it has no seed yet.`,
  seedUnavailable: (jobId, provider, reason) =>
    `${provider} did not give the seed of job \`${jobId}\` just now. ${reason}`,
};

const es: OwnJobsText = {
  cancelled: (jobId, wasQueued) =>
    wasQueued
      ? `Trabajo \`${jobId}\` cancelado. Salió de la cola y ya no cuenta en tu cupo.`
      : `Trabajo \`${jobId}\` cancelado. Su resultado no se publicará.`,
  cancelledNotStopped: (provider) =>
    ` ${provider} no permite parar una tarea en marcha, así que puede que allí cuente igualmente.`,
  alreadyFinished: (jobId) => `El trabajo \`${jobId}\` ya terminó, así que no hay nada que cancelar.`,
  onlyOwnerCancels: (ownerId) => `Solo <@${ownerId}> puede cancelar este trabajo.`,
  onlyOwnerDeletes: (ownerId) => `Solo <@${ownerId}> puede borrar el mensaje de este trabajo.`,
  notAJob: 'Ese mensaje no es uno de mis trabajos.',
  unknownJob: (jobId) => `Ya no conozco el trabajo \`${jobId}\`.`,
  deleted: (jobId) => `Trabajo \`${jobId}\` borrado. Ya no se puede ampliar ni variar.`,
  deletedByOwner: (jobId) => `Su autor borró el trabajo \`${jobId}\`, así que ya no se puede usar.`,
  cancelledJob: (jobId) => `El trabajo \`${jobId}\` se canceló, así que no hay nada que usar.`,
  notDeletable: (jobId) => `El trabajo \`${jobId}\` sigue en marcha. Cancélalo con su botón ❌.`,
  sent: (jobId) => `Te envié el trabajo \`${jobId}\` por mensaje directo.`,
  dmsClosed:
    'No puedo enviarte un mensaje directo: tu configuración de privacidad bloquea los mensajes de los miembros o apps de este servidor.',
  nothingToSend: (jobId) => `El trabajo \`${jobId}\` no tiene ninguna imagen que enviar.`,
  directMessage: (jobId, prompt, seed, link) =>
    [`**${prompt}**`, `Trabajo \`${jobId}\`${seed ? ` · semilla \`${seed}\`` : ''}`, link].join('\n'),
  seed: (jobId, seed) =>
    `La semilla del trabajo \`${jobId}\` es \`${seed}\`. Añade \`--seed ${seed}\` a un prompt para reutilizarla.`,
  noSeed: (jobId, provider) => `${provider} no dio ninguna semilla para el trabajo \`${jobId}\`.`,
  seedNotYet: (jobId) => `El trabajo \`${jobId}\` no ha terminado, así que aún no tiene semilla.`,
  seedUnavailable: (jobId, provider, reason) =>
    `${provider} no dio la semilla del trabajo \`${jobId}\` ahora mismo. ${reason}`,
};

const TEXT: Localized<OwnJobsText> = { en, es };

/** The texts in the language of the member who clicked or used the Apps menu. */
export function ownJobsTextFor(interaction: { locale?: string | null }): OwnJobsText {
  return TEXT[localeOf(interaction.locale)];
}
