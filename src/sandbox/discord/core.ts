import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { EmulatorEvents } from './events.js';
import type { Limits } from './limits.js';
import type { RateLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import type { SnowflakeGenerator } from './snowflake.js';
import type { SpecRecorder } from './spec/recorder.js';
import type { SerializeContext } from './state/serialize.js';
import type { Store } from './state/store.js';

/**
 * What every part of the emulator shares: state, time, ids, limits and the event bus.
 * Passed explicitly (no module singletons), so two emulators can run in one process.
 */
export interface EmulatorCore {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: SnowflakeGenerator;
  readonly limits: Limits;
  readonly events: EmulatorEvents;
  readonly log: Logger;
  readonly rateLimiter: RateLimiter;
  readonly requestLog: RequestLog;
  /** Discord's published spec as a second judge of every REST body, both ways. */
  readonly spec: SpecRecorder;
  /** Keep request and response bodies in the request log (tests that re-judge a whole run). */
  readonly recordBodies: boolean;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** `http://127.0.0.1:PORT`; known once the server listens. */
  baseUrl: string;
  /** What GET /gateway/bot reports; the gateway counts identifies into it. */
  readonly gateway: { url: string; shards: number; maxConcurrency: number; identifies: number };
  /** Pending 3-second deadlines by interaction id, so an acknowledgement can cancel its timer. */
  readonly deadlines: Map<string, () => void>;
  /** Server errors to answer instead of handling (see DiscordEmulator.failNext). */
  readonly outages: Outage[];
}

/**
 * Discord answering a route with a server error, as it sometimes does (500 with a JSON body, 502
 * from its edge): `count` requests of `method` on the route `template` get `status`.
 */
export interface Outage {
  method: string;
  template: string;
  status: 500 | 502 | 503 | 504;
  count: number;
}

export function serializeContext(core: EmulatorCore): SerializeContext {
  return { store: core.store, baseUrl: core.baseUrl };
}
