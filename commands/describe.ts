import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { z } from 'zod';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { replyPrivately } from '../src/discord/launch.js';
import { isImageType } from '../src/discord/prompt-input.js';
import { runPromptTool } from './prompt-tools.js';
import { toolsTextFor } from './tools-text.js';

const definition = new SlashCommandBuilder()
  .setName('describe')
  .setDescription('Four prompts that describe an image')
  .setContexts(InteractionContextType.Guild)
  .addAttachmentOption((option) => option.setName('image').setDescription('The image to describe'))
  .addStringOption((option) =>
    option.setName('url').setDescription('Or a link to the image to describe').setMaxLength(1000),
  );

const linkSchema = z.url({ protocol: /^https?$/ });

/** `/describe image:<file>` or `/describe url:<link>`: four numbered prompts, buttons 1–4 and 🔄. */
async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const tools = toolsTextFor(interaction);
  const image = interaction.options.getAttachment('image');
  const url = interaction.options.getString('url')?.trim();
  if ((image === null) === (url === undefined || url === '')) {
    await replyPrivately(interaction, tools.urlOrImage);
    return;
  }
  if (image && !isImageType(image.contentType)) {
    await replyPrivately(interaction, tools.notAnImage('image', image.contentType));
    return;
  }
  const link = image ? image.url : linkSchema.safeParse(url).data;
  if (!link) {
    await replyPrivately(interaction, tools.badUrl);
    return;
  }
  await runPromptTool(interaction, context, 'describe', link);
}

export const describe: SlashCommand = { definition: definition.toJSON(), execute };
