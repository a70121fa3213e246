import type { ProviderId } from '../config.js';
import type { Failpoints } from '../failpoints.js';
import { KeyedLock } from '../keyed-lock.js';
import type { Logger } from '../logger.js';
import type { ProviderAdapter, TaskUpdate } from '../providers/types.js';
import type { Stores } from '../store/stores.js';
import { ActiveJobs, type ActiveJob } from './active-jobs.js';
import type { Limits } from './admission.js';
import { isFinished, type Job, type StoredImage } from './job.js';
import { PollPlan } from './poll-plan.js';
import { Poller } from './poller.js';
import { newJobRecord, type NewJob } from './new-job.js';
import { JobSteps } from './job-steps.js';
import type { Step, StepQueue } from './step-queue.js';
import type { Metrics } from '../observability/metrics.js';

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
  /** The URL of a Vary (Region) job's mask PNG of `size`, when the bot has a public URL. */
  regionMaskUrl?: (job: Job, size: { width: number; height: number }) => string | undefined;
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
  /**
   * The step queue, given the step it runs: BullMQ in distributed mode. Default: the in-process
   * Poller, with the concurrency and rate above.
   */
  stepQueue?: (step: Step) => StepQueue;
  /**
   * Several processes share the store (distributed mode): admission and queued starts are the
   * store's atomic operations, not this process's memory, and a step never writes over a job
   * another process has finished.
   */
  shared?: boolean;
  /** Counts provider calls, finished jobs and step lateness (prom-client in distributed mode). */
  metrics?: Pick<Metrics, 'jobFinished' | 'providerRequest' | 'stepLateness'>;
}

/** New jobs admitted and recorded (with their queue positions), or the queue was full. */
export type { NewJob } from './new-job.js';
export { newJobId } from './new-job.js';

/** New jobs admitted and recorded (with their queue positions), or the queue was full. */
export type CreatedJobs = { ok: true; jobs: Job[]; positions: (number | undefined)[] } | { ok: false; queued: number };

/** What became of a callback: applied, not for this job (any more), or to be sent again later. */
export type CallbackOutcome = 'applied' | 'ignored' | 'retry_later';

/** How long a callback waits for the job's running step (its submit, say) before asking to be sent again. */
const CALLBACK_WAIT_MS = 10_000;

/**
 * The job lifecycle: admission and queueing, launching, resuming after a restart, and the
 * per-job lock under which each step runs (job-steps.ts talks to the provider). State lives in the
 * store. One writer per job: every step of a job (a submit returning, a poll, a callback) runs
 * under that job's lock, reads the record fresh, and writes back only the lifecycle fields it owns.
 */
export class JobService {
  private readonly active = new ActiveJobs();
  private readonly plan: PollPlan;
  readonly poller: StepQueue;
  private readonly now: () => number;
  /** One step at a time per job. */
  private readonly steps = new KeyedLock();
  /** One admission at a time per member, so two quick commands cannot both take the last slot. */
  private readonly admissions = new KeyedLock();
  private readonly requests = new KeyedLock();
  /** Each step of one job: submit, poll, apply an update, retry or fail, release. */
  private readonly runner: JobSteps;

  constructor(private readonly options: JobServiceOptions) {
    this.now = options.now ?? Date.now;
    this.plan = new PollPlan({
      now: this.now,
      random: options.random ?? Math.random,
      timeScale: options.timeScale ?? 1,
      hasCallbackUrl: (job) => Boolean(options.callbackUrl?.(job)),
    });
    const step: Step = (jobId) => this.step(jobId);
    this.poller = options.stepQueue
      ? options.stepQueue(step)
      : new Poller(step, {
          logger: options.logger,
          now: this.now,
          maxConcurrent: options.maxConcurrentRequests,
          ratePerSecond: options.providerRatePerSecond,
          ...(options.yieldWhile ? { yieldWhile: options.yieldWhile } : {}),
        });
    this.runner = new JobSteps({
      options,
      active: this.active,
      plan: this.plan,
      poller: this.poller,
      now: this.now,
      startQueued: (guildId, userId) => this.startQueued(guildId, userId),
    });
  }

  get durations(): PollPlan['durations'] {
    return this.plan.durations;
  }

