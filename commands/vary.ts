import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { z } from 'zod';
import { VARY_CHOICES, VARY_STRENGTHS } from '../src/jobs/follow-up.js';
import { jobIdSchema } from '../src/jobs/job.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { requestFollowUp } from '../src/discord/follow-up.js';
import { replyPrivately } from '../src/discord/launch.js';
import { recentJobChoices } from '../src/discord/recent-jobs.js';

/** `/vary job:<id> image:<1-4> [strength]`: the V buttons, by job id. */
export const varyDefinition = new SlashCommandBuilder()
  .setName('vary')
  .setDescription('Make variations of one image')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((option) =>
    option
      .setName('job')
      .setDescription('The job id (shown under each result)')
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(16),
  )
  .addIntegerOption((option) =>
    option
      .setName('image')
      .setDescription('Which image: 1 top left, 2 top right, 3 bottom left, 4 bottom right')
      .setRequired(true)
      .setMinValue(1)
      .setMaxValue(4),
  )
  .addStringOption((option) =>
    option
      .setName('strength')
      .setDescription('Strong (more change) or subtle')
      .setRequired(false)
      .addChoices(...VARY_CHOICES),
  );

const optionsSchema = z.object({
  job: z.string().trim().toLowerCase().pipe(jobIdSchema),
  image: z.number().int().min(1).max(4),
  strength: z.enum(VARY_STRENGTHS).default('strong'),
});

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const parsed = optionsSchema.safeParse({
    job: interaction.options.getString('job', true),
    image: interaction.options.getInteger('image', true),
    strength: interaction.options.getString('strength') ?? undefined,
  });
  if (!parsed.success) {
    await replyPrivately(interaction, parsed.error.issues[0]?.message ?? 'Those options are not valid.');
    return;
  }
  const { job, image, strength } = parsed.data;
  await requestFollowUp(interaction, context, job, { action: 'vary', index: image, strength });
}

export const vary: SlashCommand = {
  definition: varyDefinition.toJSON(),
  execute,
  autocomplete: (interaction, context) => recentJobChoices(interaction, context),
};
