import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import type { ProviderError } from '../../src/providers/errors.js';
import { KieAdapter } from '../../src/providers/kie.js';
import type { TaskUpdate } from '../../src/providers/types.js';
import { KieSimulator } from '../../src/sandbox/providers/kie-simulator.js';
import { sizeForAspect } from '../../src/sandbox/providers/kit/images.js';
import {
  capturingLogger,
  expectProviderError,
  fetchImage,
  finish,
  inject,
  makeAdapterFor,
  parentOf,
  pngSize,
  prompt,
  urlOf,
} from './support.js';

const KEY = 'kie-secret-key-0d4e8b6a';
const EDGE = 64;
const silent = pino({ level: 'silent' });
const signal = () => AbortSignal.timeout(10_000);

const adapterFor = makeAdapterFor(KieAdapter, (simulator: KieSimulator) => ({
  baseUrl: simulator.baseUrl,
  key: KEY,
  logger: silent,
}));

// Whether Kie's HTTP status mirrors the body's code is UNKNOWN: every test runs against both.
describe.each(['always200', 'mirror'] as const)('Kie adapter against its simulator (HTTP status: %s)', (httpStatus) => {
  let simulator: KieSimulator;
  let adapter: KieAdapter;

  beforeAll(async () => {
    simulator = await new KieSimulator({ key: KEY, timeScale: 0.001, imageEdge: EDGE, httpStatus }).start();
    adapter = adapterFor(simulator);
  });
  afterAll(() => simulator.stop());
  afterEach(() => simulator.faults.clear());

  async function imagine(text: string): Promise<{ update: TaskUpdate; parsed: ParsedPrompt }> {
    const parsed = prompt(text);
    const submitted = await adapter.submit({ prompt: parsed }, { signal: signal() });
    expect(submitted.state).toBe('queued');
    return { update: await finish(adapter, submitted.taskId), parsed };
  }

  const submitted = (taskId: string) => simulator.submissions.find((submission) => submission.taskId === taskId)!;

  describe('imagine', () => {
    it('GIVEN flags THEN a structured generate body and four separate PNGs of the ratio’s size', async () => {
      const { update } = await imagine(
        'a fighter jet over clouds --ar 3:2 --chaos 20 --stylize 400 --weird 200 --v 6.1 --turbo',
      );
      expect(update.state).toBe('succeeded');
      expect(update.images).toHaveLength(4);
      expect(await pngSize(urlOf(update, 2))).toEqual(sizeForAspect('3:2', EDGE));
      const [first, last] = await Promise.all([fetchImage(urlOf(update, 0)), fetchImage(urlOf(update, 3))]);
      expect(first.bytes.equals(last.bytes)).toBe(false);
      const body = submitted(update.taskId).body;
      expect(body).toEqual({
        taskType: 'mj_txt2img',
        prompt: 'a fighter jet over clouds',
        speed: 'turbo',
        aspectRatio: '3:2',
        version: '6.1',
        variety: 20,
        stylization: 400,
        weirdness: 200,
      });
    });

    it('GIVEN image prompts, a style reference or an omni reference THEN the matching taskType is accepted and finishes', async () => {
      for (const [text, taskType] of [
        ['https://example.com/a.png a dog in a park', 'mj_img2img'],
        ['a dog --sref https://example.com/style.png', 'mj_style_reference'],
        ['a dog --oref https://example.com/me.png --ow 250', 'mj_omni_reference'],
      ] as const) {
        const { update } = await imagine(text);
        expect(update.state).toBe('succeeded');
        expect(submitted(update.taskId).body).toMatchObject({ taskType });
      }
    });

    it('GIVEN a task asked about by another adapter instance (another process) THEN the same answer', async () => {
      const { update } = await imagine('a lighthouse');
      expect(await adapterFor(simulator).status(update.taskId, { signal: signal() })).toEqual(update);
    });
  });

  describe('follow-ups', () => {
    let grid: TaskUpdate;
    let parsed: ParsedPrompt;
    beforeAll(async () => {
      ({ update: grid, parsed } = await imagine('a castle --ar 9:16'));
      expect(grid.state).toBe('succeeded');
    });

    it('GIVEN U2 THEN generateUpscale with imageIndex 1 and one larger image of grid image 2', async () => {
      const { taskId } = await adapter.submit(
        { followUp: { action: 'upscale', index: 2, type: 'default' }, parent: parentOf(grid, 'imagine', parsed) },
        { signal: signal() },
      );
      expect(submitted(taskId)).toMatchObject({
        path: '/api/v1/mj/generateUpscale',
        body: { taskId: grid.taskId, imageIndex: 1 },
      });
      expect(simulator.task(taskId)!.parent).toEqual({ taskId: grid.taskId, index: 2 });
      const update = await finish(adapter, taskId);
      expect(update.images).toHaveLength(1);
      expect(await pngSize(urlOf(update, 0))).toEqual(sizeForAspect('9:16', EDGE * 2));
    });

    it('GIVEN U4 and U1 THEN imageIndex 3 and 0 are accepted at the edges of 0–3', async () => {
      for (const [index, sent] of [
        [4, 3],
        [1, 0],
      ] as const) {
        const { taskId } = await adapter.submit(
          { followUp: { action: 'upscale', index, type: 'default' }, parent: parentOf(grid, 'imagine', parsed) },
          { signal: signal() },
        );
        expect(submitted(taskId).body).toMatchObject({ imageIndex: sent });
      }
    });

    it('GIVEN V2 and V4 THEN generateVary with imageIndex 2 and 4 (1-based there) and four new images', async () => {
      for (const index of [2, 4]) {
        const { taskId } = await adapter.submit(
          { followUp: { action: 'vary', index, strength: 'strong' }, parent: parentOf(grid, 'imagine', parsed) },
          { signal: signal() },
        );
        expect(submitted(taskId)).toMatchObject({ path: '/api/v1/mj/generateVary', body: { imageIndex: index } });
        expect(simulator.task(taskId)!.parent).toEqual({ taskId: grid.taskId, index });
        expect((await finish(adapter, taskId)).images).toHaveLength(4);
      }
    });

    it('GIVEN Vary on an upscale THEN its grid image is varied', async () => {
      const upscale = await adapter.submit(
        { followUp: { action: 'upscale', index: 3, type: 'default' }, parent: parentOf(grid, 'imagine', parsed) },
        { signal: signal() },
      );
      const upscaled = await finish(adapter, upscale.taskId);
      const parent = parentOf(upscaled, 'upscale', parsed, { origin: { taskId: grid.taskId, index: 3 } });
      const { taskId } = await adapter.submit(
        { followUp: { action: 'vary', index: 1, strength: 'strong' }, parent },
        { signal: signal() },
      );
      expect(submitted(taskId).body).toMatchObject({ taskId: grid.taskId, imageIndex: 3 });
    });

    it('GIVEN 🔄 THEN the parent prompt is generated again as a new task', async () => {
      const { taskId } = await adapter.submit(
        { followUp: { action: 'reroll' }, parent: parentOf(grid, 'imagine', parsed) },
        { signal: signal() },
      );
      expect(taskId).not.toBe(grid.taskId);
      expect(submitted(taskId)).toMatchObject({
        path: '/api/v1/mj/generate',
        body: { prompt: 'a castle', aspectRatio: '9:16' },
      });
      expect((await finish(adapter, taskId)).images).toHaveLength(4);
    });

    it('GIVEN actions Kie does not offer THEN unsupported and nothing is sent', async () => {
      const before = simulator.submissions.length;
      const parent = parentOf(grid, 'imagine', parsed);
      await expectProviderError(
        adapter.submit({ followUp: { action: 'zoom', index: 1, factor: 2 }, parent }, { signal: signal() }),
        'unsupported',
      );
      await expectProviderError(
        adapter.submit({ followUp: { action: 'pan', index: 1, direction: 'up' }, parent }, { signal: signal() }),
        'unsupported',
      );
      await expectProviderError(
        adapter.submit({ followUp: { action: 'vary', index: 1, strength: 'subtle' }, parent }, { signal: signal() }),
        'unsupported',
      );
      await expectProviderError(
        adapter.submit({ followUp: { action: 'upscale', index: 1, type: 'creative' }, parent }, { signal: signal() }),
        'unsupported',
      );
      expect(simulator.submissions).toHaveLength(before);
    });

    it('GIVEN a parent Kie does not know THEN invalid_input (404)', async () => {
      const missing = parentOf({ ...grid, taskId: 'nope' }, 'imagine', parsed);
      const error = await expectProviderError(
        adapter.submit(
          { followUp: { action: 'upscale', index: 1, type: 'default' }, parent: missing },
          { signal: signal() },
        ),
        'invalid_input',
      );
      expect(error.providerCode).toBe('404');
      expect(error.status).toBe(httpStatus === 'mirror' ? 404 : undefined);
    });
  });

  describe('errors', () => {
    it('GIVEN a wrong key THEN auth', async () => {
      const wrong = new KieAdapter({ baseUrl: simulator.baseUrl, key: 'wrong', logger: silent });
      const error = await expectProviderError(wrong.submit({ prompt: prompt('a cat') }, { signal: signal() }), 'auth');
      expect(error.message).toContain('kie POST /api/v1/mj/generate');
      expect(error.providerCode).toBe('401');
      await expectProviderError(wrong.status('any', { signal: signal() }), 'auth');
    });

    it('GIVEN an empty balance THEN credits (402)', async () => {
      await inject(simulator, { kind: 'credits', on: 'submit' });
      const error = await expectProviderError(
        adapter.submit({ prompt: prompt('a cat') }, { signal: signal() }),
        'credits',
      );
      expect(error.providerCode).toBe('402');
    });

    it('GIVEN a rate limit once on a status query THEN it is retried and answers', async () => {
      const { update } = await imagine('a calm lake');
      await inject(simulator, { kind: 'rate_limited', on: 'status', retryAfterSeconds: 0.05 });
      expect(await adapter.status(update.taskId, { signal: signal() })).toEqual(update);
    });

    it('GIVEN rate limits that do not stop THEN rate_limited', async () => {
      await inject(simulator, { kind: 'rate_limited', on: 'status', retryAfterSeconds: 0.01, count: 5 });
      await expectProviderError(adapter.status('any', { signal: signal() }), 'rate_limited');
    });

    it('GIVEN a prompt the moderation rejects THEN the task fails with content_rejected', async () => {
      await inject(simulator, { kind: 'content_rejected', on: 'submit' });
      const { taskId } = await adapter.submit({ prompt: prompt('something forbidden') }, { signal: signal() });
      expect(await finish(adapter, taskId)).toMatchObject({
        state: 'failed',
        failure: { code: 'content_rejected', providerCode: '400' },
      });
    });

    it('GIVEN a body Kie refuses THEN invalid_input (422) with Kie’s message', async () => {
      const long: ParsedPrompt = { text: 'x'.repeat(2001), imageUrls: [], params: {} };
      const error = await expectProviderError(adapter.submit({ prompt: long }, { signal: signal() }), 'invalid_input');
      expect(error).toMatchObject({
        providerCode: '422',
        providerMessage: expect.stringContaining('prompt') as string,
      });
    });

    it('GIVEN a 500 on submit THEN transient, sent once (the task may exist)', async () => {
      await inject(simulator, { kind: 'server_error', on: 'submit' });
      const before = simulator.requests.length;
      const error = await expectProviderError(
        adapter.submit({ prompt: prompt('a cat') }, { signal: signal() }),
        'transient',
      );
      expect(error.providerCode).toBe('500');
      expect(simulator.requests.slice(before).filter((entry) => entry.kind === 'submit')).toHaveLength(1);
    });

    it('GIVEN a 503 once on a status query THEN it is retried and answers', async () => {
      const { update } = await imagine('a quiet street');
      await inject(simulator, { kind: 'server_error', on: 'status', status: 503 });
      expect(await adapter.status(update.taskId, { signal: signal() })).toEqual(update);
    });

    it('GIVEN result URLs that expired THEN the file host answers 403', async () => {
      await inject(simulator, { kind: 'expired_urls', on: 'submit' });
      const { taskId } = await adapter.submit({ prompt: prompt('an old photo') }, { signal: signal() });
      const update = await finish(adapter, taskId);
      expect((await fetchImage(urlOf(update, 0))).status).toBe(403);
    });
  });
});

