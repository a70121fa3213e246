import { WebSocket } from 'ws';

export interface GatewayFrame {
  op: number;
  t?: string | null;
  s?: number | null;
  d?: unknown;
}

/** A bare gateway connection: frames are queued so a test can read them in order. */
export class RawGateway {
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #frames: GatewayFrame[] = [];
  readonly #waiters: ((frame: GatewayFrame) => void)[] = [];

  constructor(url: string) {
    this.socket = new WebSocket(`${url}?v=10&encoding=json`);
    this.socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as GatewayFrame;
      const waiter = this.#waiters.shift();
      if (waiter) waiter(frame);
      else this.#frames.push(frame);
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  next(timeoutMs = 2_000): Promise<GatewayFrame> {
    const queued = this.#frames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no gateway frame arrived')), timeoutMs);
      this.#waiters.push((frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  /** Skips frames until one matches (e.g. a given dispatch type). */
  async until(predicate: (frame: GatewayFrame) => boolean, timeoutMs = 2_000): Promise<GatewayFrame> {
    for (;;) {
      const frame = await this.next(timeoutMs);
      if (predicate(frame)) return frame;
    }
  }

  send(op: number, d: unknown): void {
    this.socket.send(JSON.stringify({ op, d }));
  }

  async identify(token: string, options: { intents?: number; shard?: [number, number] } = {}): Promise<GatewayFrame> {
    await this.next();
    this.send(2, {
      token,
      intents: options.intents ?? 1,
      properties: { os: 'linux', browser: 'test', device: 'test' },
      ...(options.shard ? { shard: options.shard } : {}),
    });
    return this.until((frame) => frame.t === 'READY');
  }
}
