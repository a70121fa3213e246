import { MessageFlags, type Message, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { Job } from '../jobs/job.js';
import type { BotContext } from './context.js';
import { ownJobsTextFor } from './own-jobs-text.js';

/** The footer every job message carries (views.ts): `-# Job \`abc234\``. */
const JOB_FOOTER = /^-# Job `([a-z0-9]{6,16})`/m;

/**
 * The job an Apps-menu command was used on: the message must be the bot's own and be that job's
 * message, in this server. Anything else (a member's message, another bot's, a moderation mirror,
 * a job this bot no longer knows) is answered privately with a short refusal, and undefined returned.
 */
export async function jobOfMessage(
  interaction: MessageContextMenuCommandInteraction,
  context: BotContext,
): Promise<Job | undefined> {
  const message: Message = interaction.targetMessage;
  const say = ownJobsTextFor(interaction);
  const jobId = message.author.id === interaction.client.user.id ? JOB_FOOTER.exec(message.content)?.[1] : undefined;
  const job = jobId ? await context.stores.jobs.get(jobId) : undefined;
  if (!job || job.guildId !== interaction.guildId || job.messageId !== message.id) {
    await answerPrivately(interaction, say.notAJob);
    return undefined;
  }
  return job;
}

/** Replies ephemerally, or fills the ephemeral "thinking…" a slower command sent first. */
export async function answerPrivately(
  interaction: MessageContextMenuCommandInteraction,
  content: string,
): Promise<void> {
  if (interaction.deferred) await interaction.editReply({ content, allowedMentions: { parse: [] } });
  else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}
