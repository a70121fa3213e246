import type * as Bullmq from 'bullmq';
import type { Job as QueueJob, Queue, Worker } from 'bullmq';
import { KeyedLock } from '../../keyed-lock.js';
import type { Logger } from '../../logger.js';
import { stepRetryDelay, type Step, type StepQueue } from '../step-queue.js';

export interface BullmqStepQueueOptions {
  redisUrl: string;
  /** The providers whose steps this process runs: one queue, one worker and one rate limit each. */
  providers: readonly string[];
  step: Step;
  logger: Logger;
  /** Namespaces the Redis keys (default `imagine`); tests give each run its own. */
  prefix?: string;
  /** Steps in flight at once in this process, per provider. */
  concurrency?: number;
  /** Provider requests per second, summed over every process (BullMQ's global limiter). */
  ratePerSecond?: number;
  /** Start running steps at once (default); false waits for start(), once the service is wired. */
  autorun?: boolean;
  /**
   * How long a step's lock lives without renewal: a process that dies mid-step loses its steps to
   * the others after about this long (BullMQ's stall check). Default 30 s.
   */
  lockDurationMs?: number;
}

/** Retries that never run out: a step that throws (its store was down) is the job's, not BullMQ's, to give up. */
const ATTEMPTS = Number.MAX_SAFE_INTEGER;

/** A step running in this process, and the plan it makes for the job's next one. */
interface Running {
  nextAt?: number;
  cancelled: boolean;
}

interface StepData {
  jobId: string;
}

