import { DiscordAPIError, Routes, type REST } from 'discord.js';
import { failpoint, type Failpoints } from '../failpoints.js';
import { isFinished, type Job } from '../jobs/job.js';
import type { JobChange } from '../jobs/service.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import type { RenderedAttachment, RenderedVideos } from './attachments.js';
import { LocalChannelPacer, type ChannelLimit, type ChannelPacer } from './channel-pacer.js';
import type { MessageView } from './views.js';

/** Discord error codes that mean "the message or channel is gone": nothing to retry. */
const GONE_CODES = new Set([10003, 10008]);
const MISSING_PERMISSION_CODES = new Set([50001, 50013]);
/** Pacing that could not be asked (its store failed) is asked again after this. */
const PACER_RETRY_MS = 1_000;
/** A final result that could not be published is tried again after this, doubling up to a minute. */
const RETRY_MS = 2_000;
const RETRY_MAX_MS = 60_000;
/** How long an interaction token can still read its reply (Discord allows 15 minutes). */
const TOKEN_USABLE_MS = 14 * 60_000;
/**
 * A result that takes longer than this is posted as a new message mentioning the member (Discord
 * notifies on a new message, never on an edit), and its waiting message is deleted. A quicker one
 * is edited in place: the member is still looking, and it costs one call instead of two.
 */
export const PING_AFTER_MS = 30_000;

export interface PublisherOptions {
  rest: REST;
  stores: Stores;
  logger: Logger;
  /** The bot's application id, to find an interaction's reply through its token. */
  applicationId?: string;
  /** Builds the view for a job in its current state. */
  view: (job: Job, extras: { imageMissing: boolean; videoLinks?: string[] }) => MessageView;
  /** Renders the result for a finished job: the image (download, compose, encode to fit), or an animation's videos. */
  attachment: (job: Job) => Promise<RenderedAttachment | RenderedVideos | undefined>;
  /** Called after a job's final message is out, with Discord's copy of it (the moderation mirror hooks in here). */
  published?: (job: Job, message: { attachments?: { url: string }[] } | undefined) => Promise<void>;
  /** Results later than this (since the job was made) come as a new message with a ping; default PING_AFTER_MS. */
  pingAfterMs?: number;
  /** Writes allowed per channel per window, for the default pacer; Discord allows 5 per 5 s. */
  channelLimit?: ChannelLimit;
  /** Counts each channel's writes; default this process's own ({@link LocalChannelPacer}). */
  pacer?: ChannelPacer;
  now?: () => number;
  failpoints?: Failpoints;
}

interface ChannelQueue {
  /** Jobs waiting to be shown, with whether their final result is due. */
  pending: Map<string, JobChange>;
  busy: boolean;
  timer?: NodeJS.Timeout;
}

type Outcome = 'done' | 'retry';

/** What the publisher reads of Discord's copy of a message it wrote. */
interface DiscordMessage {
  attachments?: { url: string }[];
}

/** A job whose end the member sees: its image, or its failure; not a result held, rejected or deleted. */
function endsForMember(job: Job): boolean {
  if (job.visibility === 'deleted' || job.visibility === 'owner_deleted' || job.visibility === 'rejected') return false;
  return job.state === 'failed' || (job.state === 'succeeded' && job.visibility === 'public');
}

function attachmentFile(attachment: RenderedAttachment) {
  return { name: attachment.filename, data: attachment.bytes, contentType: attachment.contentType };
}

/**
 * Turns job state into Discord messages. Edits are coalesced per message (only the latest state
 * is sent) and paced under each channel's limit, so fifty jobs in one channel never provoke a run
 * of 429s. Final results go before progress; intermediate progress may be skipped, the final
 * result never is: it is retried until it lands, and a job whose publication is not recorded
 * (`publishedSeq`) stays open in the store for the next process. Edits go through the channel
 * endpoints, which outlive the 15-minute interaction token.
 */
export class Publisher {
  private readonly channels = new Map<string, ChannelQueue>();
  private readonly retries = new Map<string, { attempts: number; timer?: NodeJS.Timeout }>();
  private readonly idle = new Set<() => void>();
  private readonly pacer: ChannelPacer;
  private readonly now: () => number;
  private stopped = false;

