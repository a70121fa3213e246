import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskUpdate } from '../../src/providers/types.js';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import { adapterFor, call, inject, KEY, prompt, startSimulator } from './acedata-support.js';
import { finish } from './support.js';

/** A tiny callback receiver: records every JSON body; the first `failFirst` deliveries get a 500. */
async function receiver(failFirst = 0): Promise<{ url: string; bodies: unknown[]; close: () => Promise<void> }> {
  const bodies: unknown[] = [];
  let calls = 0;
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      calls += 1;
      if (calls <= failFirst) {
        response.writeHead(500).end();
        return;
      }
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/acedata`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = read();
    if (value !== undefined) return value;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('AceData callbacks', () => {
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterAll(async () => simulator.stop());

  it('GIVEN a callback URL THEN it is sent, the result arrives by POST, and a repeat parses to the same update', async () => {
    const hook = await receiver();
    const adapter = adapterFor(simulator);
    const submitted = await adapter.submit({ prompt: prompt('a lantern') }, call({ callbackUrl: hook.url }));
    expect(simulator.submissions.at(-1)).toMatchObject({ callback_url: hook.url, async: true });
    const body = await until(() => hook.bodies[0], 'the callback');
    const update = adapter.parseCallback(body);
    expect(update).toMatchObject({ taskId: submitted.taskId, state: 'succeeded', progress: 100 });
    expect(update.images).toHaveLength(4);
    expect(update.handle).toMatch(/^\d+$/);
    expect(adapter.parseCallback(structuredClone(body))).toEqual(update);
    // The callback and a poll agree.
    expect(await adapter.status(submitted.taskId, call())).toEqual(update);
    await hook.close();
  });

  it('GIVEN the receiver fails at first THEN the simulator retries and the retry carries the same result', async () => {
    const hook = await receiver(1);
    const adapter = adapterFor(simulator);
    const submitted = await adapter.submit({ prompt: prompt('a kite') }, call({ callbackUrl: hook.url }));
    const body = await until(() => hook.bodies[0], 'the retried callback');
    expect(adapter.parseCallback(body).taskId).toBe(submitted.taskId);
    const statuses = () =>
      simulator.callbacks.deliveries.filter((delivery) => delivery.url === hook.url).map((delivery) => delivery.status);
    await until(() => (statuses().length === 2 ? true : undefined), 'the delivery record');
    expect(statuses()).toEqual([500, 200]);
    await hook.close();
  });

  it('GIVEN a rejected prompt THEN the failure callback parses to content_rejected', async () => {
    const hook = await receiver();
    inject(simulator, { kind: 'content_rejected', on: 'submit' });
    const adapter = adapterFor(simulator);
    const submitted = await adapter.submit({ prompt: prompt('something') }, call({ callbackUrl: hook.url }));
    const body = await until(() => hook.bodies[0], 'the failure callback');
    expect(body).toMatchObject({ success: false, task_id: submitted.taskId, error: { code: 'forbidden' } });
    expect(adapter.parseCallback(body)).toMatchObject({ state: 'failed', failure: { code: 'content_rejected' } });
    await hook.close();
  });

  it('GIVEN an ndjson request with a callback THEN progress callbacks read as running and the last as succeeded', async () => {
    const hook = await receiver();
    // Slower than the rest so the 20 ms callback ticker sees every progress step (45 s → 450 ms).
    const slow = await startSimulator({ timeScale: 0.01 });
    const response = await request(`${slow.baseUrl}/midjourney/imagine`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ prompt: 'a comet', callback_url: hook.url, split_images: true }),
    });
    const { task_id: taskId } = (await response.body.json()) as { task_id: string };
    const adapter = adapterFor(simulator);
    await until(
      () => hook.bodies.find((body) => (body as { progress?: number }).progress === 100),
      'the final callback',
    );
    const updates = hook.bodies.map((body) => adapter.parseCallback(body));
    expect(updates.length).toBeGreaterThan(1);
    expect(
      updates
        .slice(0, -1)
        .every((update) => update.state === 'running' && update.taskId === taskId && update.previewUrl !== undefined),
    ).toBe(true);
    expect(updates.at(-1)).toMatchObject({ state: 'succeeded', taskId });
    await slow.stop();
    await hook.close();
  });

  it('GIVEN a body that is not an AceData result THEN invalid_input', () => {
    const adapter = adapterFor(simulator);
    expect(() => adapter.parseCallback({ hello: 'world' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => adapter.parseCallback('nope')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('AceData synchronous mode (the simulator, spoken to directly)', () => {
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    simulator = await startSimulator({ timeScale: 0.005 });
  });
  afterAll(async () => simulator.stop());

  const post = async (body: unknown) => {
    const response = await request(`${simulator.baseUrl}/midjourney/imagine`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
  };

  it('GIVEN no async and no callback THEN the request is held until the grid is done (about 45 simulated seconds)', async () => {
    const started = Date.now();
    const { status, body } = await post({ prompt: 'a bridge at dusk' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45_000 * 0.005 * 0.9);
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, progress: 100, sub_image_urls: [] });
    expect(body.actions).toContain('upscale1');
  });

  it('GIVEN a timeout shorter than the job THEN a timeout failure comes back after that time', async () => {
    const started = Date.now();
    const { status, body } = await post({ prompt: 'a tower', mode: 'relax', timeout: 10 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(10_000 * 0.005 * 0.9);
    expect(elapsed).toBeLessThan(180_000 * 0.005);
    expect(status).toBe(500);
    expect(body).toMatchObject({ success: false, error: { code: 'timeout' } });
    expect(simulator.book.get(String(body.task_id))).toBeDefined();
  });

  it('GIVEN a missing image_id for a follow-up THEN 400 bad_request in AceData form', async () => {
    const { status, body } = await post({ action: 'upscale1' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ success: false, error: { code: 'bad_request' } });
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('AceData task records: both readings of the undocumented parts', () => {
  it('GIVEN records with a top-level state and no partial response THEN the state words drive queued/running/succeeded/failed', async () => {
    const simulator = await startSimulator({ stateField: true, runningResponse: false, timeScale: 0.01 });
    try {
      const adapter = adapterFor(simulator);
      const seen: TaskUpdate[] = [];
      const done = await finish(adapter, (await adapter.submit({ prompt: prompt('a moth') }, call())).taskId, { seen });
      expect(done.state).toBe('succeeded');
      const before = seen.slice(0, -1);
      expect(before.some((update) => update.state === 'running' && update.statusText === 'processing')).toBe(true);
      expect(before.every((update) => (update.statusText === 'pending' ? 'queued' : 'running') === update.state)).toBe(
        true,
      );

      inject(simulator, { kind: 'content_rejected', on: 'submit' });
      const failed = await finish(adapter, (await adapter.submit({ prompt: prompt('a moth') }, call())).taskId);
      expect(failed).toMatchObject({ state: 'failed', failure: { code: 'content_rejected' } });
    } finally {
      await simulator.stop();
    }
  });

  it('GIVEN running records without any response THEN updates stay queued until the result appears', async () => {
    const simulator = await startSimulator({ runningResponse: false });
    try {
      const adapter = adapterFor(simulator);
      const seen: TaskUpdate[] = [];
      const done = await finish(adapter, (await adapter.submit({ prompt: prompt('a moth') }, call())).taskId, { seen });
      expect(done.state).toBe('succeeded');
      expect(seen.slice(0, -1).every((update) => update.state === 'queued' && update.progress === undefined)).toBe(
        true,
      );
    } finally {
      await simulator.stop();
    }
  });
});
