import { DiscordAPIError, MessageFlags, Routes, type ButtonInteraction, type REST } from 'discord.js';
import type { RenderedAttachment } from '../discord/attachments.js';
import type { Publisher } from '../discord/publisher.js';
import { failpoint, type Failpoints } from '../failpoints.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../logger.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { Stores } from '../store/stores.js';
import { isModerator } from './gate.js';
import { moderatorTextFor } from './text.js';
import { mirrorView, refusalView, type Decision } from './views.js';

export interface DeskOptions {
  rest: REST;
  stores: Stores;
  publisher: Publisher;
  logger: Logger;
  applicationId?: string;
  renderAttachment: (job: Job) => Promise<RenderedAttachment | undefined>;
  now: () => number;
  failpoints?: Failpoints;
}

type Operation = Decision['action'];

/** Channel gone, or the bot may not post or attach there: a retry would fail the same way. */
const UNPOSTABLE_CODES = new Set([10003, 50001, 50013]);
const DECISIONS = new Set<string>(['delete', 'block', 'approve', 'reject']);
/** How long an interaction token can still carry an ephemeral message (Discord allows 15 minutes). */
const TOKEN_USABLE_MS = 14 * 60_000;

/**
 * The moderation channel: mirrors every finished job (and provider-side rejections and filter
 * refusals) for moderators, and carries out their buttons: Delete, Block user, and in approval
 * mode Approve and Reject. Permissions are checked on every click, not only by who sees buttons.
 */
export class ModerationDesk {
  constructor(private readonly options: DeskOptions) {}