/** `redis://user:pass@host:port/db` as ioredis options; BullMQ needs `maxRetriesPerRequest: null`. */
export function redisConnection(redisUrl: string) {
  const url = new URL(redisUrl);
  return {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 6379),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db: Number(url.pathname.slice(1) || 0),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * The distributed StepQueue: one BullMQ job per bot job (BullMQ's job id is the bot job's id), in
 * one queue per provider. A step that plans the next one moves its BullMQ job back to delayed
 * (`moveToDelayed` and `DelayedError`: docs.bullmq.io/patterns/process-step-jobs), so the job keeps
 * its place and its lock semantics from submit to finish. Only one process runs a job's step at a
 * time (BullMQ's job lock); one that dies mid-step loses it to another after the lock expires.
 * Delivery is at least once: steps re-read the record and write by version, so a repeat is harmless.
 */
export class BullmqStepQueue implements StepQueue {
  private readonly queues = new Map<string, Queue<StepData>>();
  private readonly workers: Worker<StepData>[] = [];
  private readonly running = new Map<string, Running>();
  /** Plans for one job are recorded one after another, in order. */
  private readonly plans = new KeyedLock();
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  private constructor(
    private readonly options: BullmqStepQueueOptions,
    private readonly bullmq: typeof Bullmq,
  ) {}

  /** Loads BullMQ (an optional dependency) and starts a worker per provider. */
  static async open(options: BullmqStepQueueOptions): Promise<BullmqStepQueue> {
    let bullmq: typeof Bullmq;
    try {
      bullmq = await import('bullmq');
    } catch {
      throw new Error('REDIS_URL needs the bullmq and ioredis packages: run `npm install bullmq ioredis`');
    }
    const queue = new BullmqStepQueue(options, bullmq);
    for (const provider of options.providers) queue.startWorker(provider);
    await Promise.all([...queue.queues.values()].map((each) => each.waitUntilReady()));
    await Promise.all(queue.workers.map((worker) => worker.waitUntilReady()));
    return queue;
  }

  /** Starts the workers of a queue opened with `autorun: false`. */
  start(): void {
    for (const worker of this.workers) {
      if (worker.isRunning()) continue;
      worker.run().catch((error: unknown) => this.options.logger.error({ err: error }, 'step worker stopped'));
    }
  }

  /** Whether Redis answers now (for /readyz). */
  async reachable(): Promise<boolean> {
    const queue = this.queues.values().next().value;
    if (!queue) return true;
    // With Redis down, commands wait for the reconnect (maxRetriesPerRequest: null): give it a second.
    const answered = queue.getJobCounts('waiting').then(
      () => true,
      () => false,
    );
    return Promise.race([answered, new Promise<boolean>((resolve) => setTimeout(resolve, 1_000, false).unref())]);
  }

  private queue(provider: string): Queue<StepData> {
    let queue = this.queues.get(provider);
    if (!queue) {
      queue = new this.bullmq.Queue<StepData>(`steps-${provider}`, {
        connection: redisConnection(this.options.redisUrl),
        prefix: this.options.prefix ?? 'imagine',
      });
      queue.on('error', (error) => this.options.logger.warn({ err: error, provider }, 'step queue error'));
      this.queues.set(provider, queue);
    }
    return queue;
  }

  private startWorker(provider: string): void {
    this.queue(provider);
    const lockDuration = this.options.lockDurationMs ?? 30_000;
    const worker = new this.bullmq.Worker<StepData>(`steps-${provider}`, (job, token) => this.process(job, token), {
      connection: redisConnection(this.options.redisUrl),
      prefix: this.options.prefix ?? 'imagine',
      concurrency: this.options.concurrency ?? 16,
      limiter: { max: this.options.ratePerSecond ?? 10, duration: 1_000 },
      lockDuration,
      stalledInterval: Math.min(30_000, lockDuration),
      // A step re-run after a crash is harmless (versioned writes); give up only on a loop.
      maxStalledCount: 100,
      settings: { backoffStrategy: (attemptsMade: number) => stepRetryDelay(attemptsMade) },
    });
    worker.on('error', (error) => this.options.logger.warn({ err: error, provider }, 'step worker error'));
    worker.on('failed', (job, error) =>
      this.options.logger.error(
        { err: error, jobId: job?.data.jobId, failures: job?.attemptsMade },
        'job step failed; it runs again later',
      ),
    );
    this.workers.push(worker);
  }

  private async process(job: QueueJob<StepData>, token: string | undefined): Promise<void> {
    const jobId = job.data.jobId;
    const running: Running = { cancelled: false };
    this.running.set(jobId, running);
    try {
      await this.options.step(jobId);
    } finally {
      this.running.delete(jobId);
    }
    if (running.nextAt === undefined || running.cancelled) return;
    // The step planned the next one: the same BullMQ job waits for it.
    await job.moveToDelayed(Math.max(Date.now(), running.nextAt), token);
    throw new this.bullmq.DelayedError();
  }

  schedule(jobId: string, provider: string, at: number): void {
    if (this.stopped) return;
    const running = this.running.get(jobId);
    if (running) {
      // Planned from inside its own step: applied when the step returns (see process()).
      running.nextAt = at;
      running.cancelled = false;
      return;
    }
    this.track(jobId, () => this.place(jobId, provider, at));
  }

  cancel(jobId: string): void {
    const running = this.running.get(jobId);
    if (running) {
      running.cancelled = true;
      return;
    }
    this.track(jobId, async () => {
      for (const queue of this.queues.values()) {
        const job = await queue.getJob(jobId);
        // A job locked by another process's step cannot be removed; that step plans its own next.
        if (job) await job.remove().catch(() => undefined);
      }
    });
  }

  /** Records a plan in Redis, whatever state the job's BullMQ job is in. */
  private async place(jobId: string, provider: string, at: number): Promise<void> {
    const queue = this.queue(provider);
    const delay = Math.max(0, at - Date.now());
    const existing = await queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'delayed') {
        if (delay === 0) await existing.promote();
        else await existing.changeDelay(delay);
        return;
      }
      // Waiting runs it soon; active means another process is running its step, which plans the next.
      if (state === 'waiting' || state === 'active' || state === 'prioritized') return;
      await existing.remove();
    }
    await queue.add(
      'step',
      { jobId },
      {
        jobId,
        delay,
        attempts: ATTEMPTS,
        backoff: { type: 'custom' },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  private track(jobId: string, work: () => Promise<void>): void {
    const done = this.plans
      .run(jobId, work)
      .catch((error: unknown) => this.options.logger.error({ err: error, jobId }, 'could not record a step plan'))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Resolves once every plan made so far is recorded in Redis (tests, and shutdown). */
  async flushed(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Jobs per state in each provider's queue (for /metrics). */
  async depth(): Promise<Record<string, Record<string, number>>> {
    const depth: Record<string, Record<string, number>> = {};
    for (const [provider, queue] of this.queues)
      depth[provider] = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return depth;
  }

  async pause(graceMs: number): Promise<void> {
    await this.flushed();
    // close() waits for the steps in flight; past the grace period, their locks simply expire.
    await Promise.race([
      Promise.all(this.workers.map((worker) => worker.close())),
      new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
    ]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((worker) => worker.close(true)));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** Removes every key of this queue's prefix (tests clean up after themselves). */
  async obliterate(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.obliterate({ force: true })));
  }

  /** Simulates a crash for tests: the workers stop without finishing or releasing their steps. */
  async crash(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((worker) => worker.close(true)));
  }
}
