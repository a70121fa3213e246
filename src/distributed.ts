import type Keyv from 'keyv';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './observability/metrics.js';
import { keyvOver } from './store/keyv.js';
import { Database } from './store/postgres/database.js';
import { PostgresCounterStore } from './store/postgres/counter-store.js';
import { PostgresInteractionClaims } from './store/postgres/interaction-claims.js';
import { PostgresJobStore } from './store/postgres/job-store.js';
import { PostgresKeyvAdapter } from './store/postgres/keyv-adapter.js';

/** The shared records of distributed mode: jobs and counters in tables, the rest as keyv rows, on one pool. */
export interface SharedRecords {
  database: Database;
  keyv: Keyv;
  jobs: PostgresJobStore;
  counters: PostgresCounterStore;
  interactions: PostgresInteractionClaims;
}

/**
 * Opens PostgreSQL for distributed mode. Everything here is an optional dependency, imported only
 * now: a single-machine start never loads pg, bullmq or prom-client.
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
  return {
    database,
    keyv: keyvOver(new PostgresKeyvAdapter(database), logger),
    jobs: new PostgresJobStore(database, logger.child({ component: 'store' })),
    counters: new PostgresCounterStore(database),
    interactions: new PostgresInteractionClaims(database),
  };
}
