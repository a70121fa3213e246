import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type ButtonInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { z } from 'zod';
import {
  PRESET_NAMES,
  presetArea,
  REGION_LIMITS,
  REGION_PRESETS,
  regionPromptSchema,
  type RegionPreset,
} from '../jobs/region.js';
import { isModerator } from '../moderation/gate.js';
import type { BotContext } from './context.js';
import { buildCustomId } from './custom-id.js';
import { admitFollowUp, requestFollowUp } from './follow-up.js';
import { isChannelModal, replyPrivately } from './launch.js';
import { regionEditorUrl } from './region-link.js';
import { regionTextFor } from './region-text.js';

/** The prompt field of the preset modal. */
export const REGION_PROMPT_FIELD = 'prompt';
/** Discord's limit on a text input's value. */
const TEXT_INPUT_MAX = 4000;

/**
 * Vary (Region)'s button. With a public URL it answers the member privately with their own signed
 * link to the editor page (a link on the shared message could not be one member's). Without one it
 * offers the preset regions in a select menu, whose choice opens a modal for the prompt.
 */
export async function openRegion(
  interaction: ButtonInteraction,
  context: BotContext,
  jobId: string,
  index: number,
): Promise<void> {
  const parent = await admitFollowUp(interaction, context, jobId, { action: 'region', index });
  if (!parent) return;
  const say = regionTextFor(interaction);
  const publicBaseUrl = context.publicBaseUrl();
  if (publicBaseUrl) {
    const settings = await context.stores.guilds.get(parent.guildId);
    const token = context.regionLinks.sign(
      {
        job: parent.id,
        index,
        user: interaction.user.id,
        locale: interaction.locale,
        ...(isModerator(interaction, settings) ? { moderator: true } : {}),
      },
      context.now(),
    );
    await interaction.reply({
      content: say.editorLink(context.regionLinks.minutes),
      flags: MessageFlags.Ephemeral,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Link,
              label: say.openEditor,
              url: regionEditorUrl(publicBaseUrl, token),
            },
          ],
        },
      ],
    });
    return;
  }
  await interaction.reply({
    content: say.choosePreset,
    flags: MessageFlags.Ephemeral,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: buildCustomId({ kind: 'region-preset', jobId: parent.id, index }),
            placeholder: say.presetPlaceholder,
            options: REGION_PRESETS.map((preset) => ({ label: PRESET_NAMES[preset], value: preset })),
          },
        ],
      },
    ],
  });
}

/** A preset chosen: the modal for the prompt, pre-filled with the parent's words. */
export async function choosePreset(
  interaction: StringSelectMenuInteraction,
  context: BotContext,
  jobId: string,
  index: number,
): Promise<void> {
  const preset = z.enum(REGION_PRESETS).safeParse(interaction.values[0]);
  const say = regionTextFor(interaction);
  if (!preset.success) {
    await replyPrivately(interaction, say.unknownPreset);
    return;
  }
  const parent = await context.stores.jobs.get(jobId);
  const words = parent?.prompt.text.slice(0, Math.min(TEXT_INPUT_MAX, REGION_LIMITS.maxPromptLength)) ?? '';
  await interaction.showModal({
    custom_id: buildCustomId({ kind: 'region-prompt', jobId, index, preset: preset.data }),
    title: say.modalTitle(PRESET_NAMES[preset.data]),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: REGION_PROMPT_FIELD,
            label: say.promptLabel,
            style: TextInputStyle.Paragraph,
            required: false,
            max_length: REGION_LIMITS.maxPromptLength,
            ...(words ? { value: words } : {}),
          },
        ],
      },
    ],
  });
}

/** The modal submitted: the region follow-up, checked and launched like any other. */
export async function submitPreset(
  interaction: ModalSubmitInteraction,
  context: BotContext,
  jobId: string,
  index: number,
  preset: RegionPreset,
): Promise<void> {
  if (!isChannelModal(interaction)) return;
  const typed = interaction.fields.fields.has(REGION_PROMPT_FIELD)
    ? interaction.fields.getTextInputValue(REGION_PROMPT_FIELD)
    : '';
  const prompt = regionPromptSchema.safeParse(typed);
  if (!prompt.success) {
    await replyPrivately(interaction, regionTextFor(interaction).badPrompt(prompt.error.issues[0]?.message ?? ''));
    return;
  }
  await requestFollowUp(interaction, context, jobId, {
    action: 'region',
    index,
    area: presetArea(preset),
    ...(prompt.data === undefined ? {} : { prompt: prompt.data }),
  });
}
