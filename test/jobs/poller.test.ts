import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Poller } from '../../src/jobs/poller.js';
import { createLogger } from '../../src/logger.js';

const logger = createLogger({ level: 'silent', destination: { write: () => undefined } });

describe('Poller', () => {
  it('GIVEN due steps while it must yield THEN none starts until yielding ends, then all run', async () => {
    const ran: string[] = [];
    let yielding = true;
    const poller = new Poller(
      async (jobId) => {
        ran.push(jobId);
        await Promise.resolve();
      },
      { logger, yieldWhile: () => yielding },
    );
    poller.schedule('a', 'kie', Date.now());
    poller.schedule('b', 'kie', Date.now());
    await sleep(60);
    expect(ran).toEqual([]);
    yielding = false;
    await sleep(60);
    expect(ran.sort()).toEqual(['a', 'b']);
    poller.stop();
  });

  it('GIVEN steps due at different times on two providers THEN they start in due order, across providers', async () => {
    const ran: string[] = [];
    const poller = new Poller(
      (jobId) => {
        ran.push(jobId);
        return Promise.resolve();
      },
      { logger, maxConcurrent: 1, ratePerSecond: 1_000 },
    );
    const now = Date.now();
    poller.schedule('kie-late', 'kie', now + 30);
    poller.schedule('apixo-first', 'apixo', now);
    poller.schedule('kie-second', 'kie', now + 10);
    poller.schedule('apixo-third', 'apixo', now + 20);
    await sleep(120);
    expect(ran).toEqual(['apixo-first', 'kie-second', 'apixo-third', 'kie-late']);
    poller.stop();
  });

  it('GIVEN a plan replaced and one cancelled THEN only the current plans run, each once', async () => {
    const ran: string[] = [];
    const poller = new Poller(
      (jobId) => {
        ran.push(jobId);
        return Promise.resolve();
      },
      { logger },
    );
    const now = Date.now();
    poller.schedule('moved', 'kie', now);
    poller.schedule('moved', 'kie', now + 40);
    poller.schedule('dropped', 'kie', now);
    poller.cancel('dropped');
    await sleep(20);
    expect(ran).toEqual([]);
    await sleep(80);
    expect(ran).toEqual(['moved']);
    expect(poller.size).toBe(0);
    poller.stop();
  });

  it("GIVEN one provider out of tokens THEN the other provider's due steps still start", async () => {
    const ran: string[] = [];
    // The poller's clock stands still unless moved: the tokens refill only when the test says.
    let clock = Date.now();
    const poller = new Poller(
      (jobId) => {
        ran.push(jobId);
        return Promise.resolve();
      },
      { logger, ratePerSecond: 2, now: () => clock },
    );
    for (let index = 0; index < 5; index++) poller.schedule(`kie-${index}`, 'kie', clock);
    poller.schedule('apixo-0', 'apixo', clock);
    await sleep(60);
    // Two tokens a second each: kie has spent its burst, apixo has not.
    expect(ran.filter((id) => id.startsWith('kie'))).toEqual(['kie-0', 'kie-1']);
    expect(ran).toContain('apixo-0');
    clock += 1_000;
    await sleep(700);
    expect(ran.filter((id) => id.startsWith('kie'))).toEqual(['kie-0', 'kie-1', 'kie-2', 'kie-3']);
    poller.stop();
  });

  it('GIVEN a step that throws THEN it runs again later, and the others are not held up', async () => {
    const ran: string[] = [];
    let failed = false;
    const poller = new Poller(
      (jobId) => {
        ran.push(jobId);
        if (jobId === 'flaky' && !failed) {
          failed = true;
          return Promise.reject(new Error('provider down'));
        }
        return Promise.resolve();
      },
      { logger },
    );
    poller.schedule('flaky', 'kie', Date.now());
    poller.schedule('steady', 'kie', Date.now() + 5);
    await sleep(50);
    expect(ran).toEqual(['flaky', 'steady']);
    // The retry is planned (a second or more away), not dropped.
    expect(poller.size).toBe(1);
    poller.stop();
  });

  it('GIVEN 10,000 jobs due over time THEN each runs once and maxConcurrent is never exceeded', async () => {
    let running = 0;
    let peak = 0;
    const ran = new Map<string, number>();
    const poller = new Poller(
      async (jobId) => {
        running++;
        peak = Math.max(peak, running);
        ran.set(jobId, (ran.get(jobId) ?? 0) + 1);
        await Promise.resolve();
        running--;
      },
      { logger, maxConcurrent: 16, ratePerSecond: 1_000_000 },
    );
    const now = Date.now();
    for (let index = 0; index < 10_000; index++)
      poller.schedule(`job-${index}`, ['kie', 'apixo', 'cloudsway-mj'][index % 3]!, now + (index % 50));
    for (let waited = 0; ran.size < 10_000 && waited < 5_000; waited += 20) await sleep(20);
    expect(ran.size).toBe(10_000);
    expect([...ran.values()].every((count) => count === 1)).toBe(true);
    expect(peak).toBeLessThanOrEqual(16);
    poller.stop();
  });
});
