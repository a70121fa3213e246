import { randomBytes } from 'node:crypto';
import type { ProviderId } from '../config.js';
import { KeyedLock } from '../keyed-lock.js';
import type { Logger } from '../logger.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderAdapter, TaskUpdate } from '../providers/types.js';
import type { ParsedPrompt } from '../prompt/types.js';
import type { Stores } from '../store/stores.js';
import { admit, queuePosition, startable, type ActiveEntry, type Limits } from './admission.js';
import { DurationModel } from './durations.js';
import { isFinished, type Job, type StoredImage } from './job.js';
import { nextPollDelay, pollDeadline, windowInterval } from './poll-schedule.js';
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
}

export type NewJob = Pick<Job, 'action' | 'provider' | 'guildId' | 'channelId' | 'userId' | 'speed'> &
  Partial<Pick<Job, 'parentId' | 'imageIndex' | 'options' | 'notices' | 'visibility' | 'interactionToken' | 'attachmentLimit'>> & { prompt: ParsedPrompt };

/** New jobs admitted (with their queue positions, and their records being written), or the queue was full. */
export type CreatedJobs = { ok: true; jobs: Job[]; positions: (number | undefined)[]; persisted: Promise<void> } | { ok: false; queued: number };

const JOB_ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Short ids users can type in `/upscale job:<id>`; no look-alike characters. */
export function newJobId(): string {
  const bytes = randomBytes(8);
  return Array.from(bytes, (byte) => JOB_ID_ALPHABET[byte % JOB_ID_ALPHABET.length]).join('');
}

/**
 * The job lifecycle: admission and queueing, submission, polling or waiting for callbacks,
 * applying provider updates, and releasing slots. State lives in the store; the in-memory map
 * only indexes this process's unfinished jobs (those of its guilds).
 */
export class JobService {
  private readonly active = new Map<string, ActiveEntry & { provider: ProviderId }>();

  readonly durations = new DurationModel();
  readonly poller: Poller;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timeScale: number;

  constructor(private readonly options: JobServiceOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.timeScale = options.timeScale ?? 1;
    this.poller = new Poller((jobId) => this.step(jobId), {
      logger: options.logger,
      now: this.now,
      maxConcurrent: options.maxConcurrentRequests,
      ratePerSecond: options.providerRatePerSecond,
      ...(options.yieldWhile ? { yieldWhile: options.yieldWhile } : {}),
    });
  }

  adapter(provider: ProviderId): ProviderAdapter {
    const adapter = this.options.adapters.get(provider);
    if (!adapter) throw new ProviderError('unsupported', `provider ${provider} is not configured`, { userMessage: 'This server’s image provider is no longer configured. An admin can pick another with /settings.' });
    return adapter;
  }

  /** Unfinished jobs of a user in a guild (for /info). */
  activeOf(guildId: string, userId: string): ActiveEntry[] {
    return [...this.active.values()].filter((entry) => entry.guildId === guildId && entry.userId === userId);
  }

  queuePosition(jobId: string): number | undefined {
    return queuePosition([...this.active.values()], jobId);
  }

  /**
   * Admits and creates a user's new jobs in one step (under a per-user lock, so two quick commands
   * cannot both take the last slot). Jobs that fit a free slot are reserved now and start once
   * `launch` is called; the others wait in the queue. Nothing is submitted yet: the caller first
   * shows each job in a message.
   */
  async createJobs(inputs: readonly NewJob[]): Promise<CreatedJobs> {
    const first = inputs[0];
    if (!first) return { ok: true, jobs: [], positions: [], persisted: Promise.resolve() };
    const limits = await this.options.limits(first.guildId);
    return this.locks.run(`${first.guildId}:${first.userId}`, (): Promise<CreatedJobs> => {
      const admission = admit([...this.active.values()], first.guildId, first.userId, inputs.length, limits);
      if (!admission.ok) return Promise.resolve({ ok: false, queued: admission.queued });
      const startNow = inputs.length - admission.queued;
      const jobs = inputs.map((input, index) => {
        const job = this.create(input);
        this.track(job);
        // A reserved slot: counted as in flight from now on, submitted on launch.
        if (index < startNow) this.active.set(job.id, { ...this.active.get(job.id)!, state: 'submitting' });
        return job;
      });
      // Written while the caller replies to Discord: the reply must not wait for the store.
      const persisted = Promise.all(jobs.map(async (job) => {
        await this.options.stores.jobs.save(job);
        await this.options.stores.jobs.remember(job);
      })).then(() => undefined);
      return Promise.resolve({ ok: true, jobs, positions: jobs.map((job) => this.queuePosition(job.id)), persisted });
    });
  }

