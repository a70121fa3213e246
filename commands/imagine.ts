import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { answerInTime, launchJobs, replyPrivately, type LaunchInteraction } from '../src/discord/launch.js';
import { isImageType } from '../src/discord/prompt-input.js';
import { preparePrompts } from '../src/discord/prepare-prompt.js';
import { refusals, refusalsFor } from '../src/discord/text.js';
import { localeOf } from '../src/i18n/locale.js';

/** `/imagine prompt:<text> [image]`: a prompt with Midjourney parameters, and an optional image prompt. */
export const imagineDefinition = new SlashCommandBuilder()
  .setName('imagine')
  .setDescription('Create images from a prompt')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((option) =>
    option
      .setName('prompt')
      .setDescription('What to imagine, with parameters like --ar 16:9 --chaos 20')
      .setRequired(true)
      .setMaxLength(6000),
  )
  .addAttachmentOption((option) =>
    option.setName('image').setDescription('An image to use as an image prompt').setRequired(false),
  );

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const text = interaction.options.getString('prompt', true);
  const image = interaction.options.getAttachment('image');
  if (image && !isImageType(image.contentType)) {
    await replyPrivately(interaction, refusalsFor(interaction).attachmentType(image.contentType));
    return;
  }
  await imagineText(interaction, context, text, image?.url);
}

/**
 * What /imagine does with a prompt: the member's shortcuts, suffix and defaults, then the server's,
 * its policy and the provider's check (preparePrompts), then its jobs. /describe's and /shorten's
 * buttons imagine through it too.
 */
export async function imagineText(
  interaction: LaunchInteraction,
  context: BotContext,
  text: string,
  imageUrl?: string,
): Promise<void> {
  // From the first store read on: a store that hangs (settings, the member's preferences) must not
  // cost the member Discord's 3 seconds, so the placeholder guard starts here, not at the launch.
  const guard = answerInTime(interaction, context);
  const privately = async (content: string) => {
    await guard.beforeAnswer();
    await replyPrivately(interaction, content);
  };
  try {
    const locale = localeOf(interaction.locale);
    const say = refusals(locale);
    const guildId = interaction.guildId ?? '';
    const settings = await context.stores.guilds.get(guildId);
    const provider =
      settings.provider && context.adapters.has(settings.provider) ? settings.provider : context.config.defaultProvider;
    if (!provider) {
      await privately(say.noProvider);
      return;
    }
    const member = await context.stores.members.get(guildId, interaction.user.id);
    const prepared = preparePrompts(imageUrl ? `${imageUrl} ${text}` : text, {
      provider,
      adapter: context.jobs.adapter(provider),
      server: settings,
      member,
      locale,
      maxPrompts: context.config.maxPromptsPerCommand,
    });
    if (!prepared.ok) {
      await privately(prepared.message);
      return;
    }
    await launchJobs(
      interaction,
      context,
      prepared.prompts.map(({ prompt, speed, notices }) => ({
        provider,
        guildId,
        channelId: interaction.channelId,
        userId: interaction.user.id,
        speed,
        prompt,
        notices,
      })),
      guard,
    );
  } finally {
    await guard.beforeAnswer();
  }
}

export const imagine: SlashCommand = { definition: imagineDefinition.toJSON(), execute };
