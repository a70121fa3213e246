import { afterEach, describe, expect, it } from 'vitest';
import { BullmqStepQueue } from '../../src/jobs/queue/bullmq-step-queue.js';
import { Poller } from '../../src/jobs/poller.js';
import type { Step, StepQueue } from '../../src/jobs/step-queue.js';
import { createLogger } from '../../src/logger.js';
import { reachable, TEST_REDIS_URL, uniqueName } from '../services.js';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Made {
  queue: StepQueue;
  /** Resolves once plans made so far are recorded (BullMQ writes them to Redis). */
  flushed(): Promise<void>;
}

/** One implementation: `make()` is one process's queue; several on one prefix are several processes. */
interface Implementation {
  name: string;
  shared: boolean;
  make(step: Step, options?: { ratePerSecond?: number; lockDurationMs?: number }): Promise<Made>;
  crash(made: Made): Promise<void>;
  cleanUp(): Promise<void>;
}

const pollers: Poller[] = [];
const poller: Implementation = {
  name: 'Poller (one process)',
  shared: false,
  make(step, options = {}) {
    const queue = new Poller(step, {
      logger,
      ...(options.ratePerSecond ? { ratePerSecond: options.ratePerSecond } : {}),
    });
    pollers.push(queue);
    return Promise.resolve({ queue, flushed: () => Promise.resolve() });
  },
  async crash(made) {
    await made.queue.stop();
  },
  cleanUp() {
    for (const queue of pollers.splice(0)) queue.stop();
    return Promise.resolve();
  },
};

function bullmq(): Implementation {
  let prefix = uniqueName('steps');
  const made: BullmqStepQueue[] = [];
  return {
    name: 'BullMQ on Redis (several processes)',
    shared: true,
    async make(step, options = {}) {
      const queue = await BullmqStepQueue.open({
        redisUrl: TEST_REDIS_URL,
        providers: ['kie'],
        step,
        logger,
        prefix,
        ...options,
      });
      made.push(queue);
      return { queue, flushed: () => queue.flushed() };
    },
    async crash(instance) {
      await (instance.queue as BullmqStepQueue).crash();
    },
    async cleanUp() {
      await made[0]?.obliterate();
      await Promise.all(made.splice(0).map((queue) => queue.stop()));
      prefix = uniqueName('steps');
    },
  };
}

const implementations = [poller, ...((await reachable('redis')) ? [bullmq()] : [])];

