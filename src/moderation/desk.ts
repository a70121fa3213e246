import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordAPIError, MessageFlags, Routes, type ButtonInteraction, type REST } from 'discord.js';
import type { RenderedAttachment } from '../discord/attachments.js';
import type { Publisher } from '../discord/publisher.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../logger.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { AuditEntry, Stores } from '../store/stores.js';
import { isModerator } from './gate.js';
import { mirrorView, refusalView, type Decision } from './views.js';

export interface DeskOptions {
  rest: REST;
  stores: Stores;
  publisher: Publisher;
  logger: Logger;
  applicationId?: string;
  renderAttachment: (job: Job) => Promise<RenderedAttachment | undefined>;
  now: () => number;
}

type Operation = Decision['action'];

/** How long an interaction token can still carry an ephemeral message (Discord allows 15 minutes). */
const TOKEN_USABLE_MS = 14 * 60_000;

/**
 * The moderation channel: mirrors every finished job (and provider-side rejections and filter
 * refusals) for moderators, and carries out their buttons: Delete, Block user, and in approval
 * mode Approve and Reject. Permissions are checked on every click, not only by who sees buttons.
 */
export class ModerationDesk {
  constructor(private readonly options: DeskOptions) {}

  private async post(channelId: string, body: object, attachment?: RenderedAttachment): Promise<{ id: string } | undefined> {
    const { publisher, rest, logger } = this.options;
    try {
      await sleep(publisher.waitFor(channelId));
      publisher.recordWrite(channelId);
      return (await rest.post(Routes.channelMessages(channelId), {
        body: { ...body, allowed_mentions: { parse: [] }, ...(attachment ? { attachments: [{ id: '0', filename: attachment.filename }] } : {}) },
        ...(attachment ? { files: [{ name: attachment.filename, data: attachment.bytes, contentType: attachment.contentType }] } : {}),
      })) as { id: string };
    } catch (error) {
      logger.warn({ err: error, channelId }, 'could not post to the moderation channel; check that the bot may send messages and attach files there');
      return undefined;
    }
  }

  /** Called once a job's final message is out. Posts the mirror the first time only. */
  async mirror(job: Job, publicMessage: { attachments?: { url: string }[] } | undefined): Promise<void> {
    if (job.modMessageId) return;
    const settings = await this.options.stores.guilds.get(job.guildId);
    if (!settings.modChannelId) return;
    const pending = job.visibility === 'pending_approval';
    // A result awaiting approval is not public: moderators get the file itself.
    const attachment = pending ? await this.options.renderAttachment(job) : undefined;
    const view = mirrorView(job, {
      providerName: PROVIDER_NAMES[job.provider],
      imageUrl: pending ? (attachment ? `attachment://${attachment.filename}` : undefined) : publicMessage?.attachments?.[0]?.url,
    });
    const posted = await this.post(settings.modChannelId, view, attachment);
    if (!posted) return;
    await this.options.stores.jobs.update(job.id, (current) => (current ? { ...current, modMessageId: posted.id } : current));
  }

  /** Tells moderators a prompt was refused by the filter, and keeps it in the audit log. */
  async refused(guildId: string, userId: string, category: string, term: string, prompt: string): Promise<void> {
    await this.options.stores.moderation.log(guildId, { at: this.options.now(), moderatorId: 'filter', action: 'filter_refusal', targetUserId: userId, detail: `${category}: ${term}` });
    const settings = await this.options.stores.guilds.get(guildId);
    if (settings.modChannelId) await this.post(settings.modChannelId, { content: refusalView(userId, category, term, prompt) });
  }

  /** A moderator's button on a mirror message. */
  async handle(interaction: ButtonInteraction, operation: Operation, jobId: string): Promise<void> {
    const guildId = interaction.guildId ?? '';
    const settings = await this.options.stores.guilds.get(guildId);
    if (!isModerator(interaction, settings)) {
      await interaction.reply({ content: 'Only moderators (Manage Messages, or the moderator role) can use these buttons.', flags: MessageFlags.Ephemeral });
      return;
    }
    const job = await this.options.stores.jobs.get(jobId);
    if (!job || job.guildId !== guildId) {
      await interaction.reply({ content: `I don't know job \`${jobId}\` any more.`, flags: MessageFlags.Ephemeral });
      return;
    }
    const moderatorId = interaction.user.id;
    const entry: AuditEntry = { at: this.options.now(), moderatorId, action: operation, jobId, targetUserId: job.userId };
    switch (operation) {
      case 'delete':
        await this.deletePublic(job);
        job.visibility = 'deleted';
        break;
      case 'block':
        await this.options.stores.moderation.setBlocked(guildId, job.userId, true);
        break;
      case 'approve':
        if (job.visibility !== 'pending_approval') return this.alreadyDecided(interaction, job);
        job.visibility = 'public';
        break;
      case 'reject':
        if (job.visibility !== 'pending_approval') return this.alreadyDecided(interaction, job);
        job.visibility = 'rejected';
        await this.tellOwner(job, 'A moderator did not approve your result, so it was not published.');
        break;
    }
    await this.options.stores.jobs.update(job.id, (current) => (current ? { ...current, visibility: job.visibility } : current));
    await this.options.stores.moderation.log(guildId, entry);
    if (operation === 'approve' || operation === 'reject') this.options.publisher.notify(job, 'final');
    const decisions = (await this.options.stores.moderation.auditLog(guildId))
      .filter((logged) => logged.jobId === job.id && logged.action !== 'filter_refusal' && logged.action !== 'banword_add' && logged.action !== 'banword_remove' && logged.action !== 'unblock')
      .map((logged) => ({ action: logged.action as Operation, moderatorId: logged.moderatorId }));
    const view = mirrorView(job, { providerName: PROVIDER_NAMES[job.provider], decisions });
    // Keep the thumbnail the mirror already shows.
    const embeds = view.embeds.map((embed, index) => ({ ...embed, ...(interaction.message.embeds[index]?.thumbnail ? { thumbnail: { url: interaction.message.embeds[index].thumbnail.url } } : {}) }));
    await interaction.update({ content: view.content, embeds, components: view.components, allowedMentions: { parse: [] } });
  }

  private async alreadyDecided(interaction: ButtonInteraction, job: Job): Promise<void> {
    await interaction.reply({ content: `Job \`${job.id}\` was already decided (${job.visibility}).`, flags: MessageFlags.Ephemeral });
  }

  private async deletePublic(job: Job): Promise<void> {
    if (!job.messageId) return;
    try {
      await this.options.rest.delete(Routes.channelMessage(job.channelId, job.messageId));
    } catch (error) {
      if (!(error instanceof DiscordAPIError && Number(error.code) === 10008)) throw error;
    }
  }

  /** Tells the job's owner privately while their interaction token lives; the public message says it anyway. */
  private async tellOwner(job: Job, content: string): Promise<void> {
    if (!job.interactionToken || !this.options.applicationId || this.options.now() - job.createdAt > TOKEN_USABLE_MS) return;
    try {
      await this.options.rest.post(Routes.webhook(this.options.applicationId, job.interactionToken), { body: { content, flags: MessageFlags.Ephemeral }, auth: false });
    } catch (error) {
      this.options.logger.info({ err: error, jobId: job.id }, 'could not tell the owner privately');
    }
  }
}
