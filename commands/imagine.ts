import { InteractionContextType, SlashCommandBuilder } from 'discord.js';

/** `/imagine prompt:<text> [image]`: a prompt with Midjourney parameters, and an optional image prompt. */
export const imagineDefinition = new SlashCommandBuilder()
  .setName('imagine')
  .setDescription('Create images from a prompt')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((option) =>
    option.setName('prompt').setDescription('What to imagine, with parameters like --ar 16:9 --chaos 20').setRequired(true).setMaxLength(6000),
  )
  .addAttachmentOption((option) => option.setName('image').setDescription('An image to use as an image prompt').setRequired(false));
