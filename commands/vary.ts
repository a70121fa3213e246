import { InteractionContextType, SlashCommandBuilder } from 'discord.js';

/** `/vary job:<id> image:<1-4> [strength]`: the V buttons, by job id. */
export const varyDefinition = new SlashCommandBuilder()
  .setName('vary')
  .setDescription('Make variations of one image')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((option) => option.setName('job').setDescription('The job id (shown under each result)').setRequired(true).setAutocomplete(true).setMaxLength(16))
  .addIntegerOption((option) => option.setName('image').setDescription('Which image: 1 top left, 2 top right, 3 bottom left, 4 bottom right').setRequired(true).setMinValue(1).setMaxValue(4))
  .addStringOption((option) =>
    option.setName('strength').setDescription('Strong (more change) or subtle').setRequired(false).addChoices({ name: 'Strong', value: 'strong' }, { name: 'Subtle', value: 'subtle' }),
  );
