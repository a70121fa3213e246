import type { Clock } from '../clock.js';
import type { EmulatorEvents } from '../events.js';
import type { RecordedRequest } from '../request-log.js';
import type { FieldError } from '../validate/form-errors.js';
import type { SpecJudge, SpecVerdict } from './judge.js';

/**
 * `enforce`: a request the spec refuses is answered 400 50035 like Discord; `record`: it is only
 * recorded; `off`: the spec is not consulted. Responses are recorded in both first modes.
 */
export type SpecMode = 'enforce' | 'record' | 'off';

export interface SpecViolation {
  /** `request`: the bot sent a body the spec refuses; `response`: the emulator answered one. */
  direction: 'request' | 'response';
  method: string;
  path: string;
  /** The emulator's route template; null for unknown paths. */
  route: string | null;
  operationId: string | null;
  /** The answer's status: 400 for a refused request, null for one only recorded (mode `record`). */
  status: number | null;
  errors: { path: string; code: string; message: string }[];
  /** Emulator clock time. */
  at: number;
}

export interface SpecCounts {
  requests: number;
  responses: number;
}

export interface SpecReport {
  /** False when the mode is `off` or discord-api-spec is not installed. */
  enabled: boolean;
  mode: SpecMode;
  version: string | null;
  /** Bodies the spec had a schema for. */
  checked: SpecCounts;
  /** Bodies it had no schema for (unknown operation, a type without a schema); empty ones are not counted. */
  unchecked: SpecCounts;
  /** How many checked bodies passed only through a documented exception, by exception id. */
  exceptions: Record<string, number>;
  violations: SpecViolation[];
}

const MAX_VIOLATIONS = 1_000;

/** Runs the judge on the emulator's traffic and keeps what it found, for tests and the playground. */
export class SpecRecorder {
  readonly #violations: SpecViolation[] = [];
  readonly #checked: SpecCounts = { requests: 0, responses: 0 };
  readonly #unchecked: SpecCounts = { requests: 0, responses: 0 };
  readonly #exceptions = new Map<string, number>();

  constructor(
    private readonly judge: SpecJudge | null,
    readonly mode: SpecMode,
    private readonly events: EmulatorEvents,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.judge !== null && this.mode !== 'off';
  }

  /** Checks a request body; returns the errors to refuse it with, or null to let it through. */
  checkRequest(entry: RecordedRequest, body: unknown): FieldError[] | null {
    // A request without a body (GET, DELETE, typing) has nothing to judge.
    if (!this.judge || this.mode === 'off' || body === undefined) return null;
    const verdict = this.judge.request(entry.method, entry.path, body);
    this.#count('requests', verdict);
    entry.spec = { ...(entry.spec ?? { response: null }), operation: verdict.operationId, request: verdict.outcome };
    if (verdict.outcome !== 'invalid') return null;
    this.#record('request', entry, this.mode === 'enforce' ? 400 : null, verdict);
    return this.mode === 'enforce' ? verdict.errors : null;
  }

  /** Checks what the emulator answered; `body` undefined for an empty answer. */
  checkResponse(entry: RecordedRequest, status: number, body: unknown): void {
    if (!this.judge || this.mode === 'off') return;
    const verdict = this.judge.response(entry.method, entry.path, status, body);
    this.#count('responses', verdict);
    entry.spec = { ...(entry.spec ?? { request: null }), operation: verdict.operationId, response: verdict.outcome };
    if (verdict.outcome === 'invalid') this.#record('response', entry, status, verdict);
  }

  report(): SpecReport {
    return {
      enabled: this.enabled,
      mode: this.mode,
      version: this.judge?.version ?? null,
      checked: { ...this.#checked },
      unchecked: { ...this.#unchecked },
      exceptions: Object.fromEntries(this.#exceptions),
      violations: [...this.#violations],
    };
  }

  clear(): void {
    this.#violations.length = 0;
    Object.assign(this.#checked, { requests: 0, responses: 0 });
    Object.assign(this.#unchecked, { requests: 0, responses: 0 });
    this.#exceptions.clear();
  }

  #count(kind: keyof SpecCounts, verdict: SpecVerdict): void {
    if (verdict.outcome === 'unchecked') this.#unchecked[kind] += 1;
    else this.#checked[kind] += 1;
    for (const id of verdict.excepted) this.#exceptions.set(id, (this.#exceptions.get(id) ?? 0) + 1);
  }

  #record(
    direction: SpecViolation['direction'],
    entry: RecordedRequest,
    status: number | null,
    verdict: SpecVerdict,
  ): void {
    const violation: SpecViolation = {
      direction,
      method: entry.method,
      path: entry.path,
      route: entry.route,
      operationId: verdict.operationId,
      status,
      errors: verdict.errors.map((error) => ({
        path: error.path.map(String).join('.'),
        code: error.code,
        message: error.message,
      })),
      at: this.clock.now(),
    };
    this.#violations.push(violation);
    if (this.#violations.length > MAX_VIOLATIONS) this.#violations.shift();
    this.events.emit('spec.violation', { violation });
  }
}
