import { InteractionContextType, SlashCommandBuilder } from 'discord.js';

/** `/upscale job:<id> image:<1-4> [type]`: the U buttons, by job id. */
export const upscaleDefinition = new SlashCommandBuilder()
  .setName('upscale')
  .setDescription('Upscale one image of a grid')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((option) => option.setName('job').setDescription('The job id (shown under each result)').setRequired(true).setAutocomplete(true).setMaxLength(16))
  .addIntegerOption((option) => option.setName('image').setDescription('Which image: 1 top left, 2 top right, 3 bottom left, 4 bottom right').setRequired(true).setMinValue(1).setMaxValue(4))
  .addStringOption((option) =>
    option
      .setName('type')
      .setDescription('Upscale type, where the provider offers it')
      .setRequired(false)
      .addChoices({ name: 'Default', value: 'default' }, { name: 'Subtle', value: 'subtle' }, { name: 'Creative', value: 'creative' }, { name: '2x', value: '2x' }, { name: '4x', value: '4x' }),
  );
