import type Keyv from 'keyv';
import type { KeyvStoreAdapter } from 'keyv';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './observability/metrics.js';
import { keyvOver, StoreConfigError } from './store/keyv.js';
import { Database } from './store/postgres/database.js';
import { PostgresCounterStore } from './store/postgres/counter-store.js';
import { PostgresJobStore } from './store/postgres/job-store.js';

/** The shared records of distributed mode: jobs and counters in tables, the rest as keyv rows. */
export interface SharedRecords {
  database: Database;
  keyv: Keyv;
  jobs: PostgresJobStore;
  counters: PostgresCounterStore;
}

/**
 * Opens PostgreSQL for distributed mode. Everything here is an optional dependency, imported only
 * now: a single-machine start never loads pg, @keyv/postgres, bullmq or prom-client.
 */
export async function openSharedRecords(
  settings: NonNullable<Config['distributed']>,
  logger: Logger,
  metrics: Metrics,
): Promise<SharedRecords> {
  const database = await Database.open(settings.databaseUrl, logger, {
    schema: settings.schema,
    observe: (operation, seconds) => metrics.storeQuery(operation, seconds),
  });
  let adapter: KeyvStoreAdapter;
  try {
    const module = (await import('@keyv/postgres')) as {
      default: new (options: { uri: string; schema: string; table: string }) => KeyvStoreAdapter;
    };
    adapter = new module.default({ uri: settings.databaseUrl, schema: settings.schema, table: 'records' });
  } catch {
    await database.close();
    throw new StoreConfigError('DATABASE_URL needs @keyv/postgres: run `npm install @keyv/postgres`');
  }
  return {
    database,
    keyv: keyvOver(adapter, logger),
    jobs: new PostgresJobStore(database, logger.child({ component: 'store' })),
    counters: new PostgresCounterStore(database),
  };
}