// Transport failures do not depend on how Kie words its errors: one simulator is enough.
describe('Kie transport failures', () => {
  let simulator: KieSimulator;
  beforeAll(async () => {
    simulator = await new KieSimulator({ key: KEY, timeScale: 0.001, imageEdge: EDGE }).start();
  });
  afterAll(() => simulator.stop());

  it('GIVEN malformed JSON on every status query THEN transient', async () => {
    await inject(simulator, { kind: 'malformed_json', on: 'status', count: 3 });
    await expectProviderError(adapterFor(simulator).status('any', { signal: signal() }), 'transient');
  });

  it('GIVEN a provider that never answers THEN transient after the configured timeout', async () => {
    await inject(simulator, { kind: 'timeout', on: 'submit' });
    const impatient = adapterFor(simulator, { timeouts: { headers: 150 } });
    await expectProviderError(impatient.submit({ prompt: prompt('a cat') }, { signal: signal() }), 'transient');
  });

  it('GIVEN an aborted signal THEN transient', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectProviderError(adapterFor(simulator).status('any', { signal: controller.signal }), 'transient');
  });
});

describe('Kie rate limit with Retry-After (HTTP status mirrored)', () => {
  it('GIVEN a 429 with Retry-After on submit THEN the adapter waits that long and the task is created', async () => {
    const simulator = await new KieSimulator({
      key: KEY,
      timeScale: 0.001,
      imageEdge: EDGE,
      httpStatus: 'mirror',
    }).start();
    try {
      await inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 0.15 });
      const started = Date.now();
      const { taskId } = await adapterFor(simulator).submit({ prompt: prompt('a patient cat') }, { signal: signal() });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(simulator.requests.filter((entry) => entry.kind === 'submit').map((entry) => entry.status)).toEqual([
        429, 200,
      ]);
      expect(simulator.task(taskId)).toBeDefined();
    } finally {
      await simulator.stop();
    }
  });
});