describe.each(implementations)('step queue contract: $name', (implementation) => {
  afterEach(async () => {
    await implementation.cleanUp();
  });

  /** Step runs of each job, with when they started. */
  function recorder(body: (jobId: string, runs: number) => Promise<void> = () => Promise.resolve()) {
    const runs: { jobId: string; at: number }[] = [];
    const step: Step = async (jobId) => {
      runs.push({ jobId, at: Date.now() });
      await body(jobId, runs.filter((run) => run.jobId === jobId).length);
    };
    return { runs, step };
  }

  it('GIVEN a step planned 300 ms ahead THEN it runs once, not before', async () => {
    const { runs, step } = recorder();
    const { queue, flushed } = await implementation.make(step);
    const planned = Date.now() + 300;
    queue.schedule('planjob1', 'kie', planned);
    await flushed();
    await sleep(900);
    expect(runs.map((run) => run.jobId)).toEqual(['planjob1']);
    expect(runs[0]!.at).toBeGreaterThanOrEqual(planned - 5);
  });

  it('GIVEN a step that plans the next one THEN the job steps again and again until it stops planning', async () => {
    const holder: { queue?: StepQueue } = {};
    const { runs, step } = recorder((jobId, count) => {
      if (count < 3) holder.queue?.schedule(jobId, 'kie', Date.now() + 100);
      return Promise.resolve();
    });
    const made = await implementation.make(step);
    holder.queue = made.queue;
    made.queue.schedule('chainjob', 'kie', Date.now());
    await made.flushed();
    await sleep(1_200);
    expect(runs.map((run) => run.jobId)).toEqual(['chainjob', 'chainjob', 'chainjob']);
    expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(95);
  });

  it('GIVEN a plan cancelled, and a plan replaced by an earlier one THEN the first never runs and the second runs once, early', async () => {
    const { runs, step } = recorder();
    const { queue, flushed } = await implementation.make(step);
    queue.schedule('cancelme', 'kie', Date.now() + 300);
    queue.schedule('moveme1', 'kie', Date.now() + 5_000);
    await flushed();
    queue.cancel('cancelme');
    queue.schedule('moveme1', 'kie', Date.now() + 100);
    await flushed();
    await sleep(900);
    expect(runs.map((run) => run.jobId)).toEqual(['moveme1']);
  });

  it('GIVEN a step that throws THEN it runs again later (about a second), and others are not held up', async () => {
    const { runs, step } = recorder((jobId, count) =>
      jobId === 'failjob1' && count === 1 ? Promise.reject(new Error('store down')) : Promise.resolve(),
    );
    const { queue, flushed } = await implementation.make(step);
    queue.schedule('failjob1', 'kie', Date.now());
    queue.schedule('okayjob1', 'kie', Date.now() + 50);
    await flushed();
    await sleep(2_000);
    const failing = runs.filter((run) => run.jobId === 'failjob1');
    expect(failing).toHaveLength(2);
    expect(failing[1]!.at - failing[0]!.at).toBeGreaterThanOrEqual(900);
    expect(runs.filter((run) => run.jobId === 'okayjob1')).toHaveLength(1);
  });

  it('GIVEN 20 steps due at once and 5 requests per second (over two processes where shared) THEN they start at 5 per second', async () => {
    const { runs, step } = recorder();
    const first = await implementation.make(step, { ratePerSecond: 5 });
    const second = implementation.shared ? await implementation.make(step, { ratePerSecond: 5 }) : first;
    const start = Date.now();
    for (let index = 0; index < 20; index += 1)
      (index % 2 ? second : first).queue.schedule(`ratejob${index}`, 'kie', start);
    await Promise.all([first.flushed(), second.flushed()]);
    await sleep(2_500);
    const times = runs.map((run) => run.at).sort((a, b) => a - b);
    const firstAt = times[0] ?? 0;
    expect(times.length).toBeGreaterThanOrEqual(10);
    // Within t ms of the first start, at most one second's burst plus the rate over t (a token
    // bucket and a fixed window both allow that much; two processes each at the rate would not).
    for (const span of [500, 1_000, 1_500, 2_000]) {
      const started = times.filter((time) => time <= firstAt + span).length;
      expect(started, `within ${span} ms`).toBeLessThanOrEqual(5 * (span / 1_000 + 1) + 1);
    }
  });

  it('GIVEN a step in flight THEN pause waits for it to finish', async () => {
    let finished = false;
    const { step } = recorder(async () => {
      await sleep(400);
      finished = true;
    });
    const { queue, flushed } = await implementation.make(step);
    queue.schedule('slowjob1', 'kie', Date.now());
    await flushed();
    await sleep(200);
    await queue.pause(5_000);
    expect(finished).toBe(true);
  });

  it.runIf(implementation.shared)(
    'GIVEN the process running a step dies THEN another process runs it after the lock expires, never both at once',
    async () => {
      const active = new Set<string>();
      let overlapped = false;
      const { runs, step } = recorder(async (jobId, count) => {
        if (active.has(jobId)) overlapped = true;
        active.add(jobId);
        // The first run hangs, as a process that stopped answering would.
        if (count === 1) await new Promise(() => undefined);
        active.delete(jobId);
      });
      const dying = await implementation.make(step, { lockDurationMs: 1_000 });
      dying.queue.schedule('stalljob', 'kie', Date.now());
      await dying.flushed();
      await sleep(300);
      expect(runs).toHaveLength(1);
      const crashedAt = Date.now();
      await implementation.crash(dying);
      active.clear();
      await implementation.make(step, { lockDurationMs: 1_000 });
      await sleep(5_000);
      expect(runs).toHaveLength(2);
      // BullMQ's stall check marks a job whose lock has expired, then moves it at its next pass.
      expect(runs[1]!.at - crashedAt).toBeLessThan(1_000 + 2 * 1_000 + 1_500);
      expect(overlapped).toBe(false);
    },
  );
});
