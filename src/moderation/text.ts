import { localeOf, type Localized } from '../i18n/locale.js';
import type { Job } from '../jobs/job.js';
import type { AuditEntry } from '../store/stores.js';
import type { FilterCategory } from './terms.js';

/**
 * What moderation says, in one place: to members the gate turns away, and to moderators using /mod
 * and the mirror's buttons, in each language a member can read.
 */
export interface GateText {
  blocked: string;
  filtered(category: FilterCategory, moderatorsNotified: boolean): string;
  allowance(jobs: number, left: number, limit: number): string;
}

export interface ModeratorText {
  onlyModeratorsCommand: string;
  onlyModeratorsButtons: string;
  unknownJob(jobId: string): string;
  alreadyBlocked(userId: string): string;
  alreadyDecided(jobId: string, visibility: Job['visibility']): string;
  ownerRejected: string;
  termTooShort: string;
  termTooLong: string;
  termsList(terms: readonly string[]): string;
  tooManyTerms(count: number): string;
  termBanned(term: string): string;
  termAllowed(term: string): string;
  blocked(userId: string): string;
  unblocked(userId: string): string;
  blockList(userIds: readonly string[]): string;
  noDecisions: string;
  unknownSubcommand(name: string): string;
  /** One line of the audit log. */
  entry(entry: AuditEntry): string;
}

const EN_ACTIONS: Record<AuditEntry['action'], string> = {
  delete: 'deleted a result',
  block: 'blocked',
  unblock: 'unblocked',
  approve: 'approved a result',
  reject: 'rejected a result',
  banword_add: 'banned a term',
  banword_remove: 'allowed a term',
  filter_refusal: 'refused a prompt',
};
const ES_ACTIONS: Record<AuditEntry['action'], string> = {
  delete: 'borró un resultado',
  block: 'bloqueó a',
  unblock: 'desbloqueó a',
  approve: 'aprobó un resultado',
  reject: 'rechazó un resultado',
  banword_add: 'prohibió un término',
  banword_remove: 'volvió a permitir un término',
  filter_refusal: 'rechazó un prompt',
};

const EN_VISIBILITY: Record<Job['visibility'], string> = {
  public: 'it is published',
  pending_approval: 'it is still waiting',
  rejected: 'it was rejected',
  deleted: 'it was deleted',
  owner_deleted: 'its owner deleted it',
};
const ES_VISIBILITY: Record<Job['visibility'], string> = {
  public: 'está publicado',
  pending_approval: 'sigue esperando',
  rejected: 'se rechazó',
  deleted: 'se borró',
  owner_deleted: 'su autor lo borró',
};

function entryLine(entry: AuditEntry, filter: string, actions: Record<AuditEntry['action'], string>, job: string) {
  const who = entry.moderatorId === 'filter' ? filter : `<@${entry.moderatorId}>`;
  const target = entry.targetUserId ? ` <@${entry.targetUserId}>` : '';
  const onJob = entry.jobId ? ` (${job} \`${entry.jobId}\`)` : '';
  const detail = entry.detail ? `: ${entry.detail}` : '';
  return `<t:${Math.floor(entry.at / 1000)}:f> ${who} ${actions[entry.action]}${target}${onJob}${detail}`;
}

const mentions = (userIds: readonly string[]) => userIds.map((id) => `<@${id}>`).join(', ');
const codes = (terms: readonly string[]) => terms.map((term) => `\`${term}\``).join(', ');

