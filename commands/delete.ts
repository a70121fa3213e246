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

/** Apps → Delete: a member removes their own finished job's message; the job takes no follow-ups after. */
export const deleteDefinition: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  name: 'Delete',
  type: ApplicationCommandType.Message,
  contexts: [InteractionContextType.Guild],
};

async function execute(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void> {
  const job = await jobOfMessage(interaction, context);
  if (!job) return;
  const say = ownJobsTextFor(interaction);
  if (job.userId !== interaction.user.id) {
    await answerPrivately(interaction, say.onlyOwnerDeletes(job.userId));
    return;
  }
  if (!isFinished(job)) {
    await answerPrivately(interaction, say.notDeletable(job.id));
    return;
  }
  // The same durable "publish me" a moderator's Delete raises: the publisher removes the message,
  // and a process that dies first leaves the removal to the next.
  const deleted = await context.stores.jobs.update(job.id, (current) =>
    current && current.visibility !== 'deleted' && current.visibility !== 'owner_deleted'
      ? { ...current, visibility: 'owner_deleted', publishSeq: current.publishSeq + 1 }
      : current,
  );
  if (deleted) context.publisher.notify(deleted, 'final');
  await answerPrivately(interaction, say.deleted(job.id));
}

export const deleteJob: MessageCommand = { definition: deleteDefinition, execute };