  adapter(provider: ProviderId): ProviderAdapter {
    return this.runner.adapter(provider);
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
    if (this.options.shared) return this.createShared(inputs, limits);
    return this.admissions.run(`${first.guildId}:${first.userId}`, async (): Promise<CreatedJobs> => {
      const admission = this.active.admit(first.guildId, first.userId, inputs.length, limits);
      if (!admission.ok) return { ok: false, queued: admission.queued };
      const startNow = inputs.length - admission.queued;
      const jobs = inputs.map((input) => newJobRecord(input, this.now()));
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

  /** Admission by the store, atomic across processes: the jobs it gave a slot start on launch. */
  private async createShared(inputs: readonly NewJob[], limits: Limits): Promise<CreatedJobs> {
    const records = inputs.map((input) => newJobRecord(input, this.now()));
    const admission = await this.options.stores.jobs.admit(records, limits, this.now());
    if (!admission.ok) return { ok: false, queued: admission.queued };
    const first = records[0]!;
    // The member's open jobs, whichever process admitted them, give queue positions here.
    const open = await this.options.stores.jobs.openOf(first.guildId, first.userId);
    for (const job of open) {
      this.active.track(job);
      if (job.slotAt !== undefined) this.active.reserve(job.id);
    }
    const stored = new Map(open.map((job) => [job.id, job]));
    const jobs = records.map((record) => stored.get(record.id) ?? record);
    void Promise.all(jobs.map((job) => this.options.stores.jobs.remember(job))).catch((error: unknown) =>
      this.options.logger.warn({ err: error }, 'could not add jobs to the recent list'),
    );
    return { ok: true, jobs, positions: jobs.map((job) => this.queuePosition(job.id)) };
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

  /** Records the message that shows a job (before the job starts, so no step writes it). */
  async attachMessage(job: Job, messageId: string): Promise<void> {
    job.messageId = messageId;
    const attached = await this.steps.run(job.id, () =>
      this.options.stores.jobs.update(job.id, (current) => current && { ...current, messageId }),
    );
    // A step that ran before the message was known could not show its change (a submit the provider
    // took at once): the message still says "Waiting to start". The next poll would catch up, but a
    // provider that calls back may send nothing more until the result.
    if (attached?.state === 'running') this.options.onChange(attached, 'progress');
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
    if (this.options.shared) return this.startQueuedShared(guildId, userId, concurrency);
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

  /** The store gives free slots to the oldest queued jobs, whichever process finished the last one. */
  private async startQueuedShared(guildId: string, userId: string, concurrency: number): Promise<void> {
    const claimed = await this.options.stores.jobs.claimSlots(guildId, userId, concurrency, this.now());
    for (const job of claimed) {
      this.active.track(job);
      this.active.reserve(job.id);
      this.poller.schedule(job.id, job.provider, this.now());
    }
    if (claimed.length === 0) return;
    for (const job of await this.options.stores.jobs.openOf(guildId, userId)) {
      this.active.track(job);
      if (job.slotAt === undefined) this.options.onChange(job, 'progress');
    }
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
            this.runner.finish(job, {
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
    await this.poller.stop();
  }

  /**
   * Applies an update that arrived by callback, as one more step of the job: it waits for a step
   * in flight (a submit still returning, say) and then reads the record fresh. A callback for a
   * task this job has not recorded yet is not applied: the provider sends it again later.
   * Repeats and late arrivals are harmless.
   */
  async applyCallback(jobId: string, update: TaskUpdate): Promise<CallbackOutcome> {
    try {
      return await this.steps.run(jobId, () => this.runner.applyCallback(jobId, update), {
        signal: AbortSignal.timeout(CALLBACK_WAIT_MS),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') return 'retry_later';
      throw error;
    }
  }
  /**
   * Cancels a queued or running job, as one more step under its lock (a step in flight finishes
   * first). Its slot goes to the member's next queued job, and those still waiting move up.
   * Undefined when the job had already ended.
   */
  async cancel(jobId: string): Promise<{ job: Job; wasQueued: boolean } | undefined> {
    const cancelled = await this.steps.run(jobId, () => this.runner.cancel(jobId));
    if (!cancelled) return undefined;
    const { guildId, userId } = cancelled.job;
    await this.startQueued(guildId, userId);
    // startQueued shows new positions only when something started; a queued job leaving moves them too.
    const waiting = this.options.shared
      ? (await this.options.stores.jobs.openOf(guildId, userId)).filter((job) => job.slotAt === undefined)
      : await this.options.stores.jobs.getMany(this.active.queued(guildId, userId).map((entry) => entry.id));
    for (const job of waiting) this.options.onChange(job, 'progress');
    return cancelled;
  }

  /** The poller's callback: submit a job that is due to start, or ask about a running one. */
  private step(jobId: string): Promise<void> {
    return this.steps.run(jobId, () => this.runner.step(jobId));
  }
}
