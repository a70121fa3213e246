import type { Logger } from '../logger.js';
import { MinHeap } from './min-heap.js';
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

/** A job's planned step. `seq` tells the current plan from older ones still in a heap. */
interface Plan {
  jobId: string;
  provider: string;
  at: number;
  seq: number;
}

const earlier = (a: Plan, b: Plan) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * Runs each job's next step (submit or status query) when it is due: one timer for the earliest
 * due job, a bound on concurrent provider requests, and a per-provider rate limit. One job's
 * failure never stops the loop, and never drops the job: a step that throws runs again later.
 * The single-machine StepQueue.
 *
 * Plans wait in one min-heap per provider, so a tick costs the steps it starts (log n each), not
 * a scan of every job in flight: with 10,000 jobs a tick after every step would otherwise sort
 * them all. A replaced or cancelled plan stays in its heap until it reaches the top, where its
 * stale `seq` drops it.
 */
export class Poller implements StepQueue {
  private readonly due = new Map<string, Plan>();
  private readonly heaps = new Map<string, MinHeap<Plan>>();
  private seq = 0;
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
    const plan = { jobId, provider, at, seq: this.seq++ };
    this.due.set(jobId, plan);
    let heap = this.heaps.get(provider);
    if (!heap) this.heaps.set(provider, (heap = new MinHeap(earlier)));
    heap.push(plan);
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
    this.heaps.clear();
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

  /** The heap's earliest current plan, dropping the stale ones above it. */
  private top(heap: MinHeap<Plan>): Plan | undefined {
    for (let plan = heap.peek(); plan; plan = heap.peek()) {
      if (this.due.get(plan.jobId)?.seq === plan.seq) return plan;
      heap.pop();
    }
    return undefined;
  }

  private tick(): void {
    this.timerAt = Infinity;
    if (this.stopped || this.paused) return;
    const now = this.now();
    if (this.due.size > 0 && this.options.yieldWhile?.()) {
      this.arm(now + YIELD_RECHECK_MS);
      return;
    }
    let next = Infinity;
    const retryAt = now + 1000 / this.ratePerSecond;
    /** Providers out of tokens for this tick, and plans put back once the tick is done. */
    const throttled = new Set<string>();
    const putBack: Plan[] = [];
    while (this.running.size < this.maxConcurrent) {
      // The earliest due plan of any provider that still has tokens, as one queue would give it.
      let chosen: { heap: MinHeap<Plan>; plan: Plan } | undefined;
      for (const [provider, heap] of this.heaps) {
        if (throttled.has(provider)) continue;
        const plan = this.top(heap);
        if (plan && plan.at <= now && (!chosen || earlier(plan, chosen.plan))) chosen = { heap, plan };
      }
      if (!chosen) break;
      const { heap, plan } = chosen;
      heap.pop();
      if (this.running.has(plan.jobId)) {
        putBack.push(plan);
        next = Math.min(next, retryAt);
        continue;
      }
      if (!this.takeToken(plan.provider, now)) {
        throttled.add(plan.provider);
        putBack.push(plan);
        next = Math.min(next, retryAt);
        continue;
      }
      this.due.delete(plan.jobId);
      this.start(plan);
    }
    for (const plan of putBack) this.heaps.get(plan.provider)?.push(plan);
    for (const heap of this.heaps.values()) next = Math.min(next, this.top(heap)?.at ?? Infinity);
    if (next < Infinity && this.running.size < this.maxConcurrent) this.arm(Math.max(next, now + 10));
  }

  private start({ jobId, provider }: Plan): void {
    this.running.add(jobId);
    void this.step(jobId)
      .then(
        () => this.failures.delete(jobId),
        (error: unknown) => {
          const failures = (this.failures.get(jobId) ?? 0) + 1;
          this.failures.set(jobId, failures);
          const retryInMs = stepRetryDelay(failures);
          this.options.logger.error({ err: error, jobId, failures, retryInMs }, 'job step failed; it runs again later');
          // Unless the step planned its own next run before it failed.
          if (!this.due.has(jobId)) this.schedule(jobId, provider, this.now() + retryInMs);
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
}
