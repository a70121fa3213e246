import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { Database } from './database.js';

/**
 * keyv's records (settings, moderation lists, audit logs, blobs) as rows of one table, on the
 * Database's own pool. @keyv/postgres does the same but keeps a module-wide pool without an
 * 'error' listener: a PostgreSQL restart crashed the process (measured with a 5 s outage). Expiry
 * is kept in a column, so expired rows are never read and are swept as they are found.
 */
export class PostgresKeyvAdapter extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = { dialect: 'postgres' };
  readonly namespace = undefined;

  constructor(private readonly database: Database) {
    super();
  }

  private get table(): string {
    return this.database.table('records');
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const { rows } = await this.database.query<{ value: string }>(
      `read ${key.split(':')[0] ?? 'record'}`,
      `SELECT value FROM ${this.table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`,
      [key, Date.now()],
    );
    return rows[0]?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<void> {
    await this.database.query(
      `write ${key.split(':')[0] ?? 'record'}`,
      `INSERT INTO ${this.table} (key, value, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [key, value, ttl ? Date.now() + ttl : null],
    );
  }

  async delete(key: string): Promise<boolean> {
    const { rowCount } = await this.database.query(
      `write ${key.split(':')[0] ?? 'record'}`,
      `DELETE FROM ${this.table} WHERE key = $1`,
      [key],
    );
    return rowCount > 0;
  }

  async clear(): Promise<void> {
    await this.database.query('write records', `DELETE FROM ${this.table}`);
  }
}
