import { randomBytes } from 'node:crypto';
import type { ProviderId } from '../config.js';
import { failpoint } from '../failpoints.js';
import type { Logger } from '../logger.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderAdapter, TaskUpdate } from '../providers/types.js';
import { isStoreUnavailable } from '../store/errors.js';
import type { ActiveJobs } from './active-jobs.js';
import { isFinished, withLifecycle, type Job } from './job.js';
import type { PollPlan } from './poll-plan.js';
import type { StepQueue } from './step-queue.js';
import { submitRequest } from './requests.js';
import type { CallbackOutcome, JobServiceOptions } from './service.js';
import { foldRunning, foldSuccess, UNFINISHED } from './task-update.js';

/** What the steps share with the service that schedules them. */
export interface JobStepsHost {
  options: JobServiceOptions;
  active: ActiveJobs;
  plan: PollPlan;
  poller: StepQueue;
  now: () => number;
  /** Starts this member's queued jobs that a finished one has made room for. */
  startQueued(guildId: string, userId: string): Promise<void>;
}

/**
 * One job's steps against its provider: submit, poll, apply an update (polled or called back),
 * retry or fail, and release. Each runs under the job's lock, which the service holds; it reads
 * the record fresh and writes back only the lifecycle fields it owns.
 */
export class JobSteps {
  /**
   * Tasks a provider accepted whose id is not in the store yet (its write failed): a retried step
   * uses the task it has rather than submitting again.
   */
  private readonly accepted = new Map<string, TaskUpdate>();

  constructor(private readonly host: JobStepsHost) {}

  adapter(provider: ProviderId): ProviderAdapter {
    const adapter = this.host.options.adapters.get(provider);
    if (!adapter)
      throw new ProviderError('unsupported', `provider ${provider} is not configured`, {
        userMessage: 'This server’s image provider is no longer configured. An admin can pick another with /settings.',
      });
    return adapter;
  }

  /** A callback's update, applied as one step of the job (the caller holds its lock). */
  async applyCallback(jobId: string, update: TaskUpdate): Promise<CallbackOutcome> {
    const job = await this.host.options.stores.jobs.get(jobId);
    if (!job || isFinished(job)) return 'ignored';
    if (!job.taskId) return 'retry_later';
    if (job.taskId !== update.taskId) return 'ignored';
    job.callbackSeen = true;
    if (update.state === 'failed' && update.failure?.code === 'unknown') {
      // Some failure callbacks carry no reason (Kie's "Image generation failed"); the status query does.
      if (!(await this.commit(job))) return 'ignored';
      this.host.poller.schedule(job.id, job.provider, this.host.now());
      return 'applied';
    }
    await this.apply(job, update);
    return 'applied';
  }

  /**
   * Writes the job's lifecycle fields over the stored record, and follows its state in memory.
   * False when the write did not hold: in distributed mode, another process finished the job.
   */
  private async commit(job: Job): Promise<boolean> {
    const shared = this.host.options.shared === true;
    let lost = false;
    const stored = await this.host.options.stores.jobs.update(job.id, (current) => {
      lost = false;
      if (!current) return current;
      // Another process finished this job (a callback it received, the same one twice): this
      // step's copy is older, and only one writer may finish a job. The versioned write makes
      // the check exact: a concurrent finish makes this change run again on the finished record.
      if (shared && isFinished(current)) {
        lost = true;
        return current;
      }
      return withLifecycle(current, job);
    });
    if (lost && stored) Object.assign(job, stored);
    this.host.active.track(job);
    return !lost;
  }

