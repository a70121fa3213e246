import { localeOf, type Localized } from '../i18n/locale.js';
import type { FilterCategory } from './terms.js';

/** What the gate tells a member it turns away, in each language a member can read. */
export interface GateText {
  blocked: string;
  filtered(category: FilterCategory, moderatorsNotified: boolean): string;
  allowance(jobs: number, left: number, limit: number): string;
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
