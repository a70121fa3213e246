import {
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
  type ModalMessageModalSubmitInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Job } from '../jobs/job.js';
import type { CreatedJobs, NewJob } from '../jobs/service.js';
import type { BotContext } from './context.js';
import { refusalsFor, type NeededPermission } from './text.js';
import { jobView } from './views.js';

/** A modal submitted from a message in a channel (a modal always is, for this bot). */
export type ChannelModalSubmit = ModalSubmitInteraction & { channelId: string };
export type LaunchInteraction =
  | ChatInputCommandInteraction
  | MessageComponentInteraction
  // The Remix modal, opened from a button on a job's message.
  | ModalMessageModalSubmitInteraction
  // The Vary (Region) prompt modal.
  | ChannelModalSubmit;

export function isChannelModal(interaction: ModalSubmitInteraction): interaction is ChannelModalSubmit {
  return interaction.channelId !== null;
}

const NEEDED = [
  [PermissionFlagsBits.ViewChannel, 'ViewChannel'],
  [PermissionFlagsBits.SendMessages, 'SendMessages'],
  [PermissionFlagsBits.AttachFiles, 'AttachFiles'],
  [PermissionFlagsBits.EmbedLinks, 'EmbedLinks'],
] as const satisfies readonly (readonly [bigint, NeededPermission])[];

/**
 * Past this, a command still preparing its first answer is acknowledged with Discord's "thinking…"
 * placeholder, which its answer then replaces: Discord fails an interaction left unanswered for 3 s,
 * and a store that is slow for a moment must not cost a member their command.
 */
export const ANSWER_WITHIN_MS = 2_000;

/** Acknowledges the interaction if nothing has answered it `ANSWER_WITHIN_MS` after this call. */
export function answerInTime(
  interaction: LaunchInteraction,
  context: Pick<BotContext, 'logger'>,
): { beforeAnswer(): Promise<void> } {
  let deferring: Promise<void> | undefined;
  const timer = setTimeout(() => {
    if (interaction.deferred || interaction.replied) return;
    context.logger.warn(
      { interactionId: interaction.id },
      'still preparing the answer; acknowledging with a placeholder',
    );
    deferring = interaction.deferReply().then(
      () => undefined,
      (error: unknown) => context.logger.warn({ err: error }, 'could not acknowledge in time'),
    );
  }, ANSWER_WITHIN_MS);
  return {
    /** Call before answering: no placeholder is sent after this, and one already on its way has landed. */
    async beforeAnswer() {
      clearTimeout(timer);
      await deferring;
    },
  };
}

/**
 * Replies ephemerally, whether or not the interaction was acknowledged already. A public
 * placeholder left by `answerInTime` goes first: a private answer must not stand under a public
 * "thinking…" that never resolves.
 */
export async function replyPrivately(interaction: LaunchInteraction, content: string): Promise<void> {
  if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
  if (interaction.deferred || interaction.replied)
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
}

/**
 * The permissions the bot needs where results go. Checked up front: an interaction reply works
 * even where the bot may not post, but every later edit would fail.
 */
export function missingPermissions(interaction: LaunchInteraction): NeededPermission[] {
  const permissions = interaction.appPermissions;
  return NEEDED.filter(([flag]) => !permissions.has(flag)).map(([, name]) => name);
}

/**
 * Creates the jobs an interaction asked for, shows each in its own message (the first as the
 * interaction's reply), and starts those that have a free slot. The jobs are recorded before the
 * reply, so every message shown has a job behind it; everything before the reply is one store
 * write and cheap checks, so the interaction is acknowledged well within Discord's 3 seconds.
 */
export async function launchJobs(
  interaction: LaunchInteraction,
  context: BotContext,
  requests: NewJob[],
  /** A guard the caller started before its own reads; one starts here otherwise. */
  guard: ReturnType<typeof answerInTime> = answerInTime(interaction, context),
): Promise<Job[] | undefined> {
  try {
    return await launch(interaction, context, requests, guard);
  } finally {
    await guard.beforeAnswer();
  }
}

