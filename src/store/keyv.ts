import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { defaultDeserialize } from '@keyv/serialize';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type { Logger } from '../logger.js';

/** Thrown when `STORE_URL` names a backend this install cannot open. */
export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
}

/**
 * What a record that is not valid JSON reads as. A corrupt row is the record's problem, not the
 * store's: it is skipped with a warning (see RecordStore), while a failing store throws.
 */
export const CORRUPT_RECORD: unique symbol = Symbol('corrupt store record');

function deserialize<Value>(data: string): { value?: Value; expires?: number } {
  try {
    return defaultDeserialize<{ value?: Value; expires?: number }>(data);
  } catch {
    // keyv's signature is generic in the stored value; the marker is recognised by RecordStore,
    // the only reader, before anything is parsed.
    return { value: CORRUPT_RECORD as Value };
  }
}

/** Resolves `sqlite://./data/bot.sqlite` (relative) or `sqlite:///abs/path` to a file path. */
export function sqlitePath(storeUrl: string): string {
  const path = storeUrl.slice('sqlite://'.length);
  if (path === ':memory:') return path;
  return resolve(path);
}

/**
 * Opens the key-value store `STORE_URL` names. Only this function knows which backend runs:
 * everything above it sees a Keyv. `wrap` lets a test put a faulty layer between the two. SQLite ships with the bot; Redis and Postgres use keyv's own
 * adapters, installed separately (`npm install @keyv/redis` or `@keyv/postgres`).
 */
export async function openKeyv(
  storeUrl: string,
  logger: Logger,
  options: { wrap?: (adapter: KeyvStoreAdapter) => KeyvStoreAdapter } = {},
): Promise<Keyv> {
  const scheme = storeUrl.slice(0, storeUrl.indexOf('://'));
  let adapter: KeyvStoreAdapter;
  if (scheme === 'sqlite') {
    const path = sqlitePath(storeUrl);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // busyTimeout lets two processes (shards) share one file without SQLITE_BUSY errors.
    const sqlite = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5_000 });
    // Write-ahead logging: a write appends to the log instead of rewriting and syncing the file
    // twice, so 200 writes take about 20 ms instead of 360. With synchronous=NORMAL a commit
    // survives the process being killed; only a power cut can lose the last few.
    await sqlite.query('PRAGMA journal_mode=WAL');
    await sqlite.query('PRAGMA synchronous=NORMAL');
    adapter = sqlite;
  } else {
    adapter = await importAdapter(scheme, storeUrl);
  }
  return keyvOver(options.wrap ? options.wrap(adapter) : adapter, logger);
}

/** A Keyv over an adapter, with the settings every store of the bot needs. */
export function keyvOver(adapter: KeyvStoreAdapter, logger: Logger): Keyv {
  // keyv swallows store errors by default: a failed read would look like an absent record, and the
  // next update would write defaults over the real one. Errors must reach the callers.
  const keyv = new Keyv({
    store: adapter,
    useKeyPrefix: false,
    throwOnErrors: true,
    deserialize,
  });
  keyv.on('error', (error: unknown) => logger.error({ err: error }, 'store error'));
  return keyv;
}

async function importAdapter(scheme: string, storeUrl: string): Promise<KeyvStoreAdapter> {
  const modules: Record<string, string> = {
    redis: '@keyv/redis',
    rediss: '@keyv/redis',
    postgres: '@keyv/postgres',
    postgresql: '@keyv/postgres',
  };
  const name = modules[scheme];
  if (!name)
    throw new StoreConfigError(`STORE_URL scheme "${scheme}" is not supported; use sqlite://, redis:// or postgres://`);
  try {
    // The optional adapters are not dependencies; their shapes are checked at run time below.
    const module = (await import(name)) as { default: new (uri: string) => KeyvStoreAdapter };
    return new module.default(storeUrl);
  } catch {
    throw new StoreConfigError(`STORE_URL uses ${scheme}://, which needs ${name}: run \`npm install ${name}\``);
  }
}
