import {
  ApplicationCommandType,
  InteractionContextType,
  MessageFlags,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext, MessageCommand } from '../src/discord/context.js';
import { answerPrivately, jobOfMessage } from '../src/discord/job-of-message.js';
import { seedNeedsRequest, seedOfJob } from '../src/discord/job-seed.js';
import { ownJobsTextFor } from '../src/discord/own-jobs-text.js';
import { isFinished } from '../src/jobs/job.js';
import { PROVIDER_NAMES } from '../src/providers/index.js';

/**
 * Apps → Show seed: the job's seed, privately, when its provider returned one (Cloudsway does) or
 * gives it on request (AceData, asked once and then stored with the job).
 */
export const showSeedDefinition: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  name: 'Show seed',
  type: ApplicationCommandType.Message,
  contexts: [InteractionContextType.Guild],
};

async function execute(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void> {
  const job = await jobOfMessage(interaction, context);
  if (!job) return;
  const say = ownJobsTextFor(interaction);
  if (!job.seed && !isFinished(job)) {
    await answerPrivately(interaction, say.seedNotYet(job.id));
    return;
  }
  // A request to the provider can take longer than Discord's 3 seconds.
  if (seedNeedsRequest(job, context)) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const found = await seedOfJob(job, context);
  const provider = PROVIDER_NAMES[job.provider];
  if (found.kind === 'seed') await answerPrivately(interaction, say.seed(job.id, found.seed));
  else if (found.kind === 'none') await answerPrivately(interaction, say.noSeed(job.id, provider));
  else await answerPrivately(interaction, say.seedUnavailable(job.id, provider, found.reason));
}

export const showSeed: MessageCommand = { definition: showSeedDefinition, execute };
