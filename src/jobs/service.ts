import { randomBytes } from 'node:crypto';
import type { ProviderId } from '../config.js';
import { failpoint, type Failpoints } from '../failpoints.js';
import { KeyedLock } from '../keyed-lock.js';
import type { Logger } from '../logger.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderAdapter, TaskUpdate } from '../providers/types.js';
import type { ParsedPrompt } from '../prompt/types.js';
import { isStoreUnavailable } from '../store/errors.js';
import type { Stores } from '../store/stores.js';
import { ActiveJobs, type ActiveJob } from './active-jobs.js';
import type { Limits } from './admission.js';
import { isFinished, withLifecycle, type Job, type StoredImage } from './job.js';
import { PollPlan } from './poll-plan.js';
import { Poller } from './poller.js';
import { submitRequest } from './requests.js';

export type JobChange = 'progress' | 'final';

export interface JobServiceOptions {
  stores: Stores;
  adapters: ReadonlyMap<ProviderId, ProviderAdapter>;
  logger: Logger;
  /** Called whenever a job's message should change; the publisher coalesces and paces. */
  onChange: (job: Job, change: JobChange) => void;
  /** Loads an image's bytes (downloads URLs, reads blobs), for adapters that edit a parent image. */
  loadImage: (image: StoredImage, signal: AbortSignal) => Promise<{ bytes: Uint8Array; contentType: string }>;
  /** The callback URL for a job, when callbacks are configured. */
  callbackUrl?: (job: Job) => string | undefined;
  limits: (guildId: string) => Promise<Limits>;
  now?: () => number;
  random?: () => number;
  /**
   * How fast the providers' world runs compared with their documents: 1 in production; the
   * sandbox's simulators run faster, and the poller's timing follows them.
   */
  timeScale?: number;
  /** Per-request timeout for provider calls. */
  requestTimeoutMs?: number;
  maxConcurrentRequests?: number;
  providerRatePerSecond?: number;
  /** While true, provider requests wait (see InteractionBacklog). */
  yieldWhile?: () => boolean;
  /** Crash-test pauses; absent in production. */
  failpoints?: Failpoints;
}

/** A job to make: an imagine, or (with `followUp` and `parentId`) an action on a finished job. */
export type NewJob = Pick<Job, 'provider' | 'guildId' | 'channelId' | 'userId' | 'speed'> &
  Partial<
    Pick<
      Job,
      | 'parentId'
      | 'followUp'
      | 'imageNumber'
      | 'notices'
      | 'visibility'
      | 'interactionToken'
      | 'attachmentLimit'
      | 'shownBy'
      | 'translate'
    >
  > & {
    prompt: ParsedPrompt;
  };

/** New jobs admitted and recorded (with their queue positions), or the queue was full. */
export type CreatedJobs = { ok: true; jobs: Job[]; positions: (number | undefined)[] } | { ok: false; queued: number };

/** What became of a callback: applied, not for this job (any more), or to be sent again later. */
export type CallbackOutcome = 'applied' | 'ignored' | 'retry_later';

const JOB_ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
/** How long a callback waits for the job's running step (its submit, say) before asking to be sent again. */
const CALLBACK_WAIT_MS = 10_000;

/** Short ids users can type in `/upscale job:<id>`; no look-alike characters. */
export function newJobId(): string {
  const bytes = randomBytes(8);
  return Array.from(bytes, (byte) => JOB_ID_ALPHABET[byte % JOB_ID_ALPHABET.length]).join('');
}

/**
 * The job lifecycle: admission and queueing, submission, polling or waiting for callbacks,
 * applying provider updates, and releasing slots. State lives in the store. One writer per job:
 * every step of a job (a submit returning, a poll, a callback) runs under that job's lock, reads
 * the record fresh, and writes back only the lifecycle fields it owns.
 */
export class JobService {
  private readonly active = new ActiveJobs();
  private readonly plan: PollPlan;
  readonly poller: Poller;
  private readonly now: () => number;
  /** One step at a time per job. */
  private readonly steps = new KeyedLock();
  /** One admission at a time per member, so two quick commands cannot both take the last slot. */
  private readonly admissions = new KeyedLock();
  private readonly requests = new KeyedLock();
  /**
   * Tasks a provider accepted whose id is not in the store yet (its write failed): a retried step
   * uses the task it has rather than submitting again.
   */
  private readonly accepted = new Map<string, TaskUpdate>();

