import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { runPromptTool } from './prompt-tools.js';

const definition = new SlashCommandBuilder()
  .setName('shorten')
  .setDescription('Shorter versions of a prompt, to imagine with a button')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((option) =>
    option.setName('prompt').setDescription('The prompt to shorten').setRequired(true).setMaxLength(6000),
  );

/** `/shorten prompt:<text>`: the shortened prompts, with a button to imagine each. */
async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  await runPromptTool(interaction, context, 'shorten', interaction.options.getString('prompt', true).trim());
}

export const shorten: SlashCommand = { definition: definition.toJSON(), execute };
