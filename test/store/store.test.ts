import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { openKeyv, StoreConfigError } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';

function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination: destination }), lines };
}

function job(overrides: Partial<Job> = {}): Job {
  return {
    schema: 2,
    id: 'abc123',
    action: 'imagine',
    provider: 'kie',
    guildId: '1100000000000000010',
    channelId: '1100000000000000011',
    userId: '1100000000000000020',
    prompt: { text: 'a red bird', imageUrls: [], params: { aspect: '16:9' } },
    notices: [],
    speed: 'fast',
    state: 'running',
    visibility: 'public',
    callbackSeen: false,
    createdAt: 1_700_000_000_000,
    polls: 0,
    attempts: 0,
    version: 0,
    publishSeq: 0,
    publishedSeq: 0,
    ...overrides,
  };
}

const opened: { disconnect(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((keyv) => keyv.disconnect()));
});

async function open(path: string, logger = captureLogger().logger) {
  const keyv = await openKeyv(`sqlite://${path}`, logger);
  opened.push(keyv);
  return createStores(keyv, logger);
}

describe('store on a real SQLite file', () => {
  it('GIVEN a job written by one keyv instance THEN a new instance reads it back', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'store-')), 'nested', 'bot.sqlite');
    const first = await open(path);
    await first.jobs.save(job());
    await first.jobs.remember(job());
    await first.guilds.update('g1', { provider: 'apixo', concurrency: 5 });

    const second = await open(path);
    expect(await second.jobs.get('abc123')).toEqual({ ...job(), version: 1 });
    expect((await second.jobs.openIn('1100000000000000010')).map((found) => found.id)).toEqual(['abc123']);
    expect((await second.jobs.recentOf('1100000000000000010', '1100000000000000020')).map((found) => found.id)).toEqual(
      ['abc123'],
    );
    expect(await second.guilds.get('g1')).toMatchObject({ provider: 'apixo', concurrency: 5, buttons: 'anyone' });
  });

  it('GIVEN a store file THEN it is in write-ahead-log mode, and a second connection sees writes at once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.sqlite');
    const stores = await open(path);
    await stores.jobs.save(job());
    const database = new sqlite3.Database(path);
    const get = (sql: string) =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) =>
        database.get(sql, (error, row?: Record<string, unknown>) => (error ? reject(error) : resolve(row))),
      );
    expect(await get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await get(`SELECT key FROM keyv WHERE key = 'job:abc123'`)).toEqual({ key: 'job:abc123' });
    await new Promise<void>((resolve) => database.close(() => resolve()));
  });

  it("GIVEN a job that finishes THEN it leaves the guild's active index", async () => {
    const stores = await open(join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.sqlite'));
    await stores.jobs.save(job());
    await stores.jobs.save(job({ id: 'def456' }));
    await stores.jobs.save(job({ state: 'succeeded' }));
    expect((await stores.jobs.openIn('1100000000000000010')).map((found) => found.id)).toEqual(['def456']);
  });

  it('GIVEN a corrupt record in the file THEN it is skipped with a warning and others still read', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.sqlite');
    const { logger, lines } = captureLogger();
    const stores = await open(path, logger);
    await stores.jobs.save(job());
    await stores.jobs.save(job({ id: 'def456' }));
    // Damage one record behind keyv's back: one as broken JSON, one as valid JSON of the wrong shape.
    const database = new sqlite3.Database(path);
    const exec = (sql: string) =>
      new Promise<void>((resolve, reject) => database.run(sql, (error) => (error ? reject(error) : resolve())));
    await exec(`UPDATE keyv SET value = '{"value":{"schema":1,"id":42}}' WHERE key = 'job:abc123'`);
    await exec(`UPDATE keyv SET value = 'not json at all' WHERE key = 'job:def456'`);
    await new Promise<void>((resolve) => database.close(() => resolve()));

    const reopened = await open(path, logger);
    expect(await reopened.jobs.get('abc123')).toBeUndefined();
    expect(await reopened.jobs.get('def456')).toBeUndefined();
    expect(await reopened.jobs.openIn('1100000000000000010')).toEqual([]);
    await reopened.jobs.save(job({ id: 'ghi789' }));
    expect(await reopened.jobs.get('ghi789')).toMatchObject({ id: 'ghi789' });
    const warnings = lines
      .map((line) => JSON.parse(line) as { level: number; msg: string; record?: string })
      .filter((line) => line.level === 40);
    expect(warnings.map((warning) => warning.record)).toEqual(expect.arrayContaining(['job:abc123', 'job:def456']));
  });

  it('GIVEN counters THEN they count per user per UTC day', async () => {
    const stores = await open(join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.sqlite'));
    const monday = Date.UTC(2026, 10, 23, 23, 0);
    await stores.counters.increment('g', 'u', monday);
    await stores.counters.increment('g', 'u', monday);
    expect(await stores.counters.get('g', 'u', monday)).toBe(2);
    expect(await stores.counters.get('g', 'u', monday + 2 * 60 * 60 * 1000)).toBe(0);
    expect(await stores.counters.get('g', 'other', monday)).toBe(0);
  });

  it('GIVEN moderation lists THEN block, terms and the audit log persist', async () => {
    const stores = await open(join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.sqlite'));
    await stores.moderation.setBlocked('g', 'u1', true);
    await stores.moderation.setBlocked('g', 'u2', true);
    await stores.moderation.setBlocked('g', 'u1', false);
    expect(await stores.moderation.blockedUsers('g')).toEqual(['u2']);
    await stores.moderation.setTerm('g', 'dragon', true);
    expect(await stores.moderation.terms('g')).toEqual(['dragon']);
    await stores.moderation.log('g', { at: 1, moderatorId: 'm', action: 'block', targetUserId: 'u2' });
    expect(await stores.moderation.auditLog('g')).toEqual([
      { at: 1, moderatorId: 'm', action: 'block', targetUserId: 'u2' },
    ]);
  });

  it('GIVEN a STORE_URL whose adapter is not installed THEN a clear error names the package', async () => {
    await expect(openKeyv('redis://127.0.0.1:6379', captureLogger().logger)).rejects.toThrow(StoreConfigError);
    await expect(openKeyv('redis://127.0.0.1:6379', captureLogger().logger)).rejects.toThrow(/@keyv\/redis/);
  });
});

