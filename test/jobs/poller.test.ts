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
});
