/**
 * Learns how long jobs take, per provider, speed and action, from the jobs that finished. The
 * poller asks for quantiles to decide when a job is worth asking about.
 */
export class DurationModel {
  private readonly samples = new Map<string, number[]>();

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

  /** Low and high quantiles of recent durations, once there are enough samples to trust. */
  estimate(provider: string, speed: string, action: string, minimumSamples = 5): { low: number; high: number } | undefined {
    const list = this.samples.get(DurationModel.key(provider, speed, action));
    if (!list || list.length < minimumSamples) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
    return { low: at(0.05), high: at(0.95) };
  }
}
