import type * as PgModule from 'pg';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { Logger } from '../../logger.js';
import { StoreConfigError } from '../keyv.js';
import { StoreUnavailableError } from '../errors.js';

/** The default schema for the bot's tables; tests give each run its own. */
export const DEFAULT_SCHEMA = 'imagine_bot';

/**
 * One PostgreSQL pool (node-postgres) and the bot's tables in one schema. `pg` is an optional
 * dependency, loaded only here, only in distributed mode.
 */
export class Database {
  private constructor(
    readonly pool: Pool,
    readonly schema: string,
    private readonly logger: Logger,
    private readonly observe?: (operation: string, seconds: number) => void,
  ) {}

  static async open(
    url: string,
    logger: Logger,
    options: { schema?: string; observe?: (operation: string, seconds: number) => void } = {},
  ): Promise<Database> {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new StoreConfigError(`schema "${schema}" is not a plain name`);
    let pg: typeof PgModule;
    try {
      // CommonJS: node's ESM loader puts its exports on `default`.
      const module = (await import('pg')) as typeof PgModule & { default?: typeof PgModule };
      pg = module.default ?? module;
    } catch {
      throw new StoreConfigError('DATABASE_URL needs the pg package: run `npm install pg` (an optional dependency)');
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: 3_000,
      // A statement stuck behind a lock fails instead of holding a step forever.
      statement_timeout: 10_000,
    });
    // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
    pool.on('error', (error) => logger.warn({ err: error }, 'postgres idle client error'));
    const database = new Database(pool, schema, logger, options.observe);
    await database.migrate();
    return database;
  }

  /** A table's qualified name. */
  table(name: string): string {
    return `"${this.schema}"."${name}"`;
  }

  async query<Row extends QueryResultRow>(
    what: string,
    text: string,
    values: unknown[] = [],
  ): Promise<{ rows: Row[]; rowCount: number }> {
    const started = performance.now();
    try {
      const result = await this.pool.query<Row>(text, values);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw unavailable(what, error);
    } finally {
      // The operation without its ids: `read job abc123` counts as `read job`.
      this.observe?.(operationName(what), (performance.now() - started) / 1000);
    }
  }

  /** Runs `work` in one transaction; any failure rolls it back. */
  async transaction<T>(what: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unavailable(what, error);
    }
    const started = performance.now();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw unavailable(what, error);
    } finally {
      client.release();
      this.observe?.(operationName(what), (performance.now() - started) / 1000);
    }
  }

  private async migrate(): Promise<void> {
    const t = (name: string) => this.table(name);
    // Several processes may start at once: one migrates, the others wait on the same lock.
    await this.transaction('migrate', async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`migrate:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${t('jobs')} (
          id text PRIMARY KEY,
          guild_id text NOT NULL,
          user_id text NOT NULL,
          unfinished boolean NOT NULL,
          needs_work boolean NOT NULL,
          version integer NOT NULL,
          data jsonb NOT NULL
        )`);
      await client.query(`CREATE INDEX IF NOT EXISTS jobs_open ON ${t('jobs')} (guild_id, user_id) WHERE needs_work`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${t('recent')} (
          guild_id text NOT NULL, user_id text NOT NULL, job_id text NOT NULL, at bigint NOT NULL,
          PRIMARY KEY (guild_id, user_id, job_id)
        )`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${t('clicks')} (
          key text PRIMARY KEY, job_id text NOT NULL, expires_at bigint NOT NULL
        )`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${t('claims')} (interaction_id text PRIMARY KEY, expires_at bigint NOT NULL)`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${t('records')} (key text PRIMARY KEY, value text NOT NULL, expires_at bigint)`);
      await client.query(`
        CREATE TABLE IF NOT EXISTS ${t('counters')} (
          guild_id text NOT NULL, user_id text NOT NULL, day text NOT NULL, count integer NOT NULL,
          PRIMARY KEY (guild_id, user_id, day)
        )`);
    });
    this.logger.debug({ schema: this.schema }, 'postgres schema ready');
  }

  /** Whether the server answers now (for /readyz). */
  async reachable(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Drops the schema and everything in it (tests clean up after themselves). */
  async dropSchema(): Promise<void> {
    await this.query('drop schema', `DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function operationName(what: string): string {
  return what
    .split(' ')
    .filter((word) => !/\d/.test(word))
    .join(' ');
}

function unavailable(what: string, error: unknown): unknown {
  // Our own errors (a schema mismatch the caller reports, say) pass through unchanged.
  if (error instanceof StoreUnavailableError || error instanceof StoreConfigError) return error;
  if (error instanceof Error && !('code' in error) && !/connect|terminat|timeout/i.test(error.message)) return error;
  return new StoreUnavailableError(what.startsWith('read') ? 'read' : 'write', what, error);
}
