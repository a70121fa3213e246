import {
  ApplicationCommandType,
  InteractionContextType,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext, MessageCommand } from '../src/discord/context.js';
import { answerPrivately, jobOfMessage } from '../src/discord/job-of-message.js';
import { ownJobsTextFor } from '../src/discord/own-jobs-text.js';
import { isFinished } from '../src/jobs/job.js';
import { PROVIDER_NAMES } from '../src/providers/index.js';

/** Apps → Show seed: the job's seed, privately, when its provider returned one (Cloudsway does). */
export const showSeedDefinition: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  name: 'Show seed',
  type: ApplicationCommandType.Message,
  contexts: [InteractionContextType.Guild],
};

async function execute(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void> {
  const job = await jobOfMessage(interaction, context);
  if (!job) return;
  const say = ownJobsTextFor(interaction);
  if (job.seed) await answerPrivately(interaction, say.seed(job.id, job.seed));
  else if (!isFinished(job)) await answerPrivately(interaction, say.seedNotYet(job.id));
  else await answerPrivately(interaction, say.noSeed(job.id, PROVIDER_NAMES[job.provider]));
}

export const showSeed: MessageCommand = { definition: showSeedDefinition, execute };