describe('concurrent updates of one record', () => {
  it("GIVEN fifty jobs saved at once in one guild THEN every one is in the guild's active index", async () => {
    const stores = await open(join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.sqlite'));
    await Promise.all(
      Array.from({ length: 50 }, (_, index) => stores.jobs.save(job({ id: `job${String(index).padStart(3, '0')}` }))),
    );
    expect((await stores.jobs.openIn('1100000000000000010')).map((found) => found.id).sort()).toHaveLength(50);
  });

  it('GIVEN 200 jobs saved at once THEN a new instance finds all 200 active, from a handful of index writes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.sqlite');
    const keyv = await openKeyv(`sqlite://${path}`, captureLogger().logger);
    opened.push(keyv);
    const indexWrites: unknown[] = [];
    const set = keyv.set.bind(keyv);
    keyv.set = (key: string, value: unknown, ttl?: number) => {
      if (key === 'active:1100000000000000010') indexWrites.push(value);
      return set(key, value, ttl);
    };
    const stores = createStores(keyv, captureLogger().logger);
    const ids = Array.from({ length: 200 }, (_, index) => `job${String(index).padStart(3, '0')}`);
    await Promise.all(ids.map((id) => stores.jobs.save(job({ id }))));
    // Saving a job again in another state leaves the index alone.
    await Promise.all(ids.map((id) => stores.jobs.save(job({ id, state: 'running', polls: 1 }))));

    const reopened = await open(path);
    expect((await reopened.jobs.openIn('1100000000000000010')).map((found) => found.id).sort()).toEqual(ids);
    expect(indexWrites.length).toBeGreaterThan(0);
    expect(indexWrites.length).toBeLessThanOrEqual(5);
    expect(indexWrites.at(-1)).toHaveLength(200);
  });

  it('GIVEN changes made while a write runs THEN the last write holds the latest value, in order', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'store-')), 'bot.sqlite');
    const stores = await open(path);
    const first = stores.counters.increment('g', 'u', 0, 1);
    // The first write has started (it is awaiting SQLite); these land in one write behind it.
    await new Promise((resolve) => setImmediate(resolve));
    const later = [
      stores.counters.increment('g', 'u', 0, 2),
      stores.counters.increment('g', 'u', 0, 3),
      stores.counters.increment('g', 'u', 0, -1),
    ];
    expect(await Promise.all([first, ...later])).toEqual([1, 3, 6, 5]);
    expect(await (await open(path)).counters.get('g', 'u', 0)).toBe(5);
  });
});
