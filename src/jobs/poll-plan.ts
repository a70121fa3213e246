import type { ProviderAdapter } from '../providers/types.js';
import { DurationModel } from './durations.js';
import type { Job } from './job.js';
import { nextPollDelay, pollDeadline, windowInterval } from './poll-schedule.js';

export interface PollPlanOptions {
  now: () => number;
  random: () => number;
  /** How fast the providers' world runs compared with their documents (1 in production). */
  timeScale: number;
  /** Whether a callback URL would be given to this job's provider. */
  hasCallbackUrl: (job: Job) => boolean;
}

/**
 * When to ask a provider about each job: from the provider's documented timing until durations
 * are learned, then from what the jobs like it took. Decisions only; the poller runs them.
 */
export class PollPlan {
  readonly durations = new DurationModel();

  constructor(private readonly options: PollPlanOptions) {}

  /** Where jobs like this usually finish, in ms after the submit. */
  expected(job: Job, adapter: ProviderAdapter): { low: number; high: number; firstPoll?: number } {
    const learned = this.durations.estimate(job.provider, job.speed, job.action);
    if (learned) return learned;
    const typical = adapter.capabilities.timing.typicalSeconds[job.speed] * 1000 * this.options.timeScale;
    return { low: typical * 0.7, high: typical * 1.4 };
  }

  /** Whether the job has run so far past its usual finish that it should be given up. */
  overdue(job: Job, adapter: ProviderAdapter): boolean {
    return (
      this.options.now() - (job.submittedAt ?? job.createdAt) >
      pollDeadline(this.expected(job, adapter), this.options.timeScale)
    );
  }

  /** Whether a callback will report this job, so polling is only a safety net. */
  answeredByCallback(job: Job, adapter: ProviderAdapter): boolean {
    return (
      job.callbackSeen ||
      Boolean(adapter.capabilities.callbacks && job.callbackSecret && this.options.hasCallbackUrl(job))
    );
  }

  /** When to ask next about a running job. */
  nextPollAt(job: Job, adapter: ProviderAdapter): number {
    const now = this.options.now();
    const expected = this.expected(job, adapter);
    const startedAt = job.submittedAt ?? job.createdAt;
    if (this.answeredByCallback(job, adapter)) {
      // Callbacks will answer; one safety-net query if none has arrived well after the usual finish.
      return Math.max(startedAt + expected.high * 1.5, now + 5_000 * this.options.timeScale);
    }
    return (
      now +
      nextPollDelay({
        now,
        startedAt,
        expected,
        polls: job.polls,
        progress: job.progress,
        recommendedIntervalMs: this.recommendedInterval(adapter),
        random: this.options.random(),
        minIntervalMs: this.minPollInterval(),
      })
    );
  }

  /**
   * A status query's answer, as a lesson: only a first query the schedule placed says where to
   * place the next ones (not a callback's safety net, not a failure).
   */
  learnFromPoll(job: Job, adapter: ProviderAdapter, state: 'queued' | 'running' | 'succeeded' | 'failed'): void {
    if (job.polls !== 1 || !job.submittedAt || state === 'failed' || this.answeredByCallback(job, adapter)) return;
    // A third of the polling interval per observation: large enough to follow a change within a
    // few dozen jobs, small enough that the first query does not wander by more than about a second.
    const step =
      windowInterval(this.expected(job, adapter), this.recommendedInterval(adapter), this.minPollInterval()) / 3;
    this.durations.observeFirstPoll(
      job.provider,
      job.speed,
      job.action,
      this.options.now() - job.submittedAt,
      state === 'succeeded',
      step,
    );
  }

  /**
   * A job finished somewhere between the last "still running" and now: learn the middle of that
   * span, not the moment we noticed (which would teach the poller its own lateness).
   */
  learnFromFinish(job: Job): void {
    if (!job.submittedAt || !job.lastSeenRunningAt) return;
    this.durations.record(
      job.provider,
      job.speed,
      job.action,
      (job.lastSeenRunningAt + this.options.now()) / 2 - job.submittedAt,
    );
  }

  /** How long to wait after a retryable failure (the provider's Retry-After when it gave one). */
  backoff(attempts: number, retryAfterMs?: number): number {
    return retryAfterMs ?? Math.min(60_000, 2_000 * 2 ** attempts) * this.options.timeScale;
  }

  private recommendedInterval(adapter: ProviderAdapter): number | undefined {
    const seconds = adapter.capabilities.timing.recommendedPollSeconds;
    return seconds ? seconds * 1000 * this.options.timeScale : undefined;
  }

  private minPollInterval(): number {
    return Math.max(5, 1_000 * this.options.timeScale);
  }
}
