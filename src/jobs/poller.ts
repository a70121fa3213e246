import type { Logger } from '../logger.js';
import { stepRetryDelay, type StepQueue } from './step-queue.js';

export interface PollerOptions {
  /** Most provider requests in flight at once, across all providers. */
  maxConcurrent?: number;
  /** Requests per second per provider (a token bucket with a one-second burst). */
  ratePerSecond?: number;
  /** While true, no step starts (Discord interactions are waiting for their first response). */
  yieldWhile?: () => boolean;
  now?: () => number;
  logger: Logger;
}

/** How long to wait before looking again while the poller yields. */
const YIELD_RECHECK_MS = 10;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Runs each job's next step (submit or status query) when it is due: one timer for the earliest
 * due job, a bound on concurrent provider requests, and a per-provider rate limit. One job's
 * failure never stops the loop, and never drops the job: a step that throws runs again later.
 * The single-machine StepQueue.
 */
export class Poller implements StepQueue {
  private readonly due = new Map<string, { at: number; provider: string }>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly running = new Set<string>();
  /** Consecutive failures of a job's step, for its retry delay. */
  private readonly failures = new Map<string, number>();
  private readonly idleWaiters = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private stopped = false;
  private paused = false;
  private readonly maxConcurrent: number;
  private readonly ratePerSecond: number;
  private readonly now: () => number;

  constructor(
    private readonly step: (jobId: string) => Promise<void>,
    private readonly options: PollerOptions,
  ) {
    this.maxConcurrent = options.maxConcurrent ?? 16;
    this.ratePerSecond = options.ratePerSecond ?? 10;
    this.now = options.now ?? Date.now;
  }

  /** Runs the job's next step at `at` (replacing any earlier plan for it). */
  schedule(jobId: string, provider: string, at: number): void {
    if (this.stopped) return;
    this.due.set(jobId, { at, provider });
    this.arm(at);
  }

  cancel(jobId: string): void {
    this.due.delete(jobId);
  }

  get size(): number {
    return this.due.size;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.due.clear();
  }

  /**
   * Starts no more steps, and resolves once the steps in flight have finished, or after
   * `graceMs`. For shutdown: a submit cut off mid-flight would be sent again after the restart.
   */
  async pause(graceMs: number): Promise<void> {
    this.paused = true;
    clearTimeout(this.timer);
    this.timerAt = Infinity;
    if (this.running.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, graceMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.idleWaiters.add(done);
    });
  }

  /** Whether a step for this job is running now. */
  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  private arm(at: number): void {
    if (at >= this.timerAt || this.paused) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - this.now()));
  }

  private takeToken(provider: string, now: number): boolean {
    const bucket = this.buckets.get(provider) ?? { tokens: this.ratePerSecond, updatedAt: now };
    bucket.tokens = Math.min(
      this.ratePerSecond,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond,
    );
    bucket.updatedAt = now;
    this.buckets.set(provider, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private tick(): void {
    this.timerAt = Infinity;
    if (this.stopped || this.paused) return;
    const now = this.now();
    if (this.due.size > 0 && this.options.yieldWhile?.()) {
      this.arm(now + YIELD_RECHECK_MS);
      return;
    }
    const ready = [...this.due].filter(([, plan]) => plan.at <= now).sort((a, b) => a[1].at - b[1].at);
    let next = Infinity;
    for (const [jobId, plan] of ready) {
      if (this.running.size >= this.maxConcurrent) break;
      if (this.running.has(jobId) || !this.takeToken(plan.provider, now)) {
        next = Math.min(next, now + 1000 / this.ratePerSecond);
        continue;
      }
      this.due.delete(jobId);
      this.running.add(jobId);
      void this.step(jobId)
        .then(
          () => this.failures.delete(jobId),
          (error: unknown) => {
            const failures = (this.failures.get(jobId) ?? 0) + 1;
            this.failures.set(jobId, failures);
            const retryInMs = stepRetryDelay(failures);
            this.options.logger.error(
              { err: error, jobId, failures, retryInMs },
              'job step failed; it runs again later',
            );
            // Unless the step planned its own next run before it failed.
            if (!this.due.has(jobId)) this.schedule(jobId, plan.provider, this.now() + retryInMs);
          },
        )
        .finally(() => {
          this.running.delete(jobId);
          if (this.running.size === 0) {
            for (const resolve of this.idleWaiters) resolve();
            this.idleWaiters.clear();
          }
          // A freed slot may let a waiting job go.
          if (this.due.size > 0) this.arm(this.now());
        });
    }
    for (const plan of this.due.values()) next = Math.min(next, plan.at);
    if (next < Infinity && this.running.size < this.maxConcurrent) this.arm(Math.max(next, now + 10));
  }
}
