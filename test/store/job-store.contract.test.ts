import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { isStoreUnavailable } from '../../src/store/errors.js';
import type { CounterStore, JobStore } from '../../src/store/job-store.js';
import { openKeyv } from '../../src/store/keyv.js';
import { KeyvJobStore } from '../../src/store/keyv-job-store.js';
import { Database } from '../../src/store/postgres/database.js';
import { PostgresCounterStore } from '../../src/store/postgres/counter-store.js';
import { PostgresJobStore } from '../../src/store/postgres/job-store.js';
import { KeyvCounterStore } from '../../src/store/stores.js';
import { reachable, TEST_DATABASE_URL, uniqueName } from '../services.js';

const logger = createLogger({ level: 'silent' });
const GUILD = '1100000000000000010';
const USER = '1100000000000000020';

function job(id: string, overrides: Partial<Job> = {}): Job {
  return {
    schema: 2,
    id,
    action: 'imagine',
    provider: 'kie',
    guildId: GUILD,
    channelId: '1100000000000000011',
    userId: USER,
    prompt: { text: 'a red bird', imageUrls: [], params: {} },
    notices: [],
    speed: 'fast',
    state: 'queued',
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

/** One implementation under test: `open()` is one process's view; two calls are two processes where that is possible. */
interface Implementation {
  name: string;
  open(): Promise<{ jobs: JobStore; counters: CounterStore }>;
  /** Whether two `open()`s may write at once (several processes). */
  shared: boolean;
  close(): Promise<void>;
}

function sqlite(): Implementation {
  const path = join(mkdtempSync(join(tmpdir(), 'job-store-contract-')), 'bot.sqlite');
  const opened: { disconnect(): Promise<void> }[] = [];
  let instance: { jobs: JobStore; counters: CounterStore } | undefined;
  return {
    name: 'keyv on SQLite (one process)',
    shared: false,
    async open() {
      // One process per SQLite store: every open() is that process's store.
      if (instance) return instance;
      const keyv = await openKeyv(`sqlite://${path}`, logger);
      opened.push(keyv);
      instance = { jobs: new KeyvJobStore(keyv, logger), counters: new KeyvCounterStore(keyv, logger) };
      return instance;
    },
    async close() {
      await Promise.all(opened.map((keyv) => keyv.disconnect()));
    },
  };
}

function postgres(): Implementation {
  const schema = uniqueName('contract');
  const opened: Database[] = [];
  return {
    name: 'PostgreSQL (several processes)',
    shared: true,
    async open() {
      const database = await Database.open(TEST_DATABASE_URL, logger, { schema });
      opened.push(database);
      return { jobs: new PostgresJobStore(database, logger), counters: new PostgresCounterStore(database) };
    },
    async close() {
      await opened[0]?.dropSchema();
      await Promise.all(opened.map((database) => database.close()));
    },
  };
}

const implementations = [sqlite(), ...((await reachable('postgres')) ? [postgres()] : [])];
afterAll(async () => {
  await Promise.all(implementations.map((implementation) => implementation.close()));
});

let sequence = 0;
/** A fresh guild per test: the implementations' stores are shared by the tests of one file. */
function freshGuild(): string {
  sequence += 1;
  return `11000000000000${String(sequence).padStart(5, '0')}`;
}

describe.each(implementations)('job store contract: $name', (implementation) => {
  it('GIVEN a saved job THEN it reads back, and each write raises its version by one', async () => {
    const { jobs } = await implementation.open();
    await jobs.save(job('contract1'));
    expect((await jobs.get('contract1'))?.version).toBe(1);
    await jobs.update('contract1', (current) => current && { ...current, state: 'running' });
    const read = await jobs.get('contract1');
    expect(read).toMatchObject({ state: 'running', version: 2, prompt: { text: 'a red bird' } });
    expect(await jobs.get('missing1')).toBeUndefined();
    expect((await jobs.getMany(['contract1', 'missing1'])).map((found) => found.id)).toEqual(['contract1']);
  });

  it('GIVEN a transition based on an older version THEN it is refused and the record is unchanged', async () => {
    const { jobs } = await implementation.open();
    await jobs.save(job('contract2'));
    const read = (await jobs.get('contract2'))!;
    const first = await jobs.transition({ ...read, state: 'submitting' }, read.version);
    expect(first?.version).toBe(read.version + 1);
    const stale = await jobs.transition({ ...read, state: 'failed' }, read.version);
    expect(stale).toBeUndefined();
    expect((await jobs.get('contract2'))?.state).toBe('submitting');
  });

  it('GIVEN 30 concurrent updates of one job THEN none is lost', async () => {
    const writers = await Promise.all([implementation.open(), implementation.open()]);
    await writers[0].jobs.save(job('contract3'));
    await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        writers[index % 2]!.jobs.update('contract3', (current) => current && { ...current, polls: current.polls + 1 }),
      ),
    );
    expect(await writers[0].jobs.get('contract3')).toMatchObject({ polls: 30, version: 31 });
  });

  it('GIVEN jobs unfinished, finished, and finished but unpublished THEN the open index holds the first and the last', async () => {
    const { jobs } = await implementation.open();
    const guildId = freshGuild();
    await jobs.save(job('openjob1', { guildId, state: 'running' }));
    await jobs.save(job('openjob2', { guildId, state: 'succeeded' }));
    await jobs.save(job('openjob3', { guildId, state: 'failed', publishSeq: 1 }));
    expect((await jobs.openIn(guildId)).map((found) => found.id).sort()).toEqual(['openjob1', 'openjob3']);
    await jobs.update('openjob3', (current) => current && { ...current, publishedSeq: 1 });
    await jobs.update('openjob1', (current) => current && { ...current, state: 'succeeded' });
    expect(await jobs.openIn(guildId)).toEqual([]);
  });

  it('GIVEN concurrency 2 and a queue of 1 THEN admission starts two, queues one, then refuses; a freed slot starts the queued job once', async () => {
    const { jobs } = await implementation.open();
    const guildId = freshGuild();
    const limits = { concurrency: 2, queueLimit: 1 };
    expect(await jobs.admit([job('admit1', { guildId, createdAt: 1 })], limits, 10)).toEqual({ ok: true, started: 1 });
    expect(
      await jobs.admit(
        [job('admit2', { guildId, createdAt: 2 }), job('admit3', { guildId, createdAt: 3 })],
        limits,
        20,
      ),
    ).toEqual({ ok: true, started: 1 });
    expect(await jobs.admit([job('admit4', { guildId, createdAt: 4 })], limits, 30)).toEqual({ ok: false, queued: 1 });
    expect(await jobs.get('admit4')).toBeUndefined();
    expect((await jobs.openOf(guildId, USER)).map((found) => [found.id, found.slotAt]).sort()).toEqual([
      ['admit1', 10],
      ['admit2', 20],
      ['admit3', undefined],
    ]);
    expect(await jobs.claimSlots(guildId, USER, 2, 40)).toEqual([]);
    await jobs.update('admit1', (current) => current && { ...current, state: 'succeeded' });
    const [first, second] = await Promise.all([
      jobs.claimSlots(guildId, USER, 2, 50),
      jobs.claimSlots(guildId, USER, 2, 50),
    ]);
    expect([...first, ...second].map((found) => found.id)).toEqual(['admit3']);
    expect((await jobs.get('admit3'))?.slotAt).toBe(50);
  });

  it('GIVEN twelve admissions of one member at once (from two processes where the store allows) THEN never above the limits', async () => {
    const processes = await Promise.all([implementation.open(), implementation.open()]);
    const guildId = freshGuild();
    const limits = { concurrency: 3, queueLimit: 2 };
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        processes[index % 2]!.jobs.admit([job(`race${index}x`, { guildId, createdAt: index })], limits, 100),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(5);
    const open = await processes[0].jobs.openOf(guildId, USER);
    expect(open.filter((found) => found.slotAt !== undefined)).toHaveLength(3);
    expect(open.filter((found) => found.slotAt === undefined)).toHaveLength(2);
  });

  it('GIVEN 20 concurrent increments of a daily counter THEN it counts 20, per member per UTC day', async () => {
    const processes = await Promise.all([implementation.open(), implementation.open()]);
    const guildId = freshGuild();
    const at = Date.UTC(2026, 0, 1, 23, 0);
    const counts = await Promise.all(
      Array.from({ length: 20 }, (_, index) => processes[index % 2]!.counters.increment(guildId, USER, at)),
    );
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(await processes[0].counters.get(guildId, USER, at)).toBe(20);
    expect(await processes[0].counters.get(guildId, USER, at + 2 * 60 * 60 * 1000)).toBe(0);
    expect(await processes[1].counters.increment(guildId, USER, at, -3)).toBe(17);
  });

  it('GIVEN 20 concurrent counts from 2 within a limit of 7 THEN 5 pass, the others are refused with the count at the limit', async () => {
    const processes = await Promise.all([implementation.open(), implementation.open()]);
    const guildId = freshGuild();
    const at = Date.UTC(2026, 0, 1, 12, 0);
    await processes[0].counters.increment(guildId, USER, at, 2);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => processes[index % 2]!.counters.incrementWithin(guildId, USER, at, 1, 7)),
    );
    expect(
      results
        .filter((result) => result.ok)
        .map((result) => result.count)
        .sort((a, b) => a - b),
    ).toEqual([3, 4, 5, 6, 7]);
    expect(results.filter((result) => !result.ok).map((result) => result.count)).toEqual(Array(15).fill(7));
    // More than is left is refused whole; what fits still passes.
    expect(await processes[1].counters.incrementWithin(guildId, USER, at, 2, 8)).toEqual({ ok: false, count: 7 });
    expect(await processes[1].counters.incrementWithin(guildId, USER, at, 1, 8)).toEqual({ ok: true, count: 8 });
    // A first count of the day above the limit writes nothing.
    expect(await processes[0].counters.incrementWithin(guildId, USER, at + 86_400_000, 3, 2)).toEqual({
      ok: false,
      count: 0,
    });
    expect(await processes[0].counters.get(guildId, USER, at)).toBe(8);
  });

  it('GIVEN 30 remembered jobs THEN the recent list holds the newest 25, newest first; a click finds its job', async () => {
    const { jobs } = await implementation.open();
    const guildId = freshGuild();
    for (let index = 0; index < 30; index += 1) {
      const made = job(`recent${String(index).padStart(2, '0')}`, { guildId, createdAt: 1_000 + index });
      await jobs.save(made);
      await jobs.remember(made);
    }
    const recent = (await jobs.recentOf(guildId, USER)).map((found) => found.id);
    expect(recent).toHaveLength(25);
    expect(recent[0]).toBe('recent29');
    expect(recent.at(-1)).toBe('recent05');
    expect(await jobs.clickedJob(`${guildId}:click`)).toBeUndefined();
    await jobs.recordClick(`${guildId}:click`, 'recent29');
    expect(await jobs.clickedJob(`${guildId}:click`)).toBe('recent29');
  });
});

describe.runIf(implementations.length > 1)('PostgreSQL job store, unreachable', () => {
  it('GIVEN a server that is not there THEN opening fails as the store being unavailable, not a crash', async () => {
    const error: unknown = await Database.open('postgres://postgres@127.0.0.1:9/test', logger).catch(
      (caught: unknown) => caught,
    );
    expect(isStoreUnavailable(error)).toBe(true);
  });
});
