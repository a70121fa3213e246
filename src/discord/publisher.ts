import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { JobChange } from '../jobs/service.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import type { RenderedAttachment } from './attachments.js';
import type { MessageView } from './views.js';

/** Discord error codes that mean "the message or channel is gone": nothing to retry. */
const GONE_CODES = new Set([10003, 10008]);
const MISSING_PERMISSION_CODES = new Set([50001, 50013]);

export interface PublisherOptions {
  rest: REST;
  stores: Stores;
  logger: Logger;
  /** Builds the view for a job in its current state. */
  view: (job: Job, extras: { imageMissing: boolean }) => MessageView;
  /** Renders the result image for a finished job (download, compose, encode to fit). */
  attachment: (job: Job) => Promise<RenderedAttachment | undefined>;
  /** Called after a job's final message is out, with Discord's copy of it (the moderation mirror hooks in here). */
  published?: (job: Job, message: { attachments?: { url: string }[] } | undefined) => Promise<void>;
  /** Writes allowed per channel per window; Discord allows 5 per 5 s. */
  channelLimit?: { count: number; windowMs: number };
  now?: () => number;
}

interface ChannelQueue {
  /** Jobs waiting to be shown, with whether their final result is due. */
  pending: Map<string, JobChange>;
  /** Send times within the current window. */
  sent: number[];
  busy: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Turns job state into Discord message edits. Edits are coalesced per message (only the latest
 * state is sent) and paced under each channel's limit, so fifty jobs in one channel never provoke
 * a run of 429s. Final results go before progress; intermediate progress may be skipped, the
 * final result never is. Edits go through the channel endpoints, which outlive the 15-minute
 * interaction token.
 */
export class Publisher {
  private readonly channels = new Map<string, ChannelQueue>();
  private readonly finalAttempts = new Map<string, number>();
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
  notify(job: Job, change: JobChange): void {
    if (this.stopped || !job.messageId) return;
    const queue = this.channel(job.channelId);
    // A final result is never downgraded to a progress edit.
    if (queue.pending.get(job.id) !== 'final') queue.pending.set(job.id, change);
    this.pump(job.channelId, queue);
  }

  /** Resolves when every queued edit has been sent (for shutdown and tests). */
  async drain(): Promise<void> {
    if ([...this.channels.values()].every((queue) => queue.pending.size === 0 && !queue.busy)) return;
    await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const queue of this.channels.values()) clearTimeout(queue.timer);
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
    void this.send(next[0], next[1]).finally(() => {
      queue.busy = false;
      this.pump(channelId, queue);
    });
  }

  private checkIdle(): void {
    if ([...this.channels.values()].some((queue) => queue.pending.size > 0 || queue.busy)) return;
    for (const resolve of this.idle) resolve();
    this.idle.clear();
  }

  private async send(jobId: string, change: JobChange): Promise<void> {
    const job = await this.options.stores.jobs.get(jobId);
    if (!job?.messageId) return;
    const logger = this.options.logger.child({ jobId, channelId: job.channelId });
    try {
      // A result waiting for a moderator's approval is not shown publicly yet.
      const showResult = change === 'final' && job.state === 'succeeded' && job.visibility === 'public';
      const attachment = showResult ? await this.options.attachment(job) : undefined;
      const view = this.options.view(job, { imageMissing: showResult && !attachment });
      const body = {
        content: view.content,
        components: view.components,
        embeds: view.previewUrl ? [{ image: { url: view.previewUrl } }] : [],
        allowed_mentions: { parse: [] as string[], users: [job.userId] },
        ...(attachment ? { attachments: [{ id: '0', filename: attachment.filename }] } : {}),
      };
      const message = (await this.options.rest.patch(Routes.channelMessage(job.channelId, job.messageId), {
        body,
        ...(attachment ? { files: [{ name: attachment.filename, data: attachment.bytes, contentType: attachment.contentType }] } : {}),
      })) as { attachments?: { url: string }[] } | undefined;
      if (change === 'final') {
        this.finalAttempts.delete(job.id);
        await this.options.published?.(job, message);
      }
    } catch (error) {
      if (error instanceof DiscordAPIError && GONE_CODES.has(Number(error.code))) {
        logger.info({ code: error.code }, 'job message is gone; skipping the edit');
      } else if (error instanceof DiscordAPIError && MISSING_PERMISSION_CODES.has(Number(error.code))) {
        logger.warn({ code: error.code }, 'missing permission to edit the job message');
      } else {
        logger.error({ err: error }, 'could not publish job message');
        // A final result is not dropped on a passing failure: try again after a pause, a few times.
        const attempts = (this.finalAttempts.get(job.id) ?? 0) + 1;
        this.finalAttempts.set(job.id, attempts);
        if (change === 'final' && attempts < 5 && !this.stopped) setTimeout(() => this.notify(job, 'final'), 5_000 * attempts).unref();
      }
    }
  }
}
