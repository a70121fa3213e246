import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

/** One dependency /readyz checks: the gateway, the store, the queue. */
export type ReadinessCheck = () => Promise<boolean> | boolean;

/**
 * `/healthz` (the process answers), `/readyz` (it can take work: every check passes and it is
 * not shutting down) and `/metrics`, served on the callback receiver's port.
 */
export class HealthRoutes {
  private stopping = false;

  constructor(
    private readonly checks: Readonly<Record<string, ReadinessCheck>>,
    private readonly metrics?: Metrics,
  ) {}

  /** From now on /readyz says 503, so a load balancer stops sending work before the drain. */
  shuttingDown(): void {
    this.stopping = true;
  }

  /** Answers the request if it is one of these routes; false leaves it to the receiver. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    if (request.method !== 'GET') return false;
    const path = (request.url ?? '/').split('?')[0];
    const json = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (path === '/healthz') {
      json(200, { ok: true });
      return true;
    }
    if (path === '/readyz') {
      const results = await Promise.all(
        Object.entries(this.checks).map(async ([name, check]) => {
          try {
            return [name, await check()] as const;
          } catch {
            return [name, false] as const;
          }
        }),
      );
      const checks = Object.fromEntries(results);
      const ready = !this.stopping && results.every(([, ok]) => ok);
      json(ready ? 200 : 503, { ready, ...(this.stopping ? { stopping: true } : {}), checks });
      return true;
    }
    if (path === '/metrics' && this.metrics) {
      const { contentType, body } = await this.metrics.render();
      response.writeHead(200, { 'content-type': contentType });
      response.end(body);
      return true;
    }
    return false;
  }
}