  /**
   * Posts in the moderation channel. `nonce` makes the post idempotent: Discord returns the message
   * already made with it instead of a second one, so a retry after a crash does not duplicate the
   * mirror. Missing permissions or a deleted channel are logged and skipped (nothing to retry);
   * anything else throws, for the caller to retry.
   */
  private async post(
    channelId: string,
    body: object,
    options: { attachment?: RenderedAttachment; nonce?: string } = {},
  ): Promise<{ id: string } | undefined> {
    const { publisher, rest, logger } = this.options;
    const { attachment, nonce } = options;
    try {
      await publisher.reserveWrite(channelId);
      return (await rest.post(Routes.channelMessages(channelId), {
        body: {
          ...body,
          allowed_mentions: { parse: [] },
          ...(nonce ? { nonce, enforce_nonce: true } : {}),
          ...(attachment ? { attachments: [{ id: '0', filename: attachment.filename }] } : {}),
        },
        ...(attachment
          ? { files: [{ name: attachment.filename, data: attachment.bytes, contentType: attachment.contentType }] }
          : {}),
      })) as { id: string };
    } catch (error) {
      if (!(error instanceof DiscordAPIError && UNPOSTABLE_CODES.has(Number(error.code)))) throw error;
      logger.warn(
        { err: error, channelId },
        'could not post to the moderation channel; check that the bot may send messages and attach files there',
      );
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
      imageUrl: pending
        ? attachment
          ? `attachment://${attachment.filename}`
          : undefined
        : publicMessage?.attachments?.[0]?.url,
    });
    const posted = await this.post(settings.modChannelId, view, { attachment, nonce: `m${job.id}` });
    if (!posted) return;
    await failpoint(this.options.failpoints, 'publish.after-mirror', this.options.logger.child({ jobId: job.id }));
    await this.options.stores.jobs.update(job.id, (current) =>
      current ? { ...current, modMessageId: posted.id } : current,
    );
  }

  /** Tells moderators a prompt was refused by the filter, and keeps it in the audit log. */
  async refused(guildId: string, userId: string, category: string, term: string, prompt: string): Promise<void> {
    await this.options.stores.moderation.log(guildId, {
      at: this.options.now(),
      moderatorId: 'filter',
      action: 'filter_refusal',
      targetUserId: userId,
      detail: `${category}: ${term}`,
    });
    const settings = await this.options.stores.guilds.get(guildId);
    if (!settings.modChannelId) return;
    try {
      await this.post(settings.modChannelId, { content: refusalView(userId, category, term, prompt) });
    } catch (error) {
      // Logged in the audit log already; the member has had their answer.
      this.options.logger.warn({ err: error }, 'could not post a refusal to the moderation channel');
    }
  }

  /**
   * A moderator's button on a mirror message. A decision is one conditional write of the job:
   * Approve and Reject apply only to a result still waiting, Delete only to one not deleted yet,
   * so when two moderators click at once exactly one decision holds and the other is told so.
   * The public side (publish, reword, delete) goes through the publisher as a durable
   * "publish me", which a crash does not lose.
   */
  async handle(interaction: ButtonInteraction, operation: Operation, jobId: string): Promise<void> {
    const guildId = interaction.guildId ?? '';
    const settings = await this.options.stores.guilds.get(guildId);
    const say = moderatorTextFor(interaction);
    if (!isModerator(interaction, settings)) {
      await interaction.reply({
        content: say.onlyModeratorsButtons,
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const known = await this.options.stores.jobs.get(jobId);
    if (!known || known.guildId !== guildId) {
      await interaction.reply({ content: say.unknownJob(jobId), flags: MessageFlags.Ephemeral });
      return;
    }
    const moderatorId = interaction.user.id;
    let job: Job = known;
    if (operation === 'block') {
      const changed = await this.options.stores.moderation.setBlocked(guildId, job.userId, true);
      if (!changed) return this.alreadyDecided(interaction, say.alreadyBlocked(job.userId));
    } else {
      const decided = await this.decide(jobId, operation);
      if (!decided.won)
        return this.alreadyDecided(interaction, say.alreadyDecided(jobId, decided.job?.visibility ?? 'public'));
      job = decided.job;
    }
    await this.options.stores.moderation.log(guildId, {
      at: this.options.now(),
      moderatorId,
      action: operation,
      jobId,
      targetUserId: job.userId,
    });
    const decisions = (await this.options.stores.moderation.auditLog(guildId))
      .filter((logged) => logged.jobId === job.id && DECISIONS.has(logged.action))
      .map((logged) => ({ action: logged.action as Operation, moderatorId: logged.moderatorId }));
    const view = mirrorView(job, { providerName: PROVIDER_NAMES[job.provider], decisions });
    // Keep the thumbnail the mirror already shows.
    const embeds = view.embeds.map((embed, index) => ({
      ...embed,
      ...(interaction.message.embeds[index]?.thumbnail
        ? { thumbnail: { url: interaction.message.embeds[index].thumbnail.url } }
        : {}),
    }));
    await interaction.update({
      content: view.content,
      embeds,
      components: view.components,
      allowedMentions: { parse: [] },
    });
    if (operation !== 'block') this.options.publisher.notify(job, 'final');
    if (operation === 'reject')
      // The owner's language is not kept with the job: English.
      await this.tellOwner(job, moderatorTextFor({}).ownerRejected);
  }

  /** Applies a decision if it still can be, in one conditional write; says whether this call won. */
  private async decide(
    jobId: string,
    operation: Exclude<Operation, 'block'>,
  ): Promise<{ won: true; job: Job } | { won: false; job: Job | undefined }> {
    const next = { approve: 'public', reject: 'rejected', delete: 'deleted' } as const;
    let won = false;
    const job = await this.options.stores.jobs.update(jobId, (current) => {
      if (!current) return current;
      const open =
        operation === 'delete'
          ? current.visibility !== 'deleted' && current.visibility !== 'owner_deleted' && current.state === 'succeeded'
          : current.visibility === 'pending_approval';
      if (!open) return current;
      won = true;
      return { ...current, visibility: next[operation], publishSeq: current.publishSeq + 1 };
    });
    return won && job ? { won: true, job } : { won: false, job };
  }

  private async alreadyDecided(interaction: ButtonInteraction, content: string): Promise<void> {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  }

  /** Tells the job's owner privately while their interaction token lives; the public message says it anyway. */
  private async tellOwner(job: Job, content: string): Promise<void> {
    if (!job.interactionToken || !this.options.applicationId || this.options.now() - job.createdAt > TOKEN_USABLE_MS)
      return;
    try {
      await this.options.rest.post(Routes.webhook(this.options.applicationId, job.interactionToken), {
        body: { content, flags: MessageFlags.Ephemeral },
        auth: false,
      });
    } catch (error) {
      this.options.logger.info({ err: error, jobId: job.id }, 'could not tell the owner privately');
    }
  }
}
