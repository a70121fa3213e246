import { LabelBuilder, ModalBuilder, TextDisplayBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { localeOf, type Localized } from '../i18n/locale.js';
import { followUpName, isRemixAction, type FollowUp } from '../jobs/follow-up.js';
import type { Job } from '../jobs/job.js';
import { renderPrompt } from '../prompt/parse.js';
import type { ProviderAdapter } from '../providers/types.js';
import { buildCustomId } from './custom-id.js';

/** Discord's limits: a modal's title and a label are at most 45 characters, a text input's value 4000. */
const TITLE_MAX = 45;
export const REMIX_PROMPT_MAX = 4000;
/** The modal's one text field. */
export const REMIX_FIELD = 'prompt';

export interface RemixText {
  title(action: string): string;
  label: string;
  /** Shown in the modal when the provider cannot take a prompt with the action itself. */
  newImagine(provider: string, action: string): string;
  /** A notice on a job that Remix could not change (zoom or pan where the provider takes no prompt). */
  promptKept(provider: string, action: string): string;
}

const TEXT: Localized<RemixText> = {
  en: {
    title: (action) => `Remix: ${action}`,
    label: 'Prompt',
    newImagine: (provider, action) =>
      `${provider} can’t take a new prompt with ${action}, so your edited prompt runs as a new imagine.`,
    promptKept: (provider, action) =>
      `Remix: ${provider} can’t take a new prompt with ${action}, so the prompt stays as it was.`,
  },
  es: {
    title: (action) => `Remix: ${action}`,
    label: 'Prompt',
    newImagine: (provider, action) =>
      `${provider} no acepta un prompt nuevo con ${action}, así que tu prompt editado se ejecuta como un imagine nuevo.`,
    promptKept: (provider, action) =>
      `Remix: ${provider} no acepta un prompt nuevo con ${action}, así que el prompt sigue igual.`,
  },
};

export function remixTextFor(interaction: { locale?: string | null }): RemixText {
  return TEXT[localeOf(interaction.locale)];
}

/**
 * What Remix does with an action on this provider: the provider takes the edited prompt with it,
 * or (V and 🔄) the edited prompt runs as a new imagine; otherwise Remix cannot help (`none`):
 * an upscale keeps its image as it is, and zoom or pan without a prompt keep the prompt.
 */
export function remixRoute(adapter: ProviderAdapter, followUp: FollowUp): 'with-action' | 'new-imagine' | 'none' {
  if (!isRemixAction(followUp.action)) return 'none';
  if (adapter.capabilities.remix.includes(followUp.action)) return 'with-action';
  return followUp.action === 'vary' || followUp.action === 'reroll' ? 'new-imagine' : 'none';
}

/**
 * The Remix modal for a follow-up on a job: its ID carries the follow-up (never free text), its
 * one field is pre-filled with the job's prompt as the member wrote it.
 */
export function remixModal(parent: Job, followUp: FollowUp, say: RemixText, note?: string): ModalBuilder {
  const prompt = parent.prompt.typed ?? renderPrompt({ ...parent.prompt, params: { ...parent.prompt.params } });
  const input = new TextInputBuilder()
    .setCustomId(REMIX_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMinLength(1)
    .setMaxLength(REMIX_PROMPT_MAX)
    .setValue(prompt.slice(0, REMIX_PROMPT_MAX));
  const modal = new ModalBuilder()
    .setCustomId(buildCustomId({ kind: 'remix', jobId: parent.id, followUp }))
    .setTitle(say.title(followUpName(followUp)).slice(0, TITLE_MAX));
  if (note) modal.addTextDisplayComponents(new TextDisplayBuilder().setContent(note));
  return modal.addLabelComponents(new LabelBuilder().setLabel(say.label).setTextInputComponent(input));
}
