import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { z } from 'zod';
import { UPSCALE_CHOICES, UPSCALE_TYPES } from '../src/jobs/follow-up.js';
import { jobIdSchema } from '../src/jobs/job.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { requestFollowUp } from '../src/discord/follow-up.js';
import { replyPrivately } from '../src/discord/launch.js';
import { recentJobChoices } from '../src/discord/recent-jobs.js';
import { offeredOnImage } from '../src/discord/views.js';

/** `/upscale job:<id> image:<1-4> [type]`: the U buttons, by job id. */
export const upscaleDefinition = new SlashCommandBuilder()
  .setName('upscale')
  .setDescription('Upscale one image of a grid')
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
      .setName('type')
      .setDescription('Upscale type, where the provider offers it')
      .setRequired(false)
      .addChoices(...UPSCALE_CHOICES),
  );

const optionsSchema = z.object({
  job: z.string().trim().toLowerCase().pipe(jobIdSchema),
  image: z.number().int().min(1).max(4),
  type: z.enum(UPSCALE_TYPES).optional(),
});

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const parsed = optionsSchema.safeParse({
    job: interaction.options.getString('job', true),
    image: interaction.options.getInteger('image', true),
    type: interaction.options.getString('type') ?? undefined,
  });
  if (!parsed.success) {
    await replyPrivately(interaction, parsed.error.issues[0]?.message ?? 'Those options are not valid.');
    return;
  }
  const { job, image } = parsed.data;
  const parent = await context.stores.jobs.get(job);
  // Without a type, the first one offered on that image: what its U button (or first Upscale button) does.
  const adapter = parent ? context.adapters.get(parent.provider) : undefined;
  const offered = parent && adapter ? offeredOnImage(parent, adapter.capabilities, image) : [];
  const type =
    parsed.data.type ??
    offered.flatMap((followUp) => (followUp.action === 'upscale' ? [followUp.type] : []))[0] ??
    'default';
  await requestFollowUp(interaction, context, job, { action: 'upscale', index: image, type });
}

export const upscale: SlashCommand = {
  definition: upscaleDefinition.toJSON(),
  execute,
  autocomplete: (interaction, context) => recentJobChoices(interaction, context),
};