describe('Kie callbacks', () => {
  let simulator: KieSimulator;
  let adapter: KieAdapter;
  let receiver: Server;
  let receiverUrl: string;
  const bodies: unknown[] = [];

  beforeAll(async () => {
    simulator = await new KieSimulator({ key: KEY, timeScale: 0.001, imageEdge: EDGE }).start();
    adapter = adapterFor(simulator);
    receiver = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks/kie`;
  });
  afterAll(async () => {
    await simulator.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  /** Callbacks for one task: Kie repeats them, so a late repeat of an earlier task may arrive in between. */
  async function delivered(taskId: string, count: number): Promise<unknown[]> {
    const forTask = () => bodies.filter((body) => (body as { data?: { taskId?: string } }).data?.taskId === taskId);
    const deadline = Date.now() + 5_000;
    while (forTask().length < count && Date.now() < deadline) await sleep(10);
    return forTask().slice(0, count);
  }

  it('GIVEN a callback URL THEN Kie posts string URLs, repeats itself, and both parse to the polled update', async () => {
    const { taskId } = await adapter.submit(
      { prompt: prompt('a kite') },
      { signal: signal(), callbackUrl: receiverUrl },
    );
    expect(simulator.submissions.at(-1)!.body).toMatchObject({ callBackUrl: receiverUrl });
    const [first, second] = await delivered(taskId, 2);
    expect(second).toBeDefined();
    expect((first as { data: { resultUrls: unknown[] } }).data.resultUrls.every((url) => typeof url === 'string')).toBe(
      true,
    );
    const update = adapter.parseCallback(first);
    expect(update).toMatchObject({ taskId, state: 'succeeded' });
    expect(adapter.parseCallback(second)).toEqual(update);
    expect(update).toEqual(await adapter.status(taskId, { signal: signal() }));
  });

  it('GIVEN an upscale with a callback URL THEN the callback carries its one image', async () => {
    const parsed = prompt('a kite over a hill');
    const grid = await adapter.submit({ prompt: parsed }, { signal: signal() });
    const finished = await finish(adapter, grid.taskId);
    const { taskId } = await adapter.submit(
      { followUp: { action: 'upscale', index: 1, type: 'default' }, parent: parentOf(finished, 'imagine', parsed) },
      { signal: signal(), callbackUrl: receiverUrl },
    );
    expect(simulator.submissions.at(-1)!.body).toMatchObject({ callBackUrl: receiverUrl, imageIndex: 0 });
    const [body] = await delivered(taskId, 1);
    expect(adapter.parseCallback(body)).toMatchObject({ taskId, state: 'succeeded', images: [{ kind: 'url' }] });
  });

  it('GIVEN a rejected prompt THEN the documented failure callback parses to a failed update', async () => {
    await inject(simulator, { kind: 'content_rejected', on: 'submit' });
    const { taskId } = await adapter.submit(
      { prompt: prompt('something forbidden') },
      { signal: signal(), callbackUrl: receiverUrl },
    );
    const [body] = await delivered(taskId, 1);
    expect(body).toMatchObject({ code: 500, msg: 'Image generation failed', data: { taskId, resultUrls: [] } });
    expect(adapter.parseCallback(body)).toMatchObject({ taskId, state: 'failed', failure: { providerCode: '500' } });
    // The callback does not say why; record-info does.
    expect(await adapter.status(taskId, { signal: signal() })).toMatchObject({ failure: { code: 'content_rejected' } });
  });
});

describe('Kie secrets', () => {
  it('GIVEN trace logging through successes, retries and failures THEN the key is never written nor in any error', async () => {
    const simulator = await new KieSimulator({
      key: KEY,
      timeScale: 0.001,
      imageEdge: EDGE,
      httpStatus: 'mirror',
    }).start();
    try {
      const { logger, lines } = capturingLogger();
      const adapter = adapterFor(simulator, { logger });
      const errors: ProviderError[] = [];
      const collect = (promise: Promise<unknown>) => promise.catch((error: ProviderError) => errors.push(error));

      await inject(simulator, { kind: 'rate_limited', on: 'status', retryAfterSeconds: 0.01 });
      const { taskId } = await adapter.submit({ prompt: prompt('a cat') }, { signal: signal(), logger });
      await finish(adapter, taskId);
      await inject(simulator, { kind: 'credits', on: 'submit' });
      await collect(adapter.submit({ prompt: prompt('a cat') }, { signal: signal(), logger }));
      await collect(adapter.status('nobody', { signal: signal() }));
      await collect(
        new KieAdapter({ baseUrl: simulator.baseUrl, key: `${KEY}-wrong`, logger }).status('x', { signal: signal() }),
      );

      expect(errors.map((error) => error.code)).toEqual(['credits', 'invalid_input', 'auth']);
      expect(lines.join('')).toContain('retrying provider request');
      expect(lines.join('')).not.toContain(KEY);
      for (const error of errors)
        expect(`${error.message} ${error.userMessage} ${JSON.stringify(error.toJSON())}`).not.toContain(KEY);
    } finally {
      await simulator.stop();
    }
  });
});
