import {
  ApplicationCommandType,
  DiscordAPIError,
  InteractionContextType,
  MessageFlags,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { createAttachmentRenderer } from '../src/discord/attachments.js';
import type { BotContext, MessageCommand } from '../src/discord/context.js';
import { answerPrivately, jobOfMessage } from '../src/discord/job-of-message.js';
import { seedOfJob } from '../src/discord/job-seed.js';
import { ownJobsTextFor } from '../src/discord/own-jobs-text.js';
import { promptShown } from '../src/discord/status-text.js';

/** Discord's answer when a member's privacy settings refuse the bot's direct message. */
const CANNOT_MESSAGE_USER = 50007;

/** Apps → Send to me: the job's image(s) by direct message, with the prompt, job id and seed. */
export const sendToMeDefinition: RESTPostAPIContextMenuApplicationCommandsJSONBody = {
  name: 'Send to me',
  type: ApplicationCommandType.Message,
  contexts: [InteractionContextType.Guild],
};

async function execute(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void> {
  const job = await jobOfMessage(interaction, context);
  if (!job) return;
  const say = ownJobsTextFor(interaction);
  // Only what the channel shows: not a result held for approval, a failure, or a cancelled job.
  if (job.state !== 'succeeded' || job.visibility !== 'public') {
    await answerPrivately(interaction, say.nothingToSend(job.id));
    return;
  }
  // Rendering and the DM can take longer than Discord's 3 seconds.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const rendered = await createAttachmentRenderer(context.stores, context.logger)(job);
  // An animation's result is its videos: those that fit go as files, the others as links.
  const files = !rendered ? [] : 'kind' in rendered ? rendered.files : [rendered];
  const links = rendered && 'kind' in rendered ? rendered.links : [];
  if (files.length === 0 && links.length === 0) {
    await answerPrivately(interaction, say.nothingToSend(job.id));
    return;
  }
  // A seed the provider gives only on request is asked for (once); without it the DM goes without a seed.
  const found = await seedOfJob(job, context);
  const seed = found.kind === 'seed' ? found.seed : undefined;
  const link = `https://discord.com/channels/${job.guildId}/${job.channelId}/${job.messageId ?? ''}`;
  try {
    await interaction.user.send({
      content: [say.directMessage(job.id, promptShown(job.prompt), seed, link), ...links].join('\n'),
      files: files.map((file) => ({ attachment: file.bytes, name: file.filename, contentType: file.contentType })),
      allowedMentions: { parse: [] },
    });
  } catch (error) {
    if (!(error instanceof DiscordAPIError && error.code === CANNOT_MESSAGE_USER)) throw error;
    await answerPrivately(interaction, say.dmsClosed);
    return;
  }
  await answerPrivately(interaction, say.sent(job.id));
}

export const sendToMe: MessageCommand = { definition: sendToMeDefinition, execute };
