import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';

/**
 * The real PostgreSQL and Redis the distributed tests use. `npm test` skips those tests when the
 * servers are unreachable, saying why in one line; with REQUIRE_SERVICES=1 (as `.ci/run` sets it)
 * an unreachable server fails the run instead, so they are never skipped silently.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether something accepts TCP connections at the URL's host and port, within a second. */
function listening(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || defaultPort), hostname || '127.0.0.1', () => done(true));
  });
}

const seen = new Map<string, Promise<boolean>>();

/**
 * Whether the service is there. Unreachable: prints one line and returns false (the caller
 * skips), or throws when REQUIRE_SERVICES=1.
 */
export async function reachable(service: 'postgres' | 'redis'): Promise<boolean> {
  const url = service === 'postgres' ? TEST_DATABASE_URL : TEST_REDIS_URL;
  let check = seen.get(url);
  if (!check) {
    check = listening(url, service === 'postgres' ? 5432 : 6379);
    seen.set(url, check);
  }
  if (await check) return true;
  const variable = service === 'postgres' ? 'TEST_DATABASE_URL' : 'TEST_REDIS_URL';
  const where = `${service} is unreachable at ${new URL(url).host} (${variable})`;
  if (process.env.REQUIRE_SERVICES === '1')
    throw new Error(`${where}, and REQUIRE_SERVICES=1 forbids skipping its distributed-mode tests`);
  console.warn(`${where}: its distributed-mode tests are skipped`);
  return false;
}

/** A name no other run uses (a schema, a key prefix), so runs never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