  constructor(private readonly options: JobServiceOptions) {
    this.now = options.now ?? Date.now;
    this.plan = new PollPlan({
      now: this.now,
      random: options.random ?? Math.random,
      timeScale: options.timeScale ?? 1,
      hasCallbackUrl: (job) => Boolean(options.callbackUrl?.(job)),
    });
    this.poller = new Poller((jobId) => this.step(jobId), {
      logger: options.logger,
      now: this.now,
      maxConcurrent: options.maxConcurrentRequests,
      ratePerSecond: options.providerRatePerSecond,
      ...(options.yieldWhile ? { yieldWhile: options.yieldWhile } : {}),
    });
  }

  get durations(): PollPlan['durations'] {
    return this.plan.durations;
  }

  adapter(provider: ProviderId): ProviderAdapter {
    const adapter = this.options.adapters.get(provider);
    if (!adapter)
      throw new ProviderError('unsupported', `provider ${provider} is not configured`, {
        userMessage: 'This server’s image provider is no longer configured. An admin can pick another with /settings.',
      });
    return adapter;
  }

  /** Unfinished jobs of a user in a guild (for /info). */
  activeOf(guildId: string, userId: string): ActiveJob[] {
    return this.active.of(guildId, userId);
  }

  queuePosition(jobId: string): number | undefined {
    return this.active.queuePosition(jobId);
  }