  /** The REST client this publisher writes with (others post through it to share its pacing). */
  readonly rest: REST;

  constructor(private readonly options: PublisherOptions) {
    this.rest = options.rest;
    this.now = options.now ?? Date.now;
    this.pacer = options.pacer ?? new LocalChannelPacer(options.channelLimit, this.now);
  }

  /** Asks for a job's message to show its latest state. */
  notify(job: Pick<Job, 'id' | 'channelId' | 'messageId'>, change: JobChange): void {
    // Progress of a job without a message has nowhere to go; its final result finds the message.
    if (this.stopped || (!job.messageId && change === 'progress')) return;
    const queue = this.channel(job.channelId);
    // A final result is never downgraded to a progress edit.
    if (queue.pending.get(job.id) !== 'final') queue.pending.set(job.id, change);
    this.pump(job.channelId, queue);
  }

  /** Resolves when every queued edit has been sent (for shutdown and tests); retries waiting on a timer are not waited for. */
  async drain(): Promise<void> {
    if ([...this.channels.values()].every((queue) => queue.pending.size === 0 && !queue.busy)) return;
    await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const queue of this.channels.values()) clearTimeout(queue.timer);
    for (const retry of this.retries.values()) clearTimeout(retry.timer);
    void this.pacer.close();
  }

  /**
   * Waits for, and takes, a write in the channel for a post made outside the publisher (an
   * interaction reply needs none; a channel post does), so that it shares the channel's pacing.
   */
  async reserveWrite(channelId: string): Promise<void> {
    for (;;) {
      let wait: number;
      try {
        wait = await this.pacer.take(channelId);
      } catch (error) {
        this.options.logger.warn({ err: error, channelId }, 'could not pace a channel write');
        wait = PACER_RETRY_MS;
      }
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private channel(channelId: string): ChannelQueue {
    let queue = this.channels.get(channelId);
    if (!queue) {
      queue = { pending: new Map(), busy: false };
      this.channels.set(channelId, queue);
    }
    return queue;
  }

  private pump(channelId: string, queue: ChannelQueue): void {
    if (queue.busy || queue.timer || this.stopped) return;
    if (queue.pending.size === 0) {
      this.checkIdle();
      return;
    }
    queue.busy = true;
    void this.sendNext(channelId, queue).finally(() => {
      queue.busy = false;
      this.pump(channelId, queue);
    });
  }

  /** Sends the channel's most urgent change once its pacing allows a write, or sets a timer to ask again. */
  private async sendNext(channelId: string, queue: ChannelQueue): Promise<void> {
    let wait: number;
    try {
      wait = await this.pacer.take(channelId);
    } catch (error) {
      this.options.logger.warn({ err: error, channelId }, 'could not pace a channel write');
      wait = PACER_RETRY_MS;
    }
    if (wait > 0) {
      if (this.stopped) return;
      queue.timer = setTimeout(() => {
        queue.timer = undefined;
        this.pump(channelId, queue);
      }, wait);
      return;
    }
    const next = [...queue.pending].find(([, change]) => change === 'final') ?? [...queue.pending][0];
    if (!next) return;
    queue.pending.delete(next[0]);
    await this.send(next[0], next[1], channelId);
  }

  private checkIdle(): void {
    if ([...this.channels.values()].some((queue) => queue.pending.size > 0 || queue.busy)) return;
    for (const resolve of this.idle) resolve();
    this.idle.clear();
  }

  private async send(jobId: string, change: JobChange, channelId: string): Promise<void> {
    const logger = this.options.logger.child({ jobId, channelId });
    let outcome: Outcome;
    let wasFinal = change === 'final';
    try {
      const job = await this.options.stores.jobs.get(jobId);
      if (!job) return;
      wasFinal = isFinished(job);
      outcome = wasFinal ? await this.publishFinal(job, logger) : await this.showProgress(job, logger);
    } catch (error) {
      logger.error({ err: error }, 'could not publish job message');
      outcome = 'retry';
    }
    if (outcome === 'done') {
      this.retries.delete(jobId);
      return;
    }
    // A final result is not dropped on a passing failure: it is tried again, for as long as the
    // process runs (and after that by the next, since it stays open in the store).
    if (!wasFinal || this.stopped) return;
    const retry = this.retries.get(jobId) ?? { attempts: 0 };
    retry.attempts += 1;
    this.retries.set(jobId, retry);
    const delay = Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** (retry.attempts - 1));
    retry.timer = setTimeout(() => this.notify({ id: jobId, channelId, messageId: undefined }, 'final'), delay);
    retry.timer.unref();
  }

  private async showProgress(job: Job, logger: Logger): Promise<Outcome> {
    if (!job.messageId) return 'done';
    const view = this.options.view(job, { imageMissing: false });
    try {
      await this.options.rest.patch(Routes.channelMessage(job.channelId, job.messageId), {
        body: this.body(job, view),
      });
    } catch (error) {
      // Progress can be skipped: the next change, or the final result, shows the latest state.
      logger.info({ err: error }, 'could not show progress');
    }
    return 'done';
  }

  /**
   * Brings the job's message to its final state: the result (or a moderator's decision about it),
   * then the moderation mirror, then the record that this state is published. Each step can be
   * repeated: an edit with the same content, a post or a mirror sent with a nonce Discord
   * deduplicates, a delete of what is already gone. So a crash anywhere in between costs a
   * repeat, never a loss.
   */
  private async publishFinal(job: Job, logger: Logger): Promise<Outcome> {
    if (job.publishSeq <= job.publishedSeq) return 'done';
    let current = job;
    const messageId = current.messageId ?? (await this.findMessage(current, logger));
    let message: DiscordMessage | undefined;
    if (messageId) {
      current = { ...current, messageId };
      await failpoint(this.options.failpoints, 'publish.before-edit', logger);
      try {
        if (this.postsAnew(current)) {
          ({ job: current, message } = await this.postResult(current, logger));
        } else {
          message = await this.writeFinal(current, messageId);
        }
        if (current.waitingMessageId) await this.deleteWaiting(current, current.waitingMessageId, logger);
      } catch (error) {
        if (error instanceof DiscordAPIError && GONE_CODES.has(Number(error.code))) {
          logger.info({ code: error.code }, 'job message is gone; nothing to show the result in');
        } else if (error instanceof DiscordAPIError && MISSING_PERMISSION_CODES.has(Number(error.code))) {
          logger.warn({ code: error.code }, 'missing permission to edit the job message; the result cannot be shown');
        } else {
          throw error;
        }
      }
      await failpoint(this.options.failpoints, 'publish.after-edit', logger);
    }
    await this.options.published?.(current, message);
    const shown = endsForMember(job);
    await this.options.stores.jobs.update(job.id, (stored) => {
      if (!stored || stored.publishedSeq >= job.publishSeq) return stored;
      const { waitingMessageId: _deleted, ...rest } = stored;
      return { ...rest, publishedSeq: job.publishSeq, ...(shown ? { resultShown: true } : {}) };
    });
    return 'done';
  }

  /** Whether this publication shows the member, late and for the first time, how their job ended. */
  private postsAnew(job: Job): boolean {
    if (job.resultShown || !endsForMember(job)) return false;
    // Interrupted after the post: the new message exists; finish the replacement instead.
    if (job.waitingMessageId) return false;
    return this.now() - job.createdAt >= (this.options.pingAfterMs ?? PING_AFTER_MS);
  }

  /**
   * Posts the result as a new message that mentions the member, with a nonce so that a repeat
   * after a crash returns the same message, and records it as the job's message. The waiting
   * message it replaces is remembered until it is deleted.
   */
  private async postResult(job: Job, logger: Logger): Promise<{ job: Job; message: DiscordMessage }> {
    const { view, files } = await this.finalView(job);
    const message = (await this.options.rest.post(Routes.channelMessages(job.channelId), {
      body: { ...this.body(job, view), nonce: `r${job.id}`, enforce_nonce: true },
      ...(files.length > 0 ? { files: files.map(attachmentFile) } : {}),
    })) as DiscordMessage & { id: string };
    await this.pacer.record(job.channelId);
    await failpoint(this.options.failpoints, 'publish.after-post', logger);
    const waitingMessageId = job.messageId;
    await this.options.stores.jobs.update(job.id, (stored) =>
      stored && stored.messageId === waitingMessageId
        ? { ...stored, messageId: message.id, ...(waitingMessageId ? { waitingMessageId } : {}) }
        : stored,
    );
    return { job: { ...job, messageId: message.id, ...(waitingMessageId ? { waitingMessageId } : {}) }, message };
  }

  private async deleteWaiting(job: Job, waitingMessageId: string, logger: Logger): Promise<void> {
    try {
      await this.options.rest.delete(Routes.channelMessage(job.channelId, waitingMessageId));
    } catch (error) {
      if (!(error instanceof DiscordAPIError && GONE_CODES.has(Number(error.code)))) throw error;
      logger.info('the waiting message was already gone');
    }
  }

  /** The final edit, or for a result a moderator or its owner deleted, the message's removal. */
  private async writeFinal(job: Job, messageId: string): Promise<DiscordMessage | undefined> {
    const route = Routes.channelMessage(job.channelId, messageId);
    if (job.visibility === 'deleted' || job.visibility === 'owner_deleted') {
      await this.options.rest.delete(route);
      return undefined;
    }
    const { view, files } = await this.finalView(job);
    return (await this.options.rest.patch(route, {
      body: {
        ...this.body(job, view),
        ...(files.length > 0
          ? { attachments: files.map((file, index) => ({ id: String(index), filename: file.filename })) }
          : {}),
      },
      ...(files.length > 0 ? { files: files.map(attachmentFile) } : {}),
    })) as DiscordMessage | undefined;
  }

  private async finalView(job: Job): Promise<{ view: MessageView; files: RenderedAttachment[] }> {
    // A result waiting for a moderator's approval is not shown publicly yet.
    const showResult = job.state === 'succeeded' && job.visibility === 'public';
    const rendered = showResult ? await this.options.attachment(job) : undefined;
    if (rendered && 'kind' in rendered) {
      const view = this.options.view(job, { imageMissing: false, videoLinks: rendered.links });
      return { view, files: rendered.files };
    }
    return {
      view: this.options.view(job, { imageMissing: showResult && !rendered }),
      files: rendered ? [rendered] : [],
    };
  }

  private body(job: Job, view: MessageView) {
    return {
      content: view.content,
      components: view.components,
      embeds: view.previewUrl ? [{ image: { url: view.previewUrl } }] : [],
      allowed_mentions: { parse: [] as string[], users: [job.userId] },
    };
  }

  /**
   * The message of a job whose id was never recorded (the process died between showing the job
   * and writing it down): the interaction's reply, found through its token while that lives, or
   * the channel post, which sending again with the same nonce returns instead of duplicating.
   */
  private async findMessage(job: Job, logger: Logger): Promise<string | undefined> {
    let messageId: string | undefined;
    if (job.shownBy === 'post') {
      const view = this.options.view({ ...job, state: 'queued' }, { imageMissing: false });
      const posted = (await this.options.rest.post(Routes.channelMessages(job.channelId), {
        body: {
          content: view.content,
          allowed_mentions: { parse: [], users: [job.userId] },
          nonce: job.id,
          enforce_nonce: true,
        },
      })) as { id: string };
      messageId = posted.id;
    } else if (job.interactionToken && this.options.applicationId && this.now() - job.createdAt < TOKEN_USABLE_MS) {
      try {
        const original = (await this.options.rest.get(
          Routes.webhookMessage(this.options.applicationId, job.interactionToken, '@original'),
          { auth: false },
        )) as { id: string };
        messageId = original.id;
      } catch (error) {
        if (!(error instanceof DiscordAPIError)) throw error;
        logger.warn({ code: error.code }, 'the reply of this job’s interaction is gone');
      }
    }
    if (!messageId) {
      logger.warn('this job has no message to show its result in');
      return undefined;
    }
    await this.options.stores.jobs.update(job.id, (current) => current && { ...current, messageId });
    return messageId;
  }
}
