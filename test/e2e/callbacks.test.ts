import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_MESSAGES } from '../../src/providers/errors.js';
import { finished, jobIdOf, startE2E, type E2E } from './support.js';

/** Providers that call back: the bot tells them where, and then barely polls. */
describe.each(['kie', 'apixo', 'acedata'] as const)('%s with callbacks', (provider) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E(provider, { callbacks: true });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a callback URL THEN results arrive with at most one status query per job', async () => {
    const simulator = e2e.sandbox.simulators.get(provider)!;
    const before = simulator.requests.filter((entry) => entry.kind === 'status').length;
    const grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a windmill at noon'), finished, 20_000);
    expect(grid.attachments).toHaveLength(1);
    expect(simulator.requests.filter((entry) => entry.kind === 'status').length - before).toBeLessThanOrEqual(1);
    expect(simulator.callbacks.deliveries.some((delivery) => delivery.status === 200)).toBe(true);
  });

  it('GIVEN a callback that arrives while its submit is still returning THEN the job keeps its images and its buttons work', async () => {
    const simulator = e2e.sandbox.simulators.get(provider)!;
    // The task starts and calls back at once; the answer to the submit takes 1.5 s more.
    simulator.faults.add({ kind: 'slow_response', on: 'submit', count: 1, delayMs: 1_500, target: 'next' });
    const deliveriesBefore = simulator.callbacks.deliveries.length;
    const grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a kite in a storm'), finished, 30_000);
    expect(grid.attachments).toHaveLength(1);
    expect(simulator.callbacks.deliveries.length).toBeGreaterThan(deliveriesBefore);
    const job = (await e2e.sandbox.bot!.context.stores.jobs.get(jobIdOf(grid)))!;
    expect(job).toMatchObject({ state: 'succeeded', callbackSeen: true });
    expect(job.images?.length ?? (job.gridImage ? 4 : 0)).toBeGreaterThan(0);
    const upscale = await e2e.resultOf(await e2e.click(e2e.seed.users.alice, grid, 'U1'), finished, 30_000);
    expect(upscale.attachments).toHaveLength(1);
  });

  it('GIVEN the provider rejects the content THEN the user reads why, even when the callback itself gives no reason', async () => {
    const simulator = e2e.sandbox.simulators.get(provider)!;
    simulator.faults.add({ kind: 'content_rejected', on: 'submit', count: 1, target: 'next' });
    const failed = await e2e.resultOf(
      await e2e.imagine(e2e.seed.users.bob, 'a harmless teapot'),
      (message) => message.content.includes('(failed)'),
      20_000,
    );
    expect(failed.content).toContain(USER_MESSAGES.content_rejected);
  });

  it('GIVEN a callback with a wrong secret, for an unknown job, or with a malformed body THEN it is rejected and changes nothing', async () => {
    const bot = e2e.sandbox.bot!;
    const base = `http://127.0.0.1:${bot.callbackPort!}`;
    const grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a copper kettle'), finished, 20_000);
    const job = (await bot.context.stores.jobs.get(jobIdOf(grid)))!;
    const post = async (path: string, body: string) => {
      const response = await request(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.body.dump();
      return response.statusCode;
    };
    expect(await post(`/callbacks/${provider}/${job.id}/${'0'.repeat(32)}`, '{}')).toBe(404);
    expect(await post(`/callbacks/${provider}/zzzzzzzz/${job.callbackSecret!}`, '{}')).toBe(404);
    expect(await post(`/callbacks/kie-other/${job.id}/${job.callbackSecret!}`, '{}')).toBe(404);
    expect(await post(`/callbacks/${provider}/${job.id}/${job.callbackSecret!}`, 'not json')).toBe(400);
    expect(await post(`/callbacks/${provider}/${job.id}/${job.callbackSecret!}`, '{"unexpected":true}')).toBe(400);
    expect((await bot.context.stores.jobs.get(job.id))?.state).toBe('succeeded');
  });
});
