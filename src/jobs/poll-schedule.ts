/**
 * When to ask a provider about a running job. Pure: the poller supplies the facts.
 *
 * The idea: a job cannot finish before the fastest jobs like it did, so asking earlier is waste;
 * inside the window where jobs like it usually finish, ask often enough that the delay after the
 * provider finishes stays small; past it, back off. Percent progress, where a provider reports
 * it, predicts the finish directly.
 */
export interface PollFacts {
  now: number;
  /** When the provider accepted the task. */
  startedAt: number;
  /**
   * Where jobs like this one usually finish (ms after start): learned, or from the provider's
   * documented timing. `firstPoll`, once learned, is when to ask first (see DurationModel).
   */
  expected: { low: number; high: number; earliest?: number; firstPoll?: number };
  /** Status queries already made for this job. */
  polls?: number;
  /** Percent progress last reported, if the provider reports it. */
  progress?: number;
  /** The provider's recommended interval, a ceiling on how long we wait inside the window. */
  recommendedIntervalMs?: number;
  /** A random number in [0, 1) for jitter (injected so tests are deterministic). */
  random: number;
  /** Shortest gap between queries. Default 1 s. */
  minIntervalMs?: number;
}

export const MIN_INTERVAL_MS = 1_000;
const MAX_OVERDUE_INTERVAL_MS = 30_000;

/** Spreads polls within a window of uncertain finish times: the wider the window, the wider the gaps. */
export function windowInterval(
  expected: PollFacts['expected'],
  recommended: number | undefined,
  minInterval: number,
): number {
  const spread = Math.max(0, expected.high - expected.low);
  const scale = minInterval / MIN_INTERVAL_MS;
  const interval = Math.min(Math.max(spread / 5, 1_500 * scale), 10_000 * scale);
  return recommended ? Math.min(interval, recommended) : interval;
}

/**
 * When to ask first: where the model learned to (a point the share of jobs it steers for are done
 * by, see firstPollDoneShare), but never more than an interval before the earliest usual finish
 * (jobs that all take about the same time get there at once, not a small step per job); before
 * that, one interval after the earliest finish (the least the fastest jobs can have taken, once
 * learned), where the fastest jobs are no later than the rest.
 */
export function firstPollAt(
  expected: PollFacts['expected'],
  recommended: number | undefined,
  minInterval = MIN_INTERVAL_MS,
): number {
  const interval = windowInterval(expected, recommended, minInterval);
  return expected.firstPoll === undefined
    ? (expected.earliest ?? expected.low) + interval
    : Math.max(expected.firstPoll, expected.low - interval);
}

/**
 * Whether a job should wait for the first-query point. A job not asked yet does. One already asked
 * (before a restart, or on the documented timing before durations were learned) does only while
 * it is more than an interval before the earliest usual finish: inside the window the usual
 * interval applies, but before it every query would ask about a job that cannot be done.
 */
function beforeFirstPoll(facts: PollFacts, elapsed: number, minInterval: number): boolean {
  const first = firstPollAt(facts.expected, facts.recommendedIntervalMs, minInterval);
  if ((facts.polls ?? 0) === 0) return elapsed < first;
  const interval = windowInterval(facts.expected, facts.recommendedIntervalMs, minInterval);
  return elapsed < Math.min(first, facts.expected.low - interval);
}

/** Milliseconds from now until the next status query. */
export function nextPollDelay(facts: PollFacts): number {
  const elapsed = facts.now - facts.startedAt;
  const minInterval = facts.minIntervalMs ?? MIN_INTERVAL_MS;
  let delay: number;
  if (facts.progress !== undefined && facts.progress > 0 && facts.progress < 100) {
    // Progress predicts the remaining time; ask a little before the predicted finish.
    const remaining = (elapsed * (100 - facts.progress)) / facts.progress;
    delay = Math.min(
      Math.max(remaining * 0.7, minInterval),
      windowInterval(facts.expected, facts.recommendedIntervalMs, minInterval) * 2,
    );
  } else if (beforeFirstPoll(facts, elapsed, minInterval)) {
    delay = firstPollAt(facts.expected, facts.recommendedIntervalMs, minInterval) - elapsed;
  } else if (elapsed <= facts.expected.high) {
    delay = windowInterval(facts.expected, facts.recommendedIntervalMs, minInterval);
  } else {
    // Overdue: the longer it runs, the less often we ask.
    delay = Math.min(
      Math.max((elapsed - facts.expected.high) / 4, windowInterval(facts.expected, undefined, minInterval)),
      MAX_OVERDUE_INTERVAL_MS * (minInterval / MIN_INTERVAL_MS),
    );
  }
  // Jitter keeps many jobs started together from polling in lockstep. It is ±10% of the polling
  // interval, not of the whole wait: ±10% of a 30-second first wait would ask up to 3 s too early
  // (wasted) or too late (delay).
  const spread = 0.1 * Math.min(delay, windowInterval(facts.expected, facts.recommendedIntervalMs, minInterval));
  const jittered = delay + (2 * facts.random - 1) * spread;
  return Math.max(minInterval, Math.round(jittered));
}

/** After this long a job is declared stuck and failed with a clear message. */
export function pollDeadline(expected: PollFacts['expected'], timeScale = 1): number {
  return Math.max(expected.high * 4, 10 * 60_000 * timeScale);
}
