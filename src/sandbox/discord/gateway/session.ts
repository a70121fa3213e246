import { WebSocket } from 'ws';
import { shardOf } from '../snowflake.js';

export interface DispatchFrame {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

/**
 * One gateway session: its shard, intents, sequence and a buffer of recent dispatches. The session
 * outlives its socket so that a RESUME can replay what the client missed (gateway.mdx, "Resuming").
 */
export class GatewaySession {
  seq = 0;
  socket: WebSocket | null = null;
  readonly #buffer: DispatchFrame[] = [];

  constructor(
    readonly id: string,
    readonly shard: readonly [number, number],
    readonly intents: number,
    private readonly capacity = 1000,
  ) {}

  /** Whether this session's shard owns the guild: `(guild_id >> 22) % shard_count == shard_id`. */
  owns(guildId: string): boolean {
    return shardOf(guildId, this.shard[1]) === this.shard[0];
  }

  /** Numbers the event, keeps it for replay, and sends it if a socket is attached. */
  dispatch(type: string, data: unknown, buffered = true): void {
    this.seq += 1;
    const frame: DispatchFrame = { op: 0, t: type, s: this.seq, d: data };
    if (buffered) {
      this.#buffer.push(frame);
      if (this.#buffer.length > this.capacity) this.#buffer.shift();
    }
    this.send(frame);
  }

  replayAfter(seq: number): DispatchFrame[] {
    return this.#buffer.filter((frame) => frame.s > seq);
  }

  send(payload: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(payload));
  }
}
