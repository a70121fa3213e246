import {
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type ButtonInteraction,
  type ModalMessageModalSubmitInteraction,
} from 'discord.js';
import { z } from 'zod';
import { CUSTOM_ZOOM_RANGE, zoomFactorSchema } from '../jobs/follow-up.js';
import { localeOf, type Localized } from '../i18n/locale.js';
import type { BotContext } from './context.js';
import { buildCustomId } from './custom-id.js';
import { requestFollowUp } from './follow-up.js';

/** The modal's one field. */
const FACTOR_FIELD = 'factor';
const RANGE = `${CUSTOM_ZOOM_RANGE.min.toFixed(1)}–${CUSTOM_ZOOM_RANGE.max.toFixed(1)}`;

interface CustomZoomText {
  title: string;
  label: string;
  /** The typed value is not a factor the modal takes. */
  badFactor(typed: string): string;
}

const TEXT: Localized<CustomZoomText> = {
  en: {
    title: 'Custom Zoom',
    label: `Zoom out by (${RANGE})`,
    badFactor: (typed) =>
      `“${typed}” is not a zoom factor I can use: type a number from ${CUSTOM_ZOOM_RANGE.min} to ${CUSTOM_ZOOM_RANGE.max} with at most two decimals, like 1.25.`,
  },
  es: {
    title: 'Zoom personalizado',
    label: `Alejar (${RANGE})`,
    badFactor: (typed) =>
      `«${typed}» no es un factor de zoom válido: escribe un número de ${CUSTOM_ZOOM_RANGE.min} a ${CUSTOM_ZOOM_RANGE.max} con dos decimales como mucho, como 1.25.`,
  },
};

/** Custom Zoom's modal for one image of a job: one short field for the factor. */
export function customZoomModal(
  jobId: string,
  index: number,
  locale?: string,
): APIModalInteractionResponseCallbackData {
  const say = TEXT[localeOf(locale)];
  return {
    custom_id: buildCustomId({ kind: 'custom-zoom-modal', jobId, index }),
    title: say.title,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: FACTOR_FIELD,
            label: say.label,
            style: TextInputStyle.Short,
            placeholder: '1.5',
            min_length: 1,
            max_length: 8,
            required: true,
          },
        ],
      },
    ],
  };
}

/** A typed factor: digits with an optional decimal point or comma, inside the range. */
const typedFactorSchema = z
  .string()
  .trim()
  .regex(/^\d+([.,]\d+)?x?$/i)
  .transform((typed) => Number(typed.replace(',', '.').replace(/x$/i, '')))
  .pipe(zoomFactorSchema());

/** The factor typed in the modal, or null when it is not one the modal takes. */
export function readZoomFactor(typed: string): number | null {
  const parsed = typedFactorSchema.safeParse(typed);
  return parsed.success ? parsed.data : null;
}

/** Custom Zoom's button: shows the modal (a modal must be the first answer, so nothing is checked before it). */
export async function openCustomZoom(interaction: ButtonInteraction, jobId: string, index: number): Promise<void> {
  await interaction.showModal(customZoomModal(jobId, index, interaction.locale));
}

/** The modal's answer: a bad factor is refused with what is allowed; a good one is a zoom follow-up like a button's. */
export async function submitCustomZoom(
  interaction: ModalMessageModalSubmitInteraction,
  context: BotContext,
  jobId: string,
  index: number,
): Promise<void> {
  const typed = interaction.fields.getTextInputValue(FACTOR_FIELD);
  const factor = readZoomFactor(typed);
  if (factor === null) {
    const shown = typed.trim().slice(0, 20).replace(/@/g, '@\u200b');
    await interaction.reply({
      content: TEXT[localeOf(interaction.locale)].badFactor(shown),
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  await requestFollowUp(interaction, context, jobId, { action: 'zoom', index, factor });
}