const MODERATOR_TEXT: Localized<ModeratorText> = {
  en: {
    onlyModeratorsCommand: 'Only moderators (Manage Messages, or the moderator role) can use /mod.',
    onlyModeratorsButtons: 'Only moderators (Manage Messages, or the moderator role) can use these buttons.',
    unknownJob: (jobId) => `I don't know job \`${jobId}\` any more.`,
    alreadyBlocked: (userId) => `<@${userId}> is already blocked.`,
    alreadyDecided: (jobId, visibility) => `Job \`${jobId}\` was already decided: ${EN_VISIBILITY[visibility]}.`,
    ownerRejected: 'A moderator did not approve your result, so it was not published.',
    termTooShort: 'A term needs at least two characters.',
    termTooLong: 'A term has at most 60 characters.',
    termsList: (terms) =>
      terms.length > 0
        ? `Banned terms here (besides the built-in list): ${codes(terms)}`
        : 'This server has no banned terms of its own (the built-in list always applies).',
    tooManyTerms: (count) =>
      `This server already bans ${count} terms of its own, the most it can have. Remove one with /mod banword remove first.`,
    termBanned: (term) => `Banned \`${term}\` (and its forms and spellings).`,
    termAllowed: (term) => `\`${term}\` is allowed again.`,
    blocked: (userId) => `<@${userId}> can no longer make images here.`,
    unblocked: (userId) => `<@${userId}> can make images again.`,
    blockList: (userIds) => (userIds.length > 0 ? `Blocked: ${mentions(userIds)}` : 'Nobody is blocked.'),
    noDecisions: 'No moderation decisions yet.',
    unknownSubcommand: (name) => `Unknown subcommand ${name}.`,
    entry: (entry) => entryLine(entry, 'The filter', EN_ACTIONS, 'job'),
  },
  es: {
    onlyModeratorsCommand: 'Solo los moderadores (Gestionar mensajes, o el rol de moderador) pueden usar /mod.',
    onlyModeratorsButtons:
      'Solo los moderadores (Gestionar mensajes, o el rol de moderador) pueden usar estos botones.',
    unknownJob: (jobId) => `Ya no conozco el trabajo \`${jobId}\`.`,
    alreadyBlocked: (userId) => `<@${userId}> ya está bloqueado.`,
    alreadyDecided: (jobId, visibility) => `El trabajo \`${jobId}\` ya se decidió: ${ES_VISIBILITY[visibility]}.`,
    ownerRejected: 'Un moderador no aprobó tu resultado, así que no se ha publicado.',
    termTooShort: 'Un término necesita al menos dos caracteres.',
    termTooLong: 'Un término tiene como mucho 60 caracteres.',
    termsList: (terms) =>
      terms.length > 0
        ? `Términos prohibidos aquí (además de la lista integrada): ${codes(terms)}`
        : 'Este servidor no tiene términos prohibidos propios (la lista integrada siempre se aplica).',
    tooManyTerms: (count) =>
      `Este servidor ya prohíbe ${count} términos propios, el máximo. Quita uno primero con /mod banword remove.`,
    termBanned: (term) => `Prohibido \`${term}\` (con sus formas y grafías).`,
    termAllowed: (term) => `\`${term}\` vuelve a estar permitido.`,
    blocked: (userId) => `<@${userId}> ya no puede crear imágenes aquí.`,
    unblocked: (userId) => `<@${userId}> puede volver a crear imágenes.`,
    blockList: (userIds) => (userIds.length > 0 ? `Bloqueados: ${mentions(userIds)}` : 'No hay nadie bloqueado.'),
    noDecisions: 'Todavía no hay decisiones de moderación.',
    unknownSubcommand: (name) => `Subcomando desconocido ${name}.`,
    entry: (entry) => entryLine(entry, 'El filtro', ES_ACTIONS, 'trabajo'),
  },
};

/** What moderation tells the moderator who sent an interaction, in their language. */
export function moderatorTextFor(interaction: { locale?: string | null }): ModeratorText {
  return MODERATOR_TEXT[localeOf(interaction.locale)];
}

const EN_CATEGORIES: Record<FilterCategory, string> = {
  sexual: 'sexual content',
  minors: 'content involving minors',
  violence_gore: 'graphic violence or gore',
  hate: 'hateful language',
  self_harm: 'self-harm',
  drugs: 'drug content',
  custom: 'a term this server has banned',
};
const ES_CATEGORIES: Record<FilterCategory, string> = {
  sexual: 'contenido sexual',
  minors: 'contenido con menores',
  violence_gore: 'violencia explícita o gore',
  hate: 'lenguaje de odio',
  self_harm: 'autolesiones',
  drugs: 'contenido sobre drogas',
  custom: 'un término que este servidor ha prohibido',
};

const en: GateText = {
  blocked: 'You have been blocked from making images in this server. Ask a moderator if you think this is a mistake.',
  filtered: (category, notified) =>
    `That prompt was refused: it looks like it asks for ${EN_CATEGORIES[category]}, which this server does not allow.${notified ? ' Moderators have been notified.' : ''}`,
  allowance: (jobs, left, limit) =>
    `That would be ${jobs} more ${jobs === 1 ? 'job' : 'jobs'}, and you have ${left} of today's ${limit} left. The allowance resets at 00:00 UTC.`,
};

const es: GateText = {
  blocked: 'Se te ha bloqueado para crear imágenes en este servidor. Pregunta a un moderador si crees que es un error.',
  filtered: (category, notified) =>
    `Se ha rechazado ese prompt: parece que pide ${ES_CATEGORIES[category]}, y este servidor no lo permite.${notified ? ' Se ha avisado a los moderadores.' : ''}`,
  allowance: (jobs, left, limit) =>
    `Serían ${jobs} ${jobs === 1 ? 'trabajo' : 'trabajos'} más, y te quedan ${left} de los ${limit} de hoy. El cupo se renueva a las 00:00 UTC.`,
};

const TEXT: Localized<GateText> = { en, es };

export function gateTextFor(interaction: { locale?: string | null }): GateText {
  return TEXT[localeOf(interaction.locale)];
}
