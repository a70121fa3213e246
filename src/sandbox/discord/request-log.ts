import type { SpecOutcome } from './spec/judge.js';

/** One REST request the bot made, as the control API reports it. */
export interface RecordedRequest {
  method: string;
  /** The route template, e.g. `/channels/:channel/messages`; `null` for unknown paths. */
  route: string | null;
  path: string;
  status: number;
  /** Emulator clock time (ms) when the request arrived. */
  at: number;
  /** Real time the emulator took to answer. */
  durationMs: number;
  rateLimited: boolean;
  /** For 429s: which limit refused the request, and how long the client was told to wait. */
  scope?: 'user' | 'shared' | 'global';
  retryAfterMs?: number;
  /** What Discord's published spec said of the body and of the answer (when the spec judge runs). */
  spec?: { operation: string | null; request: SpecOutcome | null; response: SpecOutcome | null };
  /** With the `recordBodies` option: the JSON body (or `payload_json`) and the JSON answer. */
  requestBody?: unknown;
  responseBody?: unknown;
}

/** Keeps the most recent requests; a long playground session must not grow without bound. */
export class RequestLog {
  readonly #entries: RecordedRequest[] = [];

  constructor(private readonly capacity = 10_000) {}

  add(entry: RecordedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
  }

  all(): RecordedRequest[] {
    return [...this.#entries];
  }

  rateLimited(): RecordedRequest[] {
    return this.#entries.filter((entry) => entry.rateLimited);
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
