import type { ProviderAdapter } from '../providers/types.js';
import { DurationModel, firstPollDoneShare } from './durations.js';
import type { Job } from './job.js';
import { firstPollAt, nextPollDelay, pollDeadline, windowInterval, type PollFacts } from './poll-schedule.js';

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
  expected(job: Job, adapter: ProviderAdapter): PollFacts['expected'] {
    return this.durations.estimate(job.provider, job.speed, job.action) ?? this.documented(job, adapter);
  }

  /** Where the provider's documented timing says jobs like this finish. */
  private documented(job: Job, adapter: ProviderAdapter): PollFacts['expected'] {
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
   * A status query's answer, as a lesson: only a first query the learned schedule placed says
   * where to place the next ones (not one placed by the documented timing before anything was
   * learned, nor one a restart or the rate limit moved, nor a callback's safety net, nor a failure).
   */
  learnFromPoll(
    job: Job,
    adapter: ProviderAdapter,
    state: 'queued' | 'running' | 'succeeded' | 'failed',
    askedAt: number,
  ): void {
    if (job.polls !== 1 || !job.submittedAt || state === 'failed' || this.answeredByCallback(job, adapter)) return;
    const learned = this.durations.estimate(job.provider, job.speed, job.action);
    if (!learned) return;
    const recommended = this.recommendedInterval(adapter);
    const interval = windowInterval(learned, recommended, this.minPollInterval());
    // When the query was sent, not when its answer came: the round trip would push the first query later each time.
    const at = askedAt - job.submittedAt;
    if (Math.abs(at - firstPollAt(learned, recommended, this.minPollInterval())) > interval) return;
    // A third of the polling interval per observation: large enough to follow a change within a
    // few dozen jobs, small enough that the first query does not wander by more than about a second.
    this.durations.observeFirstPoll(
      job.provider,
      job.speed,
      job.action,
      // The first lesson moves the point the schedule starts from, not this job's own moment.
      learned.firstPoll === undefined ? this.firstSteeredPoll(job, adapter, learned) : at,
      state === 'succeeded',
      interval / 3,
      firstPollDoneShare(learned, interval),
      learned.low - interval,
    );
  }

  /**
   * Where steering the first query starts, once durations are learned: where the learned window
   * puts it, or where the documented timing did if that was earlier. A few first jobs may all have
   * been slow; starting early costs a few queries, starting late would make the fastest jobs wait.
   */
  private firstSteeredPoll(job: Job, adapter: ProviderAdapter, learned: PollFacts['expected']): number {
    const recommended = this.recommendedInterval(adapter);
    return Math.min(
      firstPollAt(learned, recommended, this.minPollInterval()),
      firstPollAt(this.documented(job, adapter), recommended, this.minPollInterval()),
    );
  }

  /**
   * A job finished somewhere between the last "still running" and now: learn the middle of that
   * span, not the moment we noticed (which would teach the poller its own lateness).
   */
  learnFromFinish(job: Job, adapter: ProviderAdapter): void {
    if (!job.submittedAt || !job.lastSeenRunningAt) return;
    // A job last seen running well before the usual window (asked on the documented timing, then
    // not again until the learned first query) finished somewhere in a span much wider than the
    // interval: its middle would place it early and blur the window. Overdue jobs still teach.
    const expected = this.expected(job, adapter);
    const interval = windowInterval(expected, this.recommendedInterval(adapter), this.minPollInterval());
    const span = this.options.now() - job.lastSeenRunningAt;
    if (job.lastSeenRunningAt - job.submittedAt < expected.low - interval && span > 2 * interval) return;
    this.durations.record(
      job.provider,
      job.speed,
      job.action,
      (job.lastSeenRunningAt + this.options.now()) / 2 - job.submittedAt,
      job.lastSeenRunningAt - job.submittedAt,
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
