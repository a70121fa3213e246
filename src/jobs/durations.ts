/** The share of jobs that should already be done when first asked about, unless the caller knows better. */
export const FIRST_POLL_DONE_SHARE = 0.25;
/**
 * Bounds on that share. Above 0.9 a first query placed too late would hardly ever move earlier
 * (only one job in ten moves it); below 0.1 it would take dozens of jobs to move later.
 */
const DONE_SHARE_RANGE = [0.1, 0.9] as const;

/**
 * The share of jobs the first query should find done. When jobs take about the same time (the
 * learned spread, of middles of spans up to an interval wide, is within two intervals), nearly
 * all: it asks at their finish, and one query is enough for most. Over a wider spread, half an
 * interval's worth of the earliest jobs (interval / 2 / spread): the fastest jobs then wait no
 * longer than the rest even when the point wanders by a step or two, which costs a query in
 * perhaps one job of ten.
 */
export function firstPollDoneShare(expected: { low: number; high: number }, interval: number): number {
  const spread = expected.high - expected.low;
  const share = spread <= 2 * interval ? 1 : interval / (2 * spread);
  return Math.min(DONE_SHARE_RANGE[1], Math.max(DONE_SHARE_RANGE[0], share));
}

/**
 * Learns how long jobs take, per provider, speed and action, from the jobs that finished. The
 * poller asks for quantiles to decide when a job is worth asking about.
 *
 * A job that is already done at its first status query teaches no duration (it finished at some
 * point before), so durations are learned only from jobs seen running, and those are biased late.
 * Placing the first query from them would push it later and later. It is steered instead: each
 * first query that finds the job done moves it earlier, each that finds it running moves it later,
 * in proportions that settle where a chosen share of jobs are done (Robbins–Monro).
 */
export class DurationModel {
  /** Per key: recent durations, and for each the earliest it could have been (the last "still running"). */
  private readonly samples = new Map<string, { duration: number; earliest: number }[]>();
  private readonly firstPolls = new Map<string, number>();

  constructor(private readonly keep = 50) {}

  private static key(provider: string, speed: string, action: string): string {
    return `${provider}:${speed}:${action}`;
  }

  /** A finished job's duration; `earliestMs` the least it can have been, when only a span is known. */
  record(provider: string, speed: string, action: string, durationMs: number, earliestMs = durationMs): void {
    if (!(durationMs > 0)) return;
    const key = DurationModel.key(provider, speed, action);
    const list = this.samples.get(key) ?? [];
    list.push({ duration: durationMs, earliest: Math.min(durationMs, earliestMs) });
    if (list.length > this.keep) list.shift();
    this.samples.set(key, list);
  }

  /**
   * One job's first status query, `at` ms after its start, and whether the job was done. `step`
   * is how far one observation may move the first query (the polling interval suits); `doneShare`
   * the share of jobs that should be done by it; `floor` the earliest the schedule would ask.
   */
  observeFirstPoll(
    provider: string,
    speed: string,
    action: string,
    at: number,
    done: boolean,
    step: number,
    doneShare = FIRST_POLL_DONE_SHARE,
    floor = 0,
  ): void {
    if (!(at > 0) || !(step > 0)) return;
    const key = DurationModel.key(provider, speed, action);
    // From the point learned so far, not from where this job was asked: that was where the point
    // stood when the job started, before the lessons of the jobs that were in flight with it.
    const from = this.firstPolls.get(key) ?? at;
    const moved = done ? from - step * (1 - doneShare) : from + step * doneShare;
    this.firstPolls.set(key, Math.max(step, floor, moved));
  }

  /**
   * Low and high quantiles of recent durations, and the steered first query, once there are
   * enough samples to trust. `earliest`, when it comes before `low`, is the same low quantile of
   * the least each duration can have been: where to start steering the first query, since the
   * middles of the spans place the fastest jobs late.
   */
  estimate(
    provider: string,
    speed: string,
    action: string,
    minimumSamples = 5,
  ): { low: number; high: number; earliest?: number; firstPoll?: number } | undefined {
    const key = DurationModel.key(provider, speed, action);
    const list = this.samples.get(key);
    if (!list || list.length < minimumSamples) return undefined;
    const quantile = (values: number[], q: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
    };
    const durations = list.map((sample) => sample.duration);
    const low = quantile(durations, 0.05);
    const earliest = quantile(
      list.map((sample) => sample.earliest),
      0.05,
    );
    const firstPoll = this.firstPolls.get(key);
    return {
      low,
      high: quantile(durations, 0.95),
      ...(earliest < low ? { earliest } : {}),
      ...(firstPoll !== undefined ? { firstPoll } : {}),
    };
  }
}
