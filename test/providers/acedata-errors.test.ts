import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/errors.js';
import type { SubmitRequest, TaskUpdate } from '../../src/providers/types.js';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import { adapterFor, call, inject, KEY, prompt, startSimulator } from './acedata-support.js';
import { capturingLogger, finish, parentOf } from './support.js';

const imagine: SubmitRequest = { prompt: prompt('a quiet forest') };

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('AceData adapter errors against its simulator', () => {
  let simulator: AcedataSimulator;
  let grid: TaskUpdate;
  let upscaled: TaskUpdate;

  beforeAll(async () => {
    simulator = await startSimulator();
    const adapter = adapterFor(simulator);
    grid = await finish(adapter, (await adapter.submit(imagine, call())).taskId);
    const parent = parentOf(grid, 'imagine', imagine.prompt);
    upscaled = await finish(
      adapter,
      (await adapter.submit({ followUp: { action: 'upscale', index: 1, type: 'default' }, parent }, call())).taskId,
    );
  });
  afterAll(async () => simulator.stop());

  it('GIVEN a wrong key THEN auth, with the provider code kept for the log and no key in any message', async () => {
    const error = await failure(adapterFor(simulator, { key: 'wrong-key-987654' }).submit(imagine, call()));
    expect(error).toMatchObject({ code: 'auth', status: 401, providerCode: 'invalid_token' });
    expect(error.message).toMatch(
      /^acedata POST \/midjourney\/imagine \(trace [0-9a-f-]{36}\): HTTP 401 invalid_token/,
    );
    for (const text of [error.message, error.userMessage, JSON.stringify(error.toJSON())]) {
      expect(text).not.toContain('wrong-key-987654');
      expect(text).not.toContain(KEY);
    }
  });

  it('GIVEN the balance is used up (403 used_up) THEN credits, not auth', async () => {
    inject(simulator, { kind: 'credits', on: 'submit' });
    const error = await failure(adapterFor(simulator).submit(imagine, call()));
    expect(error).toMatchObject({ code: 'credits', status: 403, providerCode: 'used_up' });
  });

  it('GIVEN a 429 with a short Retry-After THEN the submit waits it out and succeeds', async () => {
    inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 0.2 });
    const before = simulator.requests.length;
    const started = Date.now();
    const submitted = await adapterFor(simulator).submit(imagine, call());
    expect(submitted.state).toBe('queued');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(simulator.requests.slice(before).map((entry) => entry.status)).toEqual([429, 200]);
  });

  it('GIVEN a 429 with a long Retry-After THEN rate_limited carrying the wait', async () => {
    inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 90 });
    const error = await failure(adapterFor(simulator).submit(imagine, call()));
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterMs: 90_000,
      providerCode: 'too_many_requests',
    });
  });

  it('GIVEN moderation rejects the prompt THEN the task fails with content_rejected', async () => {
    inject(simulator, { kind: 'content_rejected', on: 'submit' });
    const adapter = adapterFor(simulator);
    const done = await finish(adapter, (await adapter.submit(imagine, call())).taskId);
    expect(done.state).toBe('failed');
    expect(done.failure).toMatchObject({ code: 'content_rejected', providerCode: 'forbidden' });
    expect(done.failure?.providerMessage).toMatch(/Banned prompt/);
  });

  it('GIVEN a flag Midjourney does not know on an image job THEN the task fails as invalid_input with its words', async () => {
    const adapter = adapterFor(simulator);
    // The bot refuses --motion itself; sent raw, the Midjourney bot behind AceData refuses it too.
    const done = await finish(
      adapter,
      (await adapter.submit({ prompt: prompt('waves', { motion: 'high' }) }, call())).taskId,
    );
    expect(done.failure).toMatchObject({ code: 'invalid_input', providerCode: 'bad_request' });
    // Midjourney's own words, without its markdown: they go into a public message.
    expect(done.failure?.userMessage).toContain('Unrecognized argument(s): --motion');
  });

  it('GIVEN an action the parent does not offer THEN the 400 bad_request becomes invalid_input', async () => {
    // The job store says "one image", but the handle is a grid's: AceData refuses upscale_2x there.
    const parent = { ...parentOf(grid, 'upscale', imagine.prompt), imageCount: 1 };
    const error = await failure(
      adapterFor(simulator).submit({ followUp: { action: 'upscale', index: 1, type: '2x' }, parent }, call()),
    );
    expect(error).toMatchObject({ code: 'invalid_input', status: 400, providerCode: 'bad_request' });
    expect(error.providerMessage).toContain('upscale_2x is not available');
  });

  it('GIVEN an unknown image_id THEN invalid_input', async () => {
    const parent = { ...parentOf(grid, 'imagine', imagine.prompt), handle: '1999999999999999999' };
    const error = await failure(
      adapterFor(simulator).submit({ followUp: { action: 'vary', index: 2, strength: 'strong' }, parent }, call()),
    );
    expect(error).toMatchObject({ code: 'invalid_input', status: 400 });
  });

  it.each([
    [
      'Vary (Subtle) on a grid',
      (): SubmitRequest => ({
        followUp: { action: 'vary', index: 1, strength: 'subtle' },
        parent: parentOf(grid, 'imagine', imagine.prompt),
      }),
    ],
    [
      'Upscale (Creative) on a grid',
      (): SubmitRequest => ({
        followUp: { action: 'upscale', index: 1, type: 'creative' },
        parent: parentOf(grid, 'imagine', imagine.prompt),
      }),
    ],
    [
      'zoom on a grid',
      (): SubmitRequest => ({
        followUp: { action: 'zoom', index: 2, factor: 2 },
        parent: parentOf(grid, 'imagine', imagine.prompt),
      }),
    ],
    [
      'reroll of an upscale',
      (): SubmitRequest => ({ followUp: { action: 'reroll' }, parent: parentOf(upscaled, 'upscale', imagine.prompt) }),
    ],
  ])('GIVEN %s THEN unsupported, without calling AceData', async (_title, build) => {
    const before = simulator.requests.length;
    const error = await failure(adapterFor(simulator).submit(build(), call()));
    expect(error.code).toBe('unsupported');
    expect(simulator.requests.length).toBe(before);
  });

  it('GIVEN a 500 on submit THEN transient, and the submit is not repeated', async () => {
    inject(simulator, { kind: 'server_error', on: 'submit' });
    const before = simulator.requests.length;
    const error = await failure(adapterFor(simulator).submit(imagine, call()));
    expect(error).toMatchObject({ code: 'transient', status: 500, providerCode: 'api_error' });
    expect(simulator.requests.length - before).toBe(1);
  });

  it('GIVEN a 502 on a status query THEN it is retried and succeeds', async () => {
    inject(simulator, { kind: 'server_error', on: 'status', status: 502 });
    const update = await adapterFor(simulator).status(grid.taskId, call());
    expect(update.state).toBe('succeeded');
  });

  it('GIVEN a truncated JSON body THEN transient', async () => {
    inject(simulator, { kind: 'malformed_json', on: 'submit' });
    expect((await failure(adapterFor(simulator).submit(imagine, call()))).code).toBe('transient');
  });

  it('GIVEN AceData never answers THEN the adapter gives up after its header timeout, as transient', async () => {
    inject(simulator, { kind: 'timeout', on: 'submit' });
    const started = Date.now();
    const error = await failure(
      adapterFor(simulator, { timeouts: { headers: 150, body: 150 } }).submit(imagine, call()),
    );
    expect(error.code).toBe('transient');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('GIVEN an aborted signal THEN the call stops with a ProviderError', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(adapterFor(simulator).status(grid.taskId, { signal: controller.signal }));
    expect(error.code).toBe('transient');
  });

  it('GIVEN an unknown task id THEN invalid_input, not an endless "running"', async () => {
    const error = await failure(adapterFor(simulator).status('00000000-0000-0000-0000-000000000000', call()));
    expect(error).toMatchObject({ code: 'invalid_input', status: 404 });
  });

  it('GIVEN expired result URLs THEN the image link answers with an error', async () => {
    inject(simulator, { kind: 'expired_urls', on: 'submit' });
    const adapter = adapterFor(simulator);
    const done = await finish(adapter, (await adapter.submit(imagine, call())).taskId);
    const image = done.images?.[0];
    const url = image?.kind === 'url' ? image.url : '';
    const { request } = await import('undici');
    const response = await request(url);
    await response.body.dump();
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('GIVEN failures and successes at trace level THEN the key never appears in the logs', async () => {
    const { logger, lines } = capturingLogger();
    const adapter = adapterFor(simulator, { logger });
    inject(simulator, { kind: 'server_error', on: 'status' });
    const submitted = await adapter.submit(imagine, call({ logger }));
    await finish(adapter, submitted.taskId);
    inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 0.05 });
    await adapter.submit(imagine, call({ logger }));
    await adapterFor(simulator, { key: 'another-wrong-key', logger })
      .submit(imagine, call({ logger }))
      .catch((error: unknown) => logger.error({ err: error }, 'submit failed'));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join('\n')).not.toContain(KEY);
    expect(lines.join('\n')).not.toContain('another-wrong-key');
  });
});

describe('AceData credits as a 402', () => {
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    simulator = await startSimulator({ creditsStatus: 402 });
  });
  afterAll(async () => simulator.stop());

  it('GIVEN a 402 THEN credits', async () => {
    inject(simulator, { kind: 'credits', on: 'submit' });
    expect(await failure(adapterFor(simulator).submit(imagine, call()))).toMatchObject({
      code: 'credits',
      status: 402,
    });
  });

  it('GIVEN an auth fault THEN auth', async () => {
    inject(simulator, { kind: 'auth', on: 'status' });
    expect(await failure(adapterFor(simulator).status('anything', call()))).toMatchObject({
      code: 'auth',
      status: 401,
    });
  });
});
