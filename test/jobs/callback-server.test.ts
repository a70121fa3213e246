import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackServer } from '../../src/jobs/callback-server.js';
import { JobService } from '../../src/jobs/service.js';
import { createLogger } from '../../src/logger.js';
import { openKeyv } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';

const logger = createLogger({ level: 'silent' });

/** Sends raw bytes and resolves with what came back and how the socket ended, or when it closed. */
function exchange(
  port: number,
  bytes: string,
  options: { end?: boolean } = {},
): Promise<{ answer: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (options.end) socket.end();
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => resolve({ answer, closedAfterMs: performance.now() - started }));
  });
}

describe('the callback receiver under hostile requests', () => {
  let server: CallbackServer;
  let port: number;
  let close: () => Promise<void>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    const keyv = await openKeyv('sqlite://:memory:', logger);
    const stores = createStores(keyv, logger);
    const jobs = new JobService({
      stores,
      adapters: new Map(),
      logger,
      onChange: () => undefined,
      loadImage: () => Promise.reject(new Error('unused')),
      limits: () => Promise.resolve({ concurrency: 3, queueLimit: 10 }),
    });
    server = new CallbackServer({
      stores,
      jobs,
      adapters: new Map(),
      logger,
      limits: { headersTimeoutMs: 1_500, requestTimeoutMs: 2_500 },
    });
    port = await server.listen(0, '127.0.0.1');
    close = async () => {
      await server.close();
      await jobs.stop();
      await keyv.disconnect();
    };
  });
  afterAll(async () => {
    await close();
    process.off('unhandledRejection', onUnhandled);
  });

  it('GIVEN 300 requests with malformed targets at once THEN each is answered 400 and nothing rejects unhandled', async () => {
    const targets = ['//', 'http://x:y', '//a:b@', 'http://[::1', '*'];
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        exchange(
          port,
          `POST ${targets[index % targets.length]!} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        ),
      ),
    );
    const statuses = results.map(({ answer }) => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'none');
    // Every one answered: 400 for a target no URL can be made of, 404 for one that parses to no callback.
    expect(
      statuses.every((status) => status === '400' || status === '404'),
      statuses.join(' '),
    ).toBe(true);
    expect(statuses.filter((_, index) => targets[index % targets.length] === '//')).toEqual(
      Array.from({ length: 60 }, () => '400'),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });

  it('GIVEN callers that stall in their headers or their body THEN each connection is closed near its deadline', async () => {
    const stalled = await Promise.all([
      ...Array.from({ length: 20 }, () => exchange(port, 'POST /callbacks/kie/abcdef12/')),
      ...Array.from({ length: 20 }, () =>
        exchange(port, 'POST /callbacks/kie/abcdef12/00 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"par'),
      ),
    ]);
    for (const { closedAfterMs } of stalled) {
      // The headers deadline is 1.5 s and the request's 2.5 s, checked every second.
      expect(closedAfterMs).toBeLessThan(4_500);
    }
    expect(unhandled).toEqual([]);
  }, 15_000);

  it('GIVEN an unknown job, a path of the wrong shape or a GET THEN 404 with no detail', async () => {
    const { answer } = await exchange(
      port,
      'POST /callbacks/kie/abcdef12/0123456789abcdef0123456789abcdef HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
    expect((await exchange(port, 'GET /callbacks HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).answer).toMatch(
      /^HTTP\/1\.1 404/,
    );
  });
});
