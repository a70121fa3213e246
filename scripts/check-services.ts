/**
 * CI's first step before the tests: the distributed-mode tests need the real PostgreSQL and Redis
 * (TEST_DATABASE_URL, TEST_REDIS_URL; default 127.0.0.1), and CI must not skip them silently.
 */
import { reachable } from '../test/services.js';

process.env.REQUIRE_SERVICES = '1';
try {
  if (!(await reachable('postgres')) || !(await reachable('redis'))) throw new Error('unreachable');
  console.log('postgres and redis are reachable');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