  /**
   * Admits and records a member's new jobs in one step. Jobs that fit a free slot are reserved
   * now and start once `launch` is called; the others wait in the queue. The records are written
   * before this returns, so the message the caller shows next always has a job behind it; if the
   * store fails, nothing was admitted and the error is the caller's to report.
   */
  async createJobs(inputs: readonly NewJob[]): Promise<CreatedJobs> {
    const first = inputs[0];
    if (!first) return { ok: true, jobs: [], positions: [] };
    const limits = await this.options.limits(first.guildId);
    return this.admissions.run(`${first.guildId}:${first.userId}`, async (): Promise<CreatedJobs> => {
      const admission = this.active.admit(first.guildId, first.userId, inputs.length, limits);
      if (!admission.ok) return { ok: false, queued: admission.queued };
      const startNow = inputs.length - admission.queued;
      const jobs = inputs.map((input) => this.create(input));
      for (const [index, job] of jobs.entries()) {
        this.active.track(job);
        // A reserved slot: counted as in flight from now on, submitted on launch.
        if (index < startNow) this.active.reserve(job.id);
      }
      try {
        await Promise.all(jobs.map((job) => this.options.stores.jobs.save(job)));
      } catch (error) {
        for (const job of jobs) this.active.forget(job.id);
        throw error;
      }
      // The recent list only feeds autocomplete: not worth failing or delaying a command over.
      void Promise.all(jobs.map((job) => this.options.stores.jobs.remember(job))).catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'could not add jobs to the recent list'),
      );
      return { ok: true, jobs, positions: jobs.map((job) => this.queuePosition(job.id)) };
    });
  }

  /** Starts the reserved jobs (and any queued ones a slot has freed for). */
  async launch(jobs: readonly Job[]): Promise<void> {
    for (const job of jobs) {
      if (this.active.reserved(job.id)) this.poller.schedule(job.id, job.provider, this.now());
    }
    const first = jobs[0];
    if (first) await this.startQueued(first.guildId, first.userId);
  }

  /** Runs `work` alone for `key`: calls with the same key wait for each other, in order. */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.requests.run(key, work);
  }

  /** A new job record (queued), not yet saved or started. */
  private create(input: NewJob): Job {
    return {
      schema: 2,
      id: newJobId(),
      ...input,
      action: input.followUp?.action ?? 'imagine',
      // Stored loosely (params as a record); parsePrompt made it, so it reads back as a ParsedPrompt.
      prompt: {
        text: input.prompt.text,
        imageUrls: input.prompt.imageUrls,
        params: { ...input.prompt.params },
        ...(input.prompt.typed === undefined ? {} : { typed: input.prompt.typed }),
      },
      notices: input.notices ?? [],
      state: 'queued',
      visibility: input.visibility ?? 'public',
      callbackSeen: false,
      createdAt: this.now(),
      polls: 0,
      attempts: 0,
      version: 0,
      publishSeq: 0,
      publishedSeq: 0,
    };
  }

  /** Records the message that shows a job (before the job starts, so no step writes it). */
  async attachMessage(job: Job, messageId: string): Promise<void> {
    job.messageId = messageId;
    await this.steps.run(job.id, () =>
      this.options.stores.jobs.update(job.id, (current) => current && { ...current, messageId }),
    );
  }

  /** Gives up jobs whose message could not be shown, releasing their slots. */
  async abandon(jobs: readonly Job[], reason: string): Promise<void> {
    for (const job of jobs) {
      this.active.forget(job.id);
      await this.steps.run(job.id, () =>
        this.options.stores.jobs.update(job.id, (current) =>
          current && !isFinished(current)
            ? { ...current, state: 'failed', failure: { code: 'unknown', userMessage: reason }, finishedAt: this.now() }
            : current,
        ),
      );
    }
  }

  /** Starts every queued job of this user that has a free slot. */
  async startQueued(guildId: string, userId: string): Promise<void> {
    const { concurrency } = await this.options.limits(guildId);
    const starting = this.active.startable(guildId, userId, concurrency);
    for (const entry of starting) {
      this.active.reserve(entry.id);
      this.poller.schedule(entry.id, entry.provider, this.now());
    }
    if (starting.length === 0) return;
    // Those still waiting moved up the queue: their messages show the new position.
    const waiting = this.active.queued(guildId, userId);
    for (const job of await this.options.stores.jobs.getMany(waiting.map((entry) => entry.id)))
      this.options.onChange(job, 'progress');
  }

  /**
   * Resumes this process's open jobs after a restart: queued ones wait, running ones are polled,
   * those cut off while submitting are submitted again, and finished ones whose message does not
   * show it yet are published.
   */
  async resume(guildIds: readonly string[]): Promise<number> {
    let count = 0;
    for (const guildId of guildIds) {
      for (const job of await this.options.stores.jobs.openIn(guildId)) {
        count += 1;
        if (isFinished(job)) {
          this.options.onChange(job, 'final');
          continue;
        }
        if (!this.options.adapters.has(job.provider)) {
          // Its provider's key was removed from the configuration: nothing can finish this job.
          await this.steps.run(job.id, () =>
            this.finish(job, {
              code: 'unsupported',
              userMessage: 'This job’s image service is no longer configured for this bot, so it was stopped.',
            }),
          );
          continue;
        }
        this.active.track(job);
        if (job.state === 'running') this.poller.schedule(job.id, job.provider, job.nextPollAt ?? this.now());
        // A job cut off while submitting may never have reached the provider: submit it again.
        else if (job.state === 'submitting') this.poller.schedule(job.id, job.provider, this.now());
      }
    }
    for (const [guildId, userId] of this.active.owners()) await this.startQueued(guildId, userId);
    return count;
  }

  /** Stops stepping jobs: waits up to `graceMs` for the steps in flight, then drops the timers. */
  async stop(graceMs = 0): Promise<void> {
    await this.poller.pause(graceMs);
    this.poller.stop();
  }

  /**
   * Applies an update that arrived by callback, as one more step of the job: it waits for a step
   * in flight (a submit still returning, say) and then reads the record fresh. A callback for a
   * task this job has not recorded yet is not applied: the provider sends it again later.
   * Repeats and late arrivals are harmless.
   */
  async applyCallback(jobId: string, update: TaskUpdate): Promise<CallbackOutcome> {
    try {
      return await this.steps.run(jobId, () => this.applyCallbackNow(jobId, update), {
        signal: AbortSignal.timeout(CALLBACK_WAIT_MS),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') return 'retry_later';
      throw error;
    }
  }

  private async applyCallbackNow(jobId: string, update: TaskUpdate): Promise<CallbackOutcome> {
    const job = await this.options.stores.jobs.get(jobId);
    if (!job || isFinished(job)) return 'ignored';
    if (!job.taskId) return 'retry_later';
    if (job.taskId !== update.taskId) return 'ignored';
    job.callbackSeen = true;
    if (update.state === 'failed' && update.failure?.code === 'unknown') {
      // Some failure callbacks carry no reason (Kie's "Image generation failed"); the status query does.
      await this.commit(job);
      this.poller.schedule(job.id, job.provider, this.now());
      return 'applied';
    }
    await this.apply(job, update);
    return 'applied';
  }

  /** Writes the job's lifecycle fields over the stored record, and follows its state in memory. */
  private async commit(job: Job): Promise<void> {
    await this.options.stores.jobs.update(job.id, (current) => current && withLifecycle(current, job));
    this.active.track(job);
  }

  /** The poller's callback: submit a job that is due to start, or ask about a running one. */
  private step(jobId: string): Promise<void> {
    return this.steps.run(jobId, () => this.stepNow(jobId));
  }

  private async stepNow(jobId: string): Promise<void> {
    const job = await this.options.stores.jobs.get(jobId);
    if (!job) {
      this.active.forget(jobId);
      return;
    }
    if (isFinished(job)) {
      // A step that failed after the job finished (its store write of the next queued job, say)
      // runs again here: finish what release would have done.
      this.active.forget(jobId);
      if (job.publishSeq > job.publishedSeq) this.options.onChange(job, 'final');
      await this.startQueued(job.guildId, job.userId);
      return;
    }
    if (job.state === 'queued' || job.state === 'submitting') await this.submit(job);
    else await this.poll(job);
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000);
  }

  private logger(job: Job): Logger {
    return this.options.logger.child({ jobId: job.id, provider: job.provider, guildId: job.guildId });
  }

  private async submit(job: Job): Promise<void> {
    job.state = 'submitting';
    job.callbackSecret ??= randomBytes(16).toString('hex');
    await this.commit(job);
    const logger = this.logger(job);
    const { failpoints } = this.options;
    try {
      const adapter = this.adapter(job.provider);
      const callbackUrl = adapter.capabilities.callbacks ? this.options.callbackUrl?.(job) : undefined;
      const request = await submitRequest(job, {
        getJob: (id) => this.options.stores.jobs.get(id),
        loadImage: (image) => this.options.loadImage(image, this.signal()),
      });
      let update = this.accepted.get(job.id);
      if (!update) {
        await failpoint(failpoints, 'job.before-submit', logger);
        update = await adapter.submit(request, {
          signal: this.signal(),
          callbackUrl,
          logger,
          ...(job.translate === undefined ? {} : { translate: job.translate }),
        });
        this.accepted.set(job.id, update);
      }
      const acceptedAt = performance.now();
      await failpoint(failpoints, 'job.after-accept', logger);
      job.taskId = update.taskId;
      job.submittedAt ??= this.now();
      job.state = 'running';
      job.attempts = 0;
      // The task id first, before anything else: until it is recorded, a crash sends the submit
      // again (no provider here takes an idempotency key), so this window is kept to one write.
      await this.commit(job);
      this.accepted.delete(job.id);
      logger.info(
        {
          taskId: update.taskId,
          callback: Boolean(callbackUrl),
          recordedInMs: Math.round((performance.now() - acceptedAt) * 100) / 100,
        },
        'job submitted',
      );
      await this.apply(job, update);
    } catch (error) {
      await this.failOrRetry(job, error, logger);
    }
  }

  private async poll(job: Job): Promise<void> {
    const logger = this.logger(job);
    const adapter = this.adapter(job.provider);
    if (this.plan.overdue(job, adapter)) {
      await this.finish(job, {
        code: 'transient',
        userMessage:
          'This job took far longer than the image service usually needs, so it was stopped. Please try again.',
      });
      return;
    }
    try {
      job.polls += 1;
      const update = await adapter.status(job.taskId ?? '', { signal: this.signal(), logger });
      job.attempts = 0;
      this.plan.learnFromPoll(job, adapter, update.state);
      await this.apply(job, update);
    } catch (error) {
      await this.failOrRetry(job, error, logger);
    }
  }

  /** Retryable failures back off and try again (a bounded number of times); others fail the job. */
  private async failOrRetry(job: Job, error: unknown, logger: Logger): Promise<void> {
    // The store, not the provider, failed: the job is not at fault. The poller runs this step again.
    if (isStoreUnavailable(error)) throw error;
    const failure =
      error instanceof ProviderError
        ? error
        : new ProviderError('unknown', (error as Error).message ?? 'unexpected error', { cause: error });
    logger.warn(
      { err: failure, code: failure.code, providerCode: failure.providerCode, status: failure.status },
      'provider call failed',
    );
    job.attempts += 1;
    if (failure.retryable && job.attempts <= 5) {
      // A submit that certainly did not reach the provider goes back to waiting; a poll just waits.
      if (job.state === 'submitting') job.state = 'queued';
      job.nextPollAt = this.now() + this.plan.backoff(job.attempts, failure.retryAfterMs);
      await this.commit(job);
      this.poller.schedule(job.id, job.provider, job.nextPollAt);
      return;
    }
    await this.finish(job, failure.toJSON());
  }

  /** Folds a provider update into the job, saves it, and tells the publisher. */
  private async apply(job: Job, update: TaskUpdate): Promise<void> {
    if (isFinished(job)) return;
    if (update.state === 'succeeded') {
      job.images = update.images ? await this.storeImages(update.images) : undefined;
      job.gridImage = update.gridImage ? (await this.storeImages([update.gridImage]))[0] : undefined;
      job.seed = update.seed ?? job.seed;
      job.handle = update.handle ?? job.handle;
      job.followUps = update.followUps;
      job.progress = 100;
      this.plan.learnFromFinish(job);
      job.state = 'succeeded';
      job.finishedAt = this.now();
      await this.release(job);
      return;
    }
    if (update.state === 'failed') {
      await this.finish(
        job,
        update.failure ?? { code: 'unknown', userMessage: 'The image service could not finish this job.' },
      );
      return;
    }
    const changed =
      job.state !== 'running' ||
      update.progress !== job.progress ||
      update.previewUrl !== job.previewUrl ||
      update.statusText !== job.statusText;
    // The provider's own status word, kept for the log; messages show its stage (providers/stages.ts).
    if (update.statusText !== job.statusText)
      this.logger(job).debug({ statusText: update.statusText }, 'provider status');
    job.progress = update.progress ?? job.progress;
    job.previewUrl = update.previewUrl ?? job.previewUrl;
    job.statusText = update.statusText;
    job.handle = update.handle ?? job.handle;
    // Only a status query bounds the finish; the submit's own "running" says nothing about it, and a
    // job that finished before the first query teaches nothing (its span starts at zero).
    if (job.polls > 0) job.lastSeenRunningAt = this.now();
    job.state = 'running';
    job.nextPollAt = this.plan.nextPollAt(job, this.adapter(job.provider));
    await this.commit(job);
    this.poller.schedule(job.id, job.provider, job.nextPollAt);
    if (changed) this.options.onChange(job, 'progress');
  }

  private async finish(job: Job, failure: NonNullable<Job['failure']>): Promise<void> {
    job.state = 'failed';
    job.failure = failure;
    job.finishedAt = this.now();
    await this.release(job);
  }

  /**
   * Records the end of a job with a durable "publish me", then frees its slot. A crash after the
   * write leaves the job in the open index, finished and unpublished: the next start publishes it.
   */
  private async release(job: Job): Promise<void> {
    this.poller.cancel(job.id);
    job.publishSeq += 1;
    await this.commit(job);
    await failpoint(this.options.failpoints, 'job.after-finish', this.logger(job));
    this.options.onChange(job, 'final');
    await this.startQueued(job.guildId, job.userId);
  }

  /** Bytes (Image-1's base64) go to the blob store, so job records stay small. */
  private async storeImages(images: NonNullable<TaskUpdate['images']>): Promise<StoredImage[]> {
    return Promise.all(
      images.map(async (image): Promise<StoredImage> => {
        if (image.kind !== 'base64') return image;
        const blobId = newJobId() + newJobId();
        await this.options.stores.blobs.set(blobId, Buffer.from(image.data, 'base64'));
        return { kind: 'blob', blobId, contentType: image.contentType };
      }),
    );
  }
}
