import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { launchJobs, replyPrivately } from '../src/discord/launch.js';
import { isImageType } from '../src/discord/prompt-input.js';
import { preparePrompts } from '../src/discord/prepare-prompt.js';
import { refusals } from '../src/discord/text.js';
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
  const locale = localeOf(interaction.locale);
  const say = refusals(locale);
  const image = interaction.options.getAttachment('image');
  if (image && !isImageType(image.contentType)) {
    await replyPrivately(interaction, say.attachmentType(image.contentType));
    return;
  }
  const guildId = interaction.guildId ?? '';
  const settings = await context.stores.guilds.get(guildId);
  const provider =
    settings.provider && context.adapters.has(settings.provider) ? settings.provider : context.config.defaultProvider;
  if (!provider) {
    await replyPrivately(interaction, say.noProvider);
    return;
  }
  const member = await context.stores.members.get(guildId, interaction.user.id);
  const prepared = preparePrompts(image ? `${image.url} ${text}` : text, {
    provider,
    adapter: context.jobs.adapter(provider),
    server: settings,
    member,
    locale,
    maxPrompts: context.config.maxPromptsPerCommand,
  });
  if (!prepared.ok) {
    await replyPrivately(interaction, prepared.message);
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
  );
}

export const imagine: SlashCommand = { definition: imagineDefinition.toJSON(), execute };
