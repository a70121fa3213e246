import { Agent, request } from 'undici';
import type { SimClock } from './clock.js';

export interface CallbackDelivery {
  url: string;
  attempt: number;
  status: number | 'error';
  at: number;
}

/**
 * Posts callbacks as providers do: JSON, a per-attempt timeout, and retries after failures with
 * growing delays (in simulated time, so a time-scaled test need not wait 30 real seconds).
 */
export class CallbackSender {
  readonly deliveries: CallbackDelivery[] = [];
  // An agent of our own: never the process-wide one, which another undici may have installed.
  private readonly agent = new Agent({ keepAliveTimeout: 10_000 });
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly clock: SimClock,
    private readonly retryDelaysMs: number[],
    private readonly timeoutMs = 15_000,
  ) {}

  /** Sends `body` to `url`; on a non-2xx answer or an error, retries per the schedule. */
  send(url: string, body: unknown, attempt = 1): void {
    if (this.stopped) return;
    void this.deliver(url, body).then((status) => {
      this.deliveries.push({ url, attempt, status, at: Date.now() });
      const ok = typeof status === 'number' && status >= 200 && status < 300;
      const delay = this.retryDelaysMs[attempt - 1];
      if (ok || delay === undefined || this.stopped) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.send(url, body, attempt + 1);
      }, this.clock.toRealMs(delay));
      this.timers.add(timer);
    });
  }

  stop(): void {
    this.stopped = true;
    void this.agent.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async deliver(url: string, body: unknown): Promise<number | 'error'> {
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      await response.body.dump();
      return response.statusCode;
    } catch {
      return 'error';
    }
  }
}
