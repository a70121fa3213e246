import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthRoutes } from '../../src/observability/health.js';

let server: Server | undefined;
afterEach(() => server?.close());

async function serve(routes: HealthRoutes): Promise<string> {
  server = createServer((request, response) => {
    void routes.handle(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('health routes', () => {
  it('GIVEN a store that is down THEN /readyz is 503 naming it, while /healthz stays 200', async () => {
    let storeUp = false;
    const url = await serve(new HealthRoutes({ gateway: () => true, store: () => Promise.resolve(storeUp) }));
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false, checks: { gateway: true, store: false } });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    storeUp = true;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('GIVEN a check that throws, or a shutdown begun THEN not ready; without metrics /metrics is not served', async () => {
    const routes = new HealthRoutes({ queue: () => Promise.reject(new Error('redis gone')) });
    const url = await serve(routes);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    const stopping = new HealthRoutes({ gateway: () => true });
    stopping.shuttingDown();
    server?.close();
    const stoppingUrl = await serve(stopping);
    expect(await (await fetch(`${stoppingUrl}/readyz`)).json()).toEqual({
      ready: false,
      stopping: true,
      checks: { gateway: true },
    });
    expect((await fetch(`${stoppingUrl}/metrics`)).status).toBe(404);
  });
});
