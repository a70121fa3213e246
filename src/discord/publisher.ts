import { DiscordAPIError, Routes, type REST } from 'discord.js';
import { failpoint, type Failpoints } from '../failpoints.js';
import { isFinished, type Job } from '../jobs/job.js';
import type { JobChange } from '../jobs/service.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import type { RenderedAttachment } from './attachments.js';
import type { MessageView } from './views.js';

/** Discord error codes that mean "the message or channel is gone": nothing to retry. */
const GONE_CODES = new Set([10003, 10008]);
const MISSING_PERMISSION_CODES = new Set([50001, 50013]);
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
  view: (job: Job, extras: { imageMissing: boolean }) => MessageView;
  /** Renders the result image for a finished job (download, compose, encode to fit). */
  attachment: (job: Job) => Promise<RenderedAttachment | undefined>;
  /** Called after a job's final message is out, with Discord's copy of it (the moderation mirror hooks in here). */
  published?: (job: Job, message: { attachments?: { url: string }[] } | undefined) => Promise<void>;
  /** Results later than this (since the job was made) come as a new message with a ping; default PING_AFTER_MS. */
  pingAfterMs?: number;
  /** Writes allowed per channel per window; Discord allows 5 per 5 s. */
  channelLimit?: { count: number; windowMs: number };
  now?: () => number;
  failpoints?: Failpoints;
}

interface ChannelQueue {
  /** Jobs waiting to be shown, with whether their final result is due. */
  pending: Map<string, JobChange>;
  /** Send times within the current window. */
  sent: number[];
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
  private readonly limit: { count: number; windowMs: number };
  private readonly now: () => number;
  private stopped = false;

  /** The REST client this publisher writes with (others post through it to share its pacing). */
  readonly rest: REST;

  constructor(private readonly options: PublisherOptions) {
    this.rest = options.rest;
    this.limit = options.channelLimit ?? { count: 5, windowMs: 5_000 };
    this.now = options.now ?? Date.now;
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
  }

  /** Counts a write made outside the publisher (an interaction reply does not count; a channel post does). */
  recordWrite(channelId: string): void {
    this.channel(channelId).sent.push(this.now());
  }

  /** Milliseconds until the channel may take another write. */
  waitFor(channelId: string): number {
    const queue = this.channel(channelId);
    const now = this.now();
    queue.sent = queue.sent.filter((at) => now - at < this.limit.windowMs);
    if (queue.sent.length < this.limit.count) return 0;
    // A little margin: Discord's window and ours do not start at the same instant.
    return queue.sent[0]! + this.limit.windowMs - now + 50;
  }

  private channel(channelId: string): ChannelQueue {
    let queue = this.channels.get(channelId);
    if (!queue) {
      queue = { pending: new Map(), sent: [], busy: false };
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
    const wait = this.waitFor(channelId);
    if (wait > 0) {
      queue.timer = setTimeout(() => {
        queue.timer = undefined;
        this.pump(channelId, queue);
      }, wait);
      return;
    }
    const next = [...queue.pending].find(([, change]) => change === 'final') ?? [...queue.pending][0]!;
    queue.pending.delete(next[0]);
    queue.busy = true;
    queue.sent.push(this.now());
    void this.send(next[0], next[1], channelId).finally(() => {
      queue.busy = false;
      this.pump(channelId, queue);
    });
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
    const { view, attachment } = await this.finalView(job);
    const message = (await this.options.rest.post(Routes.channelMessages(job.channelId), {
      body: { ...this.body(job, view), nonce: `r${job.id}`, enforce_nonce: true },
      ...(attachment ? { files: [attachmentFile(attachment)] } : {}),
    })) as DiscordMessage & { id: string };
    this.recordWrite(job.channelId);
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
    const { view, attachment } = await this.finalView(job);
    return (await this.options.rest.patch(route, {
      body: {
        ...this.body(job, view),
        ...(attachment ? { attachments: [{ id: '0', filename: attachment.filename }] } : {}),
      },
      ...(attachment ? { files: [attachmentFile(attachment)] } : {}),
    })) as DiscordMessage | undefined;
  }

  private async finalView(job: Job): Promise<{ view: MessageView; attachment: RenderedAttachment | undefined }> {
    // A result waiting for a moderator's approval is not shown publicly yet.
    const showResult = job.state === 'succeeded' && job.visibility === 'public';
    const attachment = showResult ? await this.options.attachment(job) : undefined;
    return { view: this.options.view(job, { imageMissing: showResult && !attachment }), attachment };
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