  /** Submits a job that is due to start, or asks about a running one (the caller holds its lock). */
  async step(jobId: string): Promise<void> {
    const job = await this.host.options.stores.jobs.get(jobId);
    if (!job) {
      this.host.active.forget(jobId);
      return;
    }
    if (isFinished(job)) {
      // A step that failed after the job finished (its store write of the next queued job, say)
      // runs again here: finish what release would have done.
      this.host.active.forget(jobId);
      if (job.publishSeq > job.publishedSeq) this.host.options.onChange(job, 'final');
      await this.host.startQueued(job.guildId, job.userId);
      return;
    }
    if (job.state === 'queued' || job.state === 'submitting') await this.submit(job);
    else {
      if (job.nextPollAt !== undefined)
        this.host.options.metrics?.stepLateness(job.provider, (this.host.now() - job.nextPollAt) / 1000);
      await this.poll(job);
    }
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.host.options.requestTimeoutMs ?? 60_000);
  }

  private logger(job: Job): Logger {
    return this.host.options.logger.child({ jobId: job.id, provider: job.provider, guildId: job.guildId });
  }

  private async submit(job: Job): Promise<void> {
    job.state = 'submitting';
    job.callbackSecret ??= randomBytes(16).toString('hex');
    if (!(await this.commit(job))) return;
    const logger = this.logger(job);
    const { failpoints } = this.host.options;
    try {
      const adapter = this.adapter(job.provider);
      const callbackUrl = adapter.capabilities.callbacks ? this.host.options.callbackUrl?.(job) : undefined;
      const { regionMaskUrl } = this.host.options;
      const request = await submitRequest(job, {
        getJob: (id) => this.host.options.stores.jobs.get(id),
        loadImage: (image) => this.host.options.loadImage(image, this.signal()),
      });
      let update = this.accepted.get(job.id);
      if (!update) {
        await failpoint(failpoints, 'job.before-submit', logger);
        update = await this.measured(job.provider, 'submit', () =>
          adapter.submit(request, {
            signal: this.signal(),
            callbackUrl,
            logger,
            ...(job.translate === undefined ? {} : { translate: job.translate }),
            ...(regionMaskUrl && job.followUp?.action === 'region'
              ? { regionMaskUrl: (size: { width: number; height: number }) => regionMaskUrl(job, size) }
              : {}),
            ...(job.hdVideo ? { hdVideo: true } : {}),
          }),
        );
        this.accepted.set(job.id, update);
      }
      const acceptedAt = performance.now();
      await failpoint(failpoints, 'job.after-accept', logger);
      job.taskId = update.taskId;
      job.submittedAt ??= this.host.now();
      job.state = 'running';
      job.attempts = 0;
      // The task id first, before anything else: until it is recorded, a crash sends the submit
      // again (no provider here takes an idempotency key), so this window is kept to one write.
      const recorded = await this.commit(job);
      this.accepted.delete(job.id);
      if (!recorded) return;
      logger.info(
        {
          taskId: update.taskId,
          callback: Boolean(callbackUrl),
          recordedInMs: Math.round((performance.now() - acceptedAt) * 100) / 100,
        },
        'job submitted',
      );
      // Just accepted: the message moves from "Waiting to start" to running, whatever the update says.
      await this.apply(job, update, { started: true });
    } catch (error) {
      await this.failOrRetry(job, error, logger);
    }
  }

  private async poll(job: Job): Promise<void> {
    const logger = this.logger(job);
    const adapter = this.adapter(job.provider);
    if (this.host.plan.overdue(job, adapter)) {
      await this.finish(job, {
        code: 'transient',
        userMessage:
          'This job took far longer than the image service usually needs, so it was stopped. Please try again.',
      });
      return;
    }
    try {
      job.polls += 1;
      const askedAt = this.host.now();
      const update = await this.measured(job.provider, 'status', () =>
        adapter.status(job.taskId ?? '', { signal: this.signal(), logger }),
      );
      job.attempts = 0;
      this.host.plan.learnFromPoll(job, adapter, update.state, askedAt);
      await this.apply(job, update);
    } catch (error) {
      await this.failOrRetry(job, error, logger);
    }
  }

  /** Runs a provider call, counting it by outcome when metrics are on. */
  private async measured<T>(provider: ProviderId, kind: 'submit' | 'status', call: () => Promise<T>): Promise<T> {
    const metrics = this.host.options.metrics;
    if (!metrics) return call();
    const started = performance.now();
    try {
      const result = await call();
      metrics.providerRequest(provider, kind, 'ok', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const outcome = error instanceof ProviderError && error.code === 'rate_limited' ? 'rate_limited' : 'error';
      metrics.providerRequest(provider, kind, outcome, (performance.now() - started) / 1000);
      throw error;
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
      job.nextPollAt = this.host.now() + this.host.plan.backoff(job.attempts, failure.retryAfterMs);
      if (!(await this.commit(job))) return;
      this.host.poller.schedule(job.id, job.provider, job.nextPollAt);
      return;
    }
    await this.finish(job, failure.toJSON());
  }

  /** Folds a provider update into the job, saves it, and tells the publisher. */
  private async apply(job: Job, update: TaskUpdate, { started = false } = {}): Promise<void> {
    if (isFinished(job)) return;
    if (update.state === 'succeeded') {
      await foldSuccess(job, update, this.host.options.stores.blobs, this.host.now());
      this.host.plan.learnFromFinish(job, this.adapter(job.provider));
      await this.release(job);
      return;
    }
    if (update.state === 'failed') {
      await this.finish(job, update.failure ?? UNFINISHED);
      return;
    }
    // The provider's own status word, kept for the log; messages show its stage (providers/stages.ts).
    if (update.statusText !== job.statusText)
      this.logger(job).debug({ statusText: update.statusText }, 'provider status');
    const changed = foldRunning(job, update, this.host.now()) || started;
    job.nextPollAt = this.host.plan.nextPollAt(job, this.adapter(job.provider));
    if (!(await this.commit(job))) return;
    this.host.poller.schedule(job.id, job.provider, job.nextPollAt);
    if (changed) this.host.options.onChange(job, 'progress');
  }

  /**
   * Its owner's ❌ (the caller holds the job's lock): the job ends as `cancelled`, with a durable
   * "publish me" like any end, and its slot goes to the next queued job. No provider here documents
   * stopping a task, so a running one runs on there; its result and callbacks find the job finished
   * and are ignored. Undefined when the job had already ended.
   */
  async cancel(jobId: string): Promise<{ job: Job; wasQueued: boolean } | undefined> {
    let before: Job | undefined;
    const stored = await this.host.options.stores.jobs.update(jobId, (current) => {
      before = current;
      if (!current || isFinished(current)) return current;
      // A write of its own, not the lifecycle copy: in distributed mode a step of another process
      // that comes after it sees a finished record and does not write over it.
      return { ...current, state: 'cancelled', finishedAt: this.host.now(), publishSeq: current.publishSeq + 1 };
    });
    if (!stored || !before || isFinished(before)) return undefined;
    this.host.poller.cancel(jobId);
    this.host.active.forget(jobId);
    this.host.options.onChange(stored, 'final');
    // Queued (no slot yet, or a slot reserved and not yet submitted): nothing reached the provider.
    const wasQueued = before.state === 'queued' || (before.state === 'submitting' && !before.taskId);
    return { job: stored, wasQueued };
  }

  async finish(job: Job, failure: NonNullable<Job['failure']>): Promise<void> {
    job.state = 'failed';
    job.failure = failure;
    job.finishedAt = this.host.now();
    await this.release(job);
  }

  /**
   * Records the end of a job with a durable "publish me", then frees its slot. A crash after the
   * write leaves the job in the open index, finished and unpublished: the next start publishes it.
   */
  private async release(job: Job): Promise<void> {
    this.host.poller.cancel(job.id);
    job.publishSeq += 1;
    if (!(await this.commit(job))) return;
    if (isFinished(job))
      this.host.options.metrics?.jobFinished(job.provider, job.state as 'succeeded' | 'failed', job.failure?.code);
    await failpoint(this.host.options.failpoints, 'job.after-finish', this.logger(job));
    this.host.options.onChange(job, 'final');
    await this.host.startQueued(job.guildId, job.userId);
  }
}
