import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobService } from '../../src/jobs/service.js';
import type { Job } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { openKeyv } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';
import { makeJob } from '../fixtures/jobs.js';

const logger = createLogger({ level: 'silent' });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function service() {
  const keyv = await openKeyv(`sqlite://${join(mkdtempSync(join(tmpdir(), 'service-')), 'bot.sqlite')}`, logger);
  const stores = createStores(keyv, logger);
  const changes: [string, string][] = [];
  const jobs = new JobService({
    stores,
    adapters: new Map(),
    logger,
    onChange: (job: Job, change) => changes.push([job.id, change]),
    loadImage: () => Promise.reject(new Error('not used')),
    limits: () => Promise.resolve({ concurrency: 3, queueLimit: 10 }),
  });
  closers.push(async () => {
    await jobs.stop();
    await keyv.disconnect();
  });
  return { stores, jobs, changes };
}

describe('JobService.resume', () => {
  it('GIVEN an unfinished job whose provider is no longer configured THEN it fails with a clear message instead of hanging', async () => {
    const { stores, jobs, changes } = await service();
    await stores.jobs.save(
      makeJob({ id: 'orphan01', provider: 'apixo', state: 'running', taskId: 't1', messageId: '1' }),
    );
    expect(await jobs.resume(['1100000000000000010'])).toBe(1);
    const job = await stores.jobs.get('orphan01');
    expect(job?.state).toBe('failed');
    expect(job?.failure?.userMessage).toMatch(/no longer configured/);
    expect(changes).toEqual([['orphan01', 'final']]);
    // Failed, and waiting for its message to say so: it stays open until the publisher has shown it.
    expect(
      (await stores.jobs.openIn('1100000000000000010')).map((open) => [open.id, open.publishSeq, open.publishedSeq]),
    ).toEqual([['orphan01', 1, 0]]);
  });

  it('GIVEN jobs of another guild THEN this process leaves them alone', async () => {
    const { stores, jobs } = await service();
    await stores.jobs.save(makeJob({ id: 'elsewhere', guildId: 'other', state: 'running', taskId: 't2' }));
    expect(await jobs.resume(['1100000000000000010'])).toBe(0);
    expect((await stores.jobs.get('elsewhere'))?.state).toBe('running');
  });
});
