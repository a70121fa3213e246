/**
 * Decides when each job's next step (its submit or its next status query) runs, and runs it,
 * within a bound on concurrent provider requests and a per-provider rate. Two implementations
 * with one contract (test/jobs/step-queue.contract.test.ts): the Poller, in this process, for one
 * machine; BullMQ on Redis for several processes, where the rate is shared and a dead process's
 * steps are taken over by the others.
 *
 * Plans are fire-and-forget: `schedule` and `cancel` never throw; a queue that cannot record a
 * plan logs it and tries again. A step that throws runs again later; one job's failure never stops
 * the others.
 */
export interface StepQueue {
  /** Runs the job's next step at `at` (ms since epoch), replacing any earlier plan for it. */
  schedule(jobId: string, provider: string, at: number): void;
  cancel(jobId: string): void;
  /** Starts no more steps, and resolves once those in flight have finished, or after `graceMs`. */
  pause(graceMs: number): Promise<void>;
  /** Drops the plans this process holds in memory and releases its connections. */
  stop(): void | Promise<void>;
}

/** What a queue runs: one step of one job. */
export type Step = (jobId: string) => Promise<void>;

/** A step that threw runs again after this, doubling up to a minute. */
export function stepRetryDelay(failures: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, failures - 1));
}