  /** Starts the reserved jobs (and any queued ones a slot has freed for). */
  async launch(jobs: readonly Job[]): Promise<void> {
    for (const job of jobs) {
      if (this.active.get(job.id)?.state === 'submitting') this.poller.schedule(job.id, job.provider, this.now());
    }
    const first = jobs[0];
    if (first) await this.startQueued(first.guildId, first.userId);
  }

  private readonly locks = new KeyedLock();

  /** Runs `work` alone for `key`: calls with the same key wait for each other, in order. */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(`exclusive:${key}`, work);
  }

  /** A new job record (queued), not yet saved or started. */
  private create(input: NewJob): Job {
    const job: Job = {
      schema: 1,
      id: newJobId(),
      ...input,
      // Stored loosely (params as a record); parsePrompt made it, so it reads back as a ParsedPrompt.
      prompt: { text: input.prompt.text, imageUrls: input.prompt.imageUrls, params: { ...input.prompt.params } },
      options: input.options ?? {},
      notices: input.notices ?? [],
      state: 'queued',
      visibility: input.visibility ?? 'public',
      callbackSeen: false,
      createdAt: this.now(),
      polls: 0,
      attempts: 0,
    };
    return job;
  }

  /** Records the message that shows a job (before the job starts, so nothing else writes it). */
  async attachMessage(job: Job): Promise<void> {
    // Straight to the store: the in-memory entry keeps its reservation.
    await this.options.stores.jobs.save(job);
  }

  /** Gives up jobs whose message could not be shown, releasing their slots. */
  async abandon(jobs: readonly Job[], reason: string): Promise<void> {
    for (const job of jobs) {
      job.state = 'failed';
      job.failure = { code: 'unknown', userMessage: reason };
      job.finishedAt = this.now();
      await this.save(job);
    }
  }

  /** Starts every queued job of this user that has a free slot. */
  async startQueued(guildId: string, userId: string): Promise<void> {
    const { concurrency } = await this.options.limits(guildId);
    const all = () => [...this.active.values()];
    const starting = startable(all(), guildId, userId, concurrency);
    for (const entry of starting) {
      this.active.set(entry.id, { ...this.active.get(entry.id)!, state: 'submitting' });
      this.poller.schedule(entry.id, entry.provider, this.now());
    }
    if (starting.length === 0) return;
    // Those still waiting moved up the queue: their messages show the new position.
    const waiting = all().filter((entry) => entry.guildId === guildId && entry.userId === userId && entry.state === 'queued');
    for (const job of await this.options.stores.jobs.getMany(waiting.map((entry) => entry.id))) this.options.onChange(job, 'progress');
  }

  /** Resumes this process's unfinished jobs after a restart: queued wait, running are polled. */
  async resume(guildIds: readonly string[]): Promise<number> {
    let count = 0;
    for (const guildId of guildIds) {
      for (const job of await this.options.stores.jobs.activeIn(guildId)) {
        count += 1;
        if (!this.options.adapters.has(job.provider)) {
          // Its provider's key was removed from the configuration: nothing can finish this job.
          await this.finish(job, { code: 'unsupported', userMessage: 'This job’s image service is no longer configured for this bot, so it was stopped.' });
          continue;
        }
        this.track(job);
        if (job.state === 'running') this.schedulePoll(job);
        // A job cut off while submitting never got a task id: submit it again.
        else if (job.state === 'submitting') this.poller.schedule(job.id, job.provider, this.now());
      }
    }
    const owners = new Set([...this.active.values()].map((entry) => `${entry.guildId}:${entry.userId}`));
    for (const owner of owners) {
      const [guildId = '', userId = ''] = owner.split(':');
      await this.startQueued(guildId, userId);
    }
    return count;
  }

  stop(): void {
    this.poller.stop();
  }

  /** Applies an update that arrived by callback. Repeats and late arrivals are harmless. */
  async applyCallback(jobId: string, update: TaskUpdate): Promise<boolean> {
    const job = await this.options.stores.jobs.get(jobId);
    if (!job || isFinished(job) || (job.taskId && job.taskId !== update.taskId)) return false;
    job.callbackSeen = true;
    if (update.state === 'failed' && update.failure?.code === 'unknown') {
      // Some failure callbacks carry no reason (Kie's "Image generation failed"); the status query does.
      await this.save(job);
      this.poller.schedule(job.id, job.provider, this.now());
      return true;
    }
    await this.apply(job, update);
    return true;
  }

  private track(job: Pick<Job, 'id' | 'guildId' | 'userId' | 'state' | 'createdAt' | 'provider'>): void {
    if (isFinished(job)) this.active.delete(job.id);
    else this.active.set(job.id, { id: job.id, guildId: job.guildId, userId: job.userId, state: job.state as ActiveEntry['state'], createdAt: job.createdAt, provider: job.provider });
  }

  private async save(job: Job): Promise<void> {
    await this.options.stores.jobs.save(job);
    this.track(job);
  }

  /** The poller's callback: submit a job that is due to start, or ask about a running one. */
  private async step(jobId: string): Promise<void> {
    const job = await this.options.stores.jobs.get(jobId);
    if (!job || isFinished(job)) {
      this.active.delete(jobId);
      return;
    }
    if (job.state === 'queued' || job.state === 'submitting') await this.submit(job);
    else await this.poll(job);
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000);
  }

  private async submit(job: Job): Promise<void> {
    job.state = 'submitting';
    job.callbackSecret ??= randomBytes(16).toString('hex');
    await this.save(job);
    const logger = this.options.logger.child({ jobId: job.id, provider: job.provider, guildId: job.guildId });
    try {
      const adapter = this.adapter(job.provider);
      const callbackUrl = adapter.capabilities.callbacks ? this.options.callbackUrl?.(job) : undefined;
      const request = await submitRequest(job, {
        getJob: (id) => this.options.stores.jobs.get(id),
        loadImage: (image) => this.options.loadImage(image, this.signal()),
      });
      const update = await adapter.submit(request, { signal: this.signal(), callbackUrl, logger });
      job.taskId = update.taskId;
      job.submittedAt = this.now();
      job.state = 'running';
      job.attempts = 0;
      logger.info({ taskId: update.taskId, callback: Boolean(callbackUrl) }, 'job submitted');
      await this.apply(job, update);
    } catch (error) {
      await this.failOrRetry(job, error, logger);
    }
  }

  private async poll(job: Job): Promise<void> {
    const logger = this.options.logger.child({ jobId: job.id, provider: job.provider, guildId: job.guildId });
    const adapter = this.adapter(job.provider);
    const expected = this.expected(job, adapter);
    if (this.now() - (job.submittedAt ?? job.createdAt) > pollDeadline(expected, this.timeScale)) {
      await this.finish(job, { code: 'transient', userMessage: 'This job took far longer than the image service usually needs, so it was stopped. Please try again.' });
      return;
    }
    try {
      job.polls += 1;
      const update = await adapter.status(job.taskId ?? '', { signal: this.signal(), logger });
      job.attempts = 0;
      // Only a first query the schedule placed says where to place the next ones (not a callback's safety net).
      if (job.polls === 1 && job.submittedAt && update.state !== 'failed' && !this.answeredByCallback(job, adapter)) {
        // A third of the polling interval per observation: large enough to follow a change within
        // a few dozen jobs, small enough that the first query does not wander by more than about a second.
        const step = windowInterval(expected, this.recommendedInterval(adapter), this.minPollInterval()) / 3;
        this.durations.observeFirstPoll(job.provider, job.speed, job.action, this.now() - job.submittedAt, update.state === 'succeeded', step);
      }
      await this.apply(job, update);
    } catch (error) {
      await this.failOrRetry(job, error, logger);
    }
  }

  /** Retryable failures back off and try again (a bounded number of times); others fail the job. */
  private async failOrRetry(job: Job, error: unknown, logger: Logger): Promise<void> {
    const failure = error instanceof ProviderError ? error : new ProviderError('unknown', (error as Error).message ?? 'unexpected error', { cause: error });
    logger.warn({ err: failure, code: failure.code, providerCode: failure.providerCode, status: failure.status }, 'provider call failed');
    job.attempts += 1;
    if (failure.retryable && job.attempts <= 5) {
      const wait = failure.retryAfterMs ?? Math.min(60_000, 2_000 * 2 ** job.attempts) * this.timeScale;
      // A submit that certainly did not reach the provider goes back to waiting; a poll just waits.
      if (job.state === 'submitting') job.state = 'queued';
      job.nextPollAt = this.now() + wait;
      await this.save(job);
      this.poller.schedule(job.id, job.provider, job.nextPollAt);
      return;
    }
    await this.finish(job, failure.toJSON());
  }

  private expected(job: Job, adapter: ProviderAdapter): { low: number; high: number } {
    const learned = this.durations.estimate(job.provider, job.speed, job.action);
    if (learned) return learned;
    const typical = adapter.capabilities.timing.typicalSeconds[job.speed] * 1000 * this.timeScale;
    return { low: typical * 0.7, high: typical * 1.4 };
  }

  /** Whether a callback will report this job, so polling is only a safety net. */
  private answeredByCallback(job: Job, adapter: ProviderAdapter): boolean {
    return job.callbackSeen || Boolean(adapter.capabilities.callbacks && job.callbackSecret && this.options.callbackUrl?.(job));
  }

  private recommendedInterval(adapter: ProviderAdapter): number | undefined {
    const seconds = adapter.capabilities.timing.recommendedPollSeconds;
    return seconds ? seconds * 1000 * this.timeScale : undefined;
  }

  private minPollInterval(): number {
    return Math.max(5, 1_000 * this.timeScale);
  }

  private schedulePoll(job: Job): void {
    const adapter = this.adapter(job.provider);
    const expected = this.expected(job, adapter);
    const startedAt = job.submittedAt ?? job.createdAt;
    let at: number;
    if (this.answeredByCallback(job, adapter)) {
      // Callbacks will answer; one safety-net query if none has arrived well after the usual finish.
      at = Math.max(startedAt + expected.high * 1.5, this.now() + 5_000 * this.timeScale);
    } else {
      const delay = nextPollDelay({
        now: this.now(),
        startedAt,
        expected,
        polls: job.polls,
        progress: job.progress,
        recommendedIntervalMs: this.recommendedInterval(adapter),
        random: this.random(),
        minIntervalMs: this.minPollInterval(),
      });
      at = this.now() + delay;
    }
    job.nextPollAt = at;
    this.poller.schedule(job.id, job.provider, at);
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
      // It finished somewhere between the last "still running" and now: learn the middle of that
      // span, not the moment we noticed (which would teach the poller its own lateness).
      if (job.submittedAt && job.lastSeenRunningAt) {
        this.durations.record(job.provider, job.speed, job.action, (job.lastSeenRunningAt + this.now()) / 2 - job.submittedAt);
      }
      job.state = 'succeeded';
      job.finishedAt = this.now();
      await this.release(job, 'final');
      return;
    }
    if (update.state === 'failed') {
      await this.finish(job, update.failure ?? { code: 'unknown', userMessage: 'The image service could not finish this job.' });
      return;
    }
    const changed = job.state !== 'running' || update.progress !== job.progress || update.previewUrl !== job.previewUrl || update.statusText !== job.statusText;
    job.progress = update.progress ?? job.progress;
    job.previewUrl = update.previewUrl ?? job.previewUrl;
    job.statusText = update.statusText;
    job.handle = update.handle ?? job.handle;
    // Only a status query bounds the finish; the submit's own "running" says nothing about it, and a
    // job that finished before the first query teaches nothing (its span starts at zero).
    if (job.polls > 0) job.lastSeenRunningAt = this.now();
    if (job.state !== 'running') job.state = 'running';
    this.schedulePoll(job);
    await this.save(job);
    if (changed) this.options.onChange(job, 'progress');
  }

  private async finish(job: Job, failure: NonNullable<Job['failure']>): Promise<void> {
    job.state = 'failed';
    job.failure = failure;
    job.finishedAt = this.now();
    await this.release(job, 'final');
  }

  private async release(job: Job, change: JobChange): Promise<void> {
    this.poller.cancel(job.id);
    await this.save(job);
    this.options.onChange(job, change);
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
