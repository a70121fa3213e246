/** The share of jobs that should already be done when first asked about. */
export const FIRST_POLL_DONE_SHARE = 0.25;

/**
 * Learns how long jobs take, per provider, speed and action, from the jobs that finished. The
 * poller asks for quantiles to decide when a job is worth asking about.
 *
 * A job that is already done at its first status query teaches no duration (it finished at some
 * point before), so durations are learned only from jobs seen running, and those are biased late.
 * Placing the first query from them would push it later and later. It is steered instead: each
 * first query that finds the job done moves it earlier, each that finds it running moves it later,
 * in proportions that settle where FIRST_POLL_DONE_SHARE of jobs are done (Robbins–Monro).
 */
export class DurationModel {
  private readonly samples = new Map<string, number[]>();
  private readonly firstPolls = new Map<string, number>();

  constructor(private readonly keep = 50) {}

  private static key(provider: string, speed: string, action: string): string {
    return `${provider}:${speed}:${action}`;
  }

  record(provider: string, speed: string, action: string, durationMs: number): void {
    if (!(durationMs > 0)) return;
    const key = DurationModel.key(provider, speed, action);
    const list = this.samples.get(key) ?? [];
    list.push(durationMs);
    if (list.length > this.keep) list.shift();
    this.samples.set(key, list);
  }

  /**
   * One job's first status query, `at` ms after its start, and whether the job was done. `step`
   * is how far one observation may move the first query (the polling interval suits).
   */
  observeFirstPoll(provider: string, speed: string, action: string, at: number, done: boolean, step: number): void {
    if (!(at > 0) || !(step > 0)) return;
    // From where this job was actually asked, which the schedule may have moved (see firstPollAt).
    const moved = done ? at - step * (1 - FIRST_POLL_DONE_SHARE) : at + step * FIRST_POLL_DONE_SHARE;
    this.firstPolls.set(DurationModel.key(provider, speed, action), Math.max(step, moved));
  }

  /** Low and high quantiles of recent durations, and the steered first query, once there are enough samples to trust. */
  estimate(
    provider: string,
    speed: string,
    action: string,
    minimumSamples = 5,
  ): { low: number; high: number; firstPoll?: number } | undefined {
    const key = DurationModel.key(provider, speed, action);
    const list = this.samples.get(key);
    if (!list || list.length < minimumSamples) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
    const firstPoll = this.firstPolls.get(key);
    return { low: at(0.05), high: at(0.95), ...(firstPoll !== undefined ? { firstPoll } : {}) };
  }
}