async function launch(
  interaction: LaunchInteraction,
  context: BotContext,
  requests: NewJob[],
  guard: ReturnType<typeof answerInTime>,
): Promise<Job[] | undefined> {
  const userId = interaction.user.id;
  const privately = async (content: string) => {
    await guard.beforeAnswer();
    await replyPrivately(interaction, content);
  };
  const missing = missingPermissions(interaction);
  if (missing.length > 0) {
    await privately(refusalsFor(interaction).missingPermissions(interaction.channelId, missing));
    return undefined;
  }
  const gate = await context.gate.check(
    interaction,
    requests.map((request) => request.prompt),
    requests.length,
  );
  if (!gate.ok) {
    await privately(gate.message);
    if (gate.reason === 'filter')
      await context.desk.refused(interaction.guildId ?? '', userId, gate.category, gate.term, gate.prompt);
    return undefined;
  }
  const refund = () =>
    context.gate
      .refund(interaction, requests.length)
      .catch((error: unknown) =>
        context.logger.warn({ err: error }, 'could not give back the allowance of jobs not made'),
      );
  const settings = await context.stores.guilds.get(interaction.guildId ?? '');
  // The router's safety net answered privately while this waited on the store: the job's message
  // cannot be that private reply, so it is posted in the channel and the placeholder removed.
  const privatePlaceholder = interaction.deferred && interaction.ephemeral === true;
  let created: CreatedJobs;
  try {
    created = await context.jobs.createJobs(
      requests.map((request, index) => ({
        ...request,
        visibility: settings.approvalMode ? 'pending_approval' : 'public',
        translate: request.translate ?? settings.translate,
        ...(request.followUp?.action === 'animate' && settings.hdVideo ? { hdVideo: true } : {}),
        interactionToken: interaction.token,
        attachmentLimit: interaction.attachmentSizeLimit,
        shownBy: index === 0 && !privatePlaceholder ? 'reply' : 'post',
      })),
    );
  } catch (error) {
    await refund();
    throw error;
  }
  if (!created.ok) {
    await refund();
    await privately(refusalsFor(interaction).queueFull(created.queued));
    return undefined;
  }
  const { jobs, positions } = created;
  const capabilities = context.jobs.adapter(requests[0]!.provider).capabilities;
  const shown: Job[] = [];
  try {
    for (const [index, job] of jobs.entries()) {
      const { content, components } = jobView(job, {
        now: context.now(),
        capabilities,
        queuePosition: positions[index],
      });
      const allowedMentions = { parse: [], users: [userId] };
      let messageId: string | undefined;
      if (index === 0) await guard.beforeAnswer();
      if (index === 0 && privatePlaceholder) {
        messageId = await post(context, interaction.channelId, job, { content, components, allowedMentions });
        await interaction.deleteReply().catch(() => undefined);
      } else if (index === 0 && interaction.deferred) {
        messageId = (await interaction.editReply({ content, components, allowedMentions })).id;
      } else if (index === 0) {
        const response = await interaction.reply({ content, components, allowedMentions, withResponse: true });
        messageId = response.resource?.message?.id;
      } else {
        // Further prompts (permutations, --repeat) get messages of their own.
        messageId = await post(context, interaction.channelId, job, { content, components, allowedMentions });
      }
      shown.push(job);
      if (messageId) await attach(context, job, messageId);
    }
  } catch (error) {
    await context.jobs.abandon(
      jobs.filter((job) => !shown.includes(job)),
      'This job could not be shown in Discord, so it was not started.',
    );
    await context.jobs.launch(shown);
    throw error;
  }
  await context.jobs.launch(jobs);
  return jobs;
}

/**
 * Records a job's message. The member already sees it, so a store failure here is not theirs to
 * hear about: the job runs, and the publisher finds the message again through the interaction's
 * token or the post's nonce when the result is ready.
 */
/**
 * A job's message posted in the channel, paced like any channel write, with the job id as nonce so
 * that posting again after a crash returns this message.
 */
async function post(
  context: BotContext,
  channelId: string,
  job: Job,
  view: { content: string; components: unknown[]; allowedMentions: { parse: never[]; users: string[] } },
): Promise<string> {
  await context.publisher.reserveWrite(channelId);
  const message = (await context.publisher.rest.post(Routes.channelMessages(channelId), {
    body: {
      content: view.content,
      components: view.components,
      allowed_mentions: view.allowedMentions,
      nonce: job.id,
      enforce_nonce: true,
    },
  })) as { id: string };
  return message.id;
}

async function attach(context: BotContext, job: Job, messageId: string): Promise<void> {
  try {
    await context.jobs.attachMessage(job, messageId);
  } catch (error) {
    context.logger.warn(
      { err: error, jobId: job.id },
      'could not record the message of a job; it will be found again when the job finishes',
    );
  }
}
