import { z } from 'zod';
import type { RouteKind } from './simulator.js';

/**
 * A fault to inject, sent to `POST /__sim/faults`. `count` requests of the targeted kind get it.
 * - slow: answer after `delayMs`; slow_response: do the work at once (the task starts, callbacks
 *   go out) but deliver the answer `delayMs` later, as a congested network would; timeout: never
 *   answer; malformed_json: a truncated body;
 * - rate_limited (429 with Retry-After `retryAfterSeconds`), server_error (`status`, default 500),
 *   credits, auth: the provider's own error body;
 * - content_rejected: the next task fails moderation (for Cloudsway, only the `images` listed, 1-based);
 * - expired_urls: result URLs of the next task (or, with target "existing", of all tasks so far) expire.
 */
export const faultSchema = z.object({
  kind: z.enum([
    'slow',
    'slow_response',
    'timeout',
    'malformed_json',
    'rate_limited',
    'server_error',
    'credits',
    'auth',
    'content_rejected',
    'expired_urls',
  ]),
  on: z.enum(['submit', 'status', 'any']).default('any'),
  count: z.number().int().positive().default(1),
  delayMs: z.number().int().nonnegative().optional(),
  status: z.number().int().min(500).max(599).optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  images: z.array(z.number().int().min(1).max(4)).optional(),
  target: z.enum(['next', 'existing']).default('next'),
});
export type Fault = z.infer<typeof faultSchema>;

export class FaultQueue {
  private readonly queue: Fault[] = [];

  add(fault: Fault): void {
    this.queue.push({ ...fault });
  }

  clear(): void {
    this.queue.length = 0;
  }

  get size(): number {
    return this.queue.length;
  }

  /** Consumes one use of the first fault aimed at this kind of route. */
  take(kind: RouteKind): Fault | undefined {
    const index = this.queue.findIndex((fault) => fault.on === 'any' || fault.on === kind);
    if (index < 0 || kind === 'other') return undefined;
    const fault = this.queue[index]!;
    fault.count -= 1;
    if (fault.count <= 0) this.queue.splice(index, 1);
    return fault;
  }
}
