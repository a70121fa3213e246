import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import { ApixoAdapter } from '../../src/providers/apixo.js';
import type { ProviderError } from '../../src/providers/errors.js';
import type { TaskUpdate } from '../../src/providers/types.js';
import { ApixoSimulator } from '../../src/sandbox/providers/apixo-simulator.js';
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

const KEY = 'apixo-secret-key-7f3a9c2e';
const EDGE = 64;
const silent = pino({ level: 'silent' });

function signal(): AbortSignal {
  return AbortSignal.timeout(10_000);
}

const adapterFor = makeAdapterFor(ApixoAdapter, (simulator: ApixoSimulator) => ({
  baseUrl: simulator.baseUrl,
  key: KEY,
  logger: silent,
}));

describe('APIXO adapter against its simulator', () => {
  let simulator: ApixoSimulator;
  let adapter: ApixoAdapter;

  beforeAll(async () => {
    simulator = await new ApixoSimulator({ key: KEY, timeScale: 0.001, imageEdge: EDGE }).start();
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

  describe('imagine', () => {
    it('GIVEN a prompt with flags THEN four separate PNGs of the ratio’s size, made from structured fields', async () => {
      const { update } = await imagine('a lighthouse at dusk --ar 16:9 --chaos 20 --stylize 300 --v 7 --turbo');
      expect(update.state).toBe('succeeded');
      expect(update.images).toHaveLength(4);
      expect(update.progress).toBeUndefined();
      expect(await pngSize(urlOf(update, 0))).toEqual(sizeForAspect('16:9', EDGE));
      const [first, second] = await Promise.all([fetchImage(urlOf(update, 0)), fetchImage(urlOf(update, 1))]);
      expect(first.bytes.equals(second.bytes)).toBe(false);

      const task = simulator.task(update.taskId)!;
      expect(task.input).toMatchObject({
        mode: 'text-to-image',
        prompt: 'a lighthouse at dusk',
        aspect: '16:9',
        chaos: 20,
        stylize: 300,
        version: 'v7',
        speed: 'turbo',
      });
      expect(task.input.promptCut).toBeUndefined();
      const body = simulator.submissions.find((submission) => submission.taskId === update.taskId)!.body;
      expect(body).toMatchObject({
        request_type: 'async',
        provider: 'auto',
        input: { aspect_ratio: '16:9', variety: 20, stylization: 300 },
      });
      expect(JSON.stringify(body)).not.toContain('--');
    });

    it('GIVEN leading image URLs THEN an image-to-image task', async () => {
      const { update } = await imagine('https://example.com/dog.png a dog lying in a park');
      expect(update.state).toBe('succeeded');
      expect(simulator.task(update.taskId)!.input).toMatchObject({
        mode: 'image-to-image',
        image_urls: ['https://example.com/dog.png'],
      });
    });

    it('GIVEN the same task asked about by another adapter instance (another process) THEN the same result', async () => {
      const { update } = await imagine('a quiet harbour');
      const other = adapterFor(simulator);
      expect(await other.status(update.taskId, { signal: signal() })).toEqual(update);
    });
  });

  describe('follow-ups', () => {
    let grid: TaskUpdate;
    let parsed: ParsedPrompt;
    beforeAll(async () => {
      ({ update: grid, parsed } = await imagine('a castle in the clouds --ar 2:3'));
      expect(grid.state).toBe('succeeded');
    });

    it('GIVEN U2 THEN APIXO gets imageIndex 1 (0-based) and returns one larger image of grid image 2', async () => {
      const submitted = await adapter.submit(
        { followUp: { action: 'upscale', index: 2, type: 'default' }, parent: parentOf(grid, 'imagine', parsed) },
        { signal: signal() },
      );
      const update = await finish(adapter, submitted.taskId);
      expect(update.images).toHaveLength(1);
      expect(simulator.task(submitted.taskId)).toMatchObject({
        input: { mode: 'upscale', imageIndex: 1, type: 0 },
        parent: { taskId: grid.taskId, index: 2 },
      });
      expect(await pngSize(urlOf(update, 0))).toEqual(sizeForAspect('2:3', EDGE * 2));
    });

    it('GIVEN each upscale type THEN APIXO’s type number, and 4x is four times the HD upscale', async () => {
      const types = { creative: 1, '2x': 2, '4x': 3 } as const;
      for (const [type, number] of Object.entries(types) as [keyof typeof types, number][]) {
        const submitted = await adapter.submit(
          { followUp: { action: 'upscale', index: 4, type }, parent: parentOf(grid, 'imagine', parsed) },
          { signal: signal() },
        );
        expect(simulator.task(submitted.taskId)!.input).toMatchObject({ imageIndex: 3, type: number });
        if (type === '4x')
          // The HD upscale doubles the grid image; 4x HD is four times that.
          expect(await pngSize(urlOf(await finish(adapter, submitted.taskId), 0))).toEqual(
            sizeForAspect('2:3', EDGE * 2 * 4),
          );
      }
    });

    it('GIVEN V3 strong and subtle THEN vary with type 1 and 0, four new images each', async () => {
      for (const [strength, type] of [
        ['strong', 1],
        ['subtle', 0],
      ] as const) {
        const submitted = await adapter.submit(
          { followUp: { action: 'vary', index: 3, strength }, parent: parentOf(grid, 'imagine', parsed) },
          { signal: signal() },
        );
        const update = await finish(adapter, submitted.taskId);
        expect(update.images).toHaveLength(4);
        expect(simulator.task(submitted.taskId)).toMatchObject({
          input: { mode: 'vary', imageIndex: 2, type },
          parent: { index: 3 },
        });
      }
    });

    it('GIVEN Vary on an upscale THEN the grid image it came from is varied', async () => {
      const upscale = await adapter.submit(
        { followUp: { action: 'upscale', index: 1, type: 'default' }, parent: parentOf(grid, 'imagine', parsed) },
        { signal: signal() },
      );
      const upscaled = await finish(adapter, upscale.taskId);
      const parent = parentOf(upscaled, 'upscale', parsed, { origin: { taskId: grid.taskId, index: 1 } });
      const submitted = await adapter.submit(
        { followUp: { action: 'vary', index: 1, strength: 'subtle' }, parent },
        { signal: signal() },
      );
      expect(simulator.task(submitted.taskId)).toMatchObject({
        input: { taskId: grid.taskId, imageIndex: 0, type: 0 },
      });
      expect((await finish(adapter, submitted.taskId)).state).toBe('succeeded');
    });

    it('GIVEN 🔄 THEN by default the parent prompt is submitted again as a new generation', async () => {
      const submitted = await adapter.submit(
        { followUp: { action: 'reroll' }, parent: parentOf(grid, 'imagine', parsed) },
        { signal: signal() },
      );
      expect(submitted.taskId).not.toBe(grid.taskId);
      expect(simulator.task(submitted.taskId)!.input).toMatchObject({
        mode: 'text-to-image',
        prompt: 'a castle in the clouds',
        aspect: '2:3',
      });
      expect((await finish(adapter, submitted.taskId)).images).toHaveLength(4);
    });

    it('GIVEN 🔄 with reroll: native THEN APIXO’s reroll mode with the parent task id', async () => {
      const native = adapterFor(simulator, { settings: { reroll: 'native' } });
      const submitted = await native.submit(
        { followUp: { action: 'reroll' }, parent: parentOf(grid, 'imagine', parsed) },
        { signal: signal() },
      );
      expect(simulator.task(submitted.taskId)!.input).toMatchObject({ mode: 'reroll', taskId: grid.taskId });
      expect((await finish(native, submitted.taskId)).images).toHaveLength(4);
    });

    it('GIVEN zoom or pan on a grid THEN unsupported (they act on an upscale), and nothing is sent', async () => {
      const before = simulator.submissions.length;
      await expectProviderError(
        adapter.submit(
          { followUp: { action: 'zoom', index: 1, factor: 2 }, parent: parentOf(grid, 'imagine', parsed) },
          { signal: signal() },
        ),
        'unsupported',
      );
      await expectProviderError(
        adapter.submit(
          { followUp: { action: 'pan', index: 1, direction: 'left' }, parent: parentOf(grid, 'imagine', parsed) },
          { signal: signal() },
        ),
        'unsupported',
      );
      expect(simulator.submissions).toHaveLength(before);
    });

    it('GIVEN a parent task APIXO does not know THEN the task fails with invalid_input (INVALID_TASK_ID)', async () => {
      const missing = parentOf({ ...grid, taskId: 'task_does_not_exist' }, 'imagine', parsed);
      const submitted = await adapter.submit(
        { followUp: { action: 'vary', index: 1, strength: 'strong' }, parent: missing },
        { signal: signal() },
      );
      const update = await finish(adapter, submitted.taskId);
      expect(update).toMatchObject({
        state: 'failed',
        failure: { code: 'invalid_input', providerCode: 'INVALID_TASK_ID' },
      });
    });
  });

  describe('upload-paint sources', () => {
    let upscale: TaskUpdate;
    let parsed: ParsedPrompt;
    /** A server answering every request with a short text: a link that is up but is not an image. */
    let notImage: Server;
    let notImageUrl: string;
    beforeAll(async () => {
      let grid: TaskUpdate;
      ({ update: grid, parsed } = await imagine('a lighthouse on a cliff'));
      const submitted = await adapter.submit(
        { followUp: { action: 'upscale', index: 1, type: 'default' }, parent: parentOf(grid, 'imagine', parsed) },
        { signal: signal() },
      );
      upscale = await finish(adapter, submitted.taskId);
      notImage = createServer((_request, response) => response.end('not an image'));
      await new Promise<void>((resolve) => notImage.listen(0, '127.0.0.1', resolve));
      notImageUrl = `http://127.0.0.1:${(notImage.address() as AddressInfo).port}/upscale.png`;
    });
    afterAll(() => new Promise<void>((resolve) => notImage.close(() => resolve())));

    /** Zoom Out 2x on the upscale, with APIXO told to fetch the image from `imageUrl`. */
    async function zoomFrom(imageUrl: string): Promise<TaskUpdate> {
      const parent = parentOf(upscale, 'upscale', parsed, { imageUrl: () => imageUrl });
      const submitted = await adapter.submit(
        { followUp: { action: 'zoom', index: 1, factor: 2 }, parent },
        { signal: signal() },
      );
      expect(submitted.state).toBe('queued');
      return finish(adapter, submitted.taskId);
    }

    it('GIVEN Zoom Out 2x THEN the images are twice as large, with the upscale itself in the middle', async () => {
      const update = await zoomFrom(urlOf(upscale, 0));
      expect(update.state).toBe('succeeded');
      const source = await fetchImage(urlOf(upscale, 0));
      const result = await fetchImage(urlOf(update, 0));
      const { width = 0, height = 0 } = await sharp(source.bytes).metadata();
      expect(await sharp(result.bytes).metadata()).toMatchObject({ width: width * 2, height: height * 2 });
      const middle = await sharp(result.bytes)
        .extract({ left: width / 2, top: height / 2, width, height })
        .removeAlpha()
        .raw()
        .toBuffer();
      const original = await sharp(source.bytes).removeAlpha().raw().toBuffer();
      expect(middle.equals(original)).toBe(true);
    });

    it.each([
      ['a link that answers 404', () => `${urlOf(upscale, 0)}-gone`],
      ['a link to something that is not an image', () => notImageUrl],
    ])(
      'GIVEN %s THEN the task is taken and fails with INVALID_IMAGE_URL, which the member reads',
      async (_case, link) => {
        const update = await zoomFrom(link());
        expect(update).toMatchObject({
          state: 'failed',
          failure: {
            code: 'invalid_input',
            providerCode: 'INVALID_IMAGE_URL',
            userMessage:
              'The image service could not download an image it was given: a link in the prompt must be public, and an image it made earlier may have expired (upscale it again, then retry).',
          },
        });
        expect(update.images).toBeUndefined();
      },
    );
  });

  describe('errors', () => {
    it('GIVEN a wrong key THEN auth, and the configured key appears nowhere in the error', async () => {
      const wrong = new ApixoAdapter({ baseUrl: simulator.baseUrl, key: 'not-the-key', logger: silent });
      const error = await expectProviderError(wrong.submit({ prompt: prompt('a cat') }, { signal: signal() }), 'auth');
      expect(error.status).toBe(401);
      expect(error.message).toContain('apixo POST /generateTask/midjourney');
      await expectProviderError(wrong.status('task_x', { signal: signal() }), 'auth');
    });

    it('GIVEN an empty balance THEN credits (the doc’s 400 "Insufficient credits")', async () => {
      await inject(simulator, { kind: 'credits', on: 'submit' });
      const error = await expectProviderError(
        adapter.submit({ prompt: prompt('a cat') }, { signal: signal() }),
        'credits',
      );
      expect(error.providerMessage).toBe('Insufficient credits');
    });

    it('GIVEN a 429 with Retry-After THEN the submit waits that long and then succeeds', async () => {
      await inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 0.15 });
      const before = simulator.requests.filter((entry) => entry.kind === 'submit').length;
      const started = Date.now();
      const submitted = await adapter.submit({ prompt: prompt('a patient cat') }, { signal: signal() });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(
        simulator.requests
          .filter((entry) => entry.kind === 'submit')
          .map((entry) => entry.status)
          .slice(before),
      ).toEqual([429, 200]);
      expect((await finish(adapter, submitted.taskId)).state).toBe('succeeded');
    });

    it('GIVEN 429s that do not stop THEN rate_limited with the wait the provider asked for', async () => {
      await inject(simulator, { kind: 'rate_limited', on: 'status', retryAfterSeconds: 0.01, count: 5 });
      const error = await expectProviderError(adapter.status('task_any', { signal: signal() }), 'rate_limited');
      expect(error.retryAfterMs).toBe(10);
    });

    it('GIVEN a prompt the moderation rejects THEN the task fails with content_rejected', async () => {
      await inject(simulator, { kind: 'content_rejected', on: 'submit' });
      const submitted = await adapter.submit({ prompt: prompt('something forbidden') }, { signal: signal() });
      const update = await finish(adapter, submitted.taskId);
      expect(update).toMatchObject({
        state: 'failed',
        statusText: 'failed',
        failure: { code: 'content_rejected', providerCode: 'CONTENT_VIOLATION' },
      });
    });

    it('GIVEN a prompt longer than APIXO takes THEN invalid_input from the provider', async () => {
      const long: ParsedPrompt = { text: 'a '.repeat(1100).trim(), imageUrls: [], params: {} };
      const error = await expectProviderError(adapter.submit({ prompt: long }, { signal: signal() }), 'invalid_input');
      expect(error.providerMessage).toContain('prompt');
    });

    it('GIVEN an unknown task id THEN invalid_input (404)', async () => {
      const error = await expectProviderError(
        adapter.status('task_nobody_made', { signal: signal() }),
        'invalid_input',
      );
      expect(error.status).toBe(404);
    });

    it('GIVEN a 500 on submit THEN transient without a resend (the task may exist)', async () => {
      await inject(simulator, { kind: 'server_error', on: 'submit' });
      const before = simulator.requests.length;
      await expectProviderError(adapter.submit({ prompt: prompt('a cat') }, { signal: signal() }), 'transient');
      expect(simulator.requests.slice(before).filter((entry) => entry.kind === 'submit')).toHaveLength(1);
    });

    it('GIVEN a 503 once on a status query THEN it is retried and answers', async () => {
      const { update } = await imagine('a calm sea');
      await inject(simulator, { kind: 'server_error', on: 'status', status: 503 });
      expect(await adapter.status(update.taskId, { signal: signal() })).toEqual(update);
    });

    it('GIVEN malformed JSON every time THEN transient', async () => {
      await inject(simulator, { kind: 'malformed_json', on: 'status', count: 3 });
      await expectProviderError(adapter.status('task_any', { signal: signal() }), 'transient');
    });

    it('GIVEN a provider that never answers THEN transient after the configured timeout', async () => {
      const impatient = adapterFor(simulator, { timeouts: { headers: 150 } });
      await inject(simulator, { kind: 'timeout', on: 'submit' });
      const started = Date.now();
      await expectProviderError(impatient.submit({ prompt: prompt('a cat') }, { signal: signal() }), 'transient');
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('GIVEN an aborted signal THEN transient, and nothing waits', async () => {
      const controller = new AbortController();
      controller.abort();
      await expectProviderError(adapter.status('task_any', { signal: controller.signal }), 'transient');
    });

    it('GIVEN result URLs that expired THEN the image host answers 403', async () => {
      await inject(simulator, { kind: 'expired_urls', on: 'submit' });
      const submitted = await adapter.submit({ prompt: prompt('a fading photo') }, { signal: signal() });
      const update = await finish(adapter, submitted.taskId);
      expect(update.state).toBe('succeeded');
      expect((await fetchImage(urlOf(update, 0))).status).toBe(403);
    });
  });

  describe('callbacks', () => {
    let receiver: Server;
    let receiverUrl: string;
    const bodies: unknown[] = [];
    let failFirst = 0;

    beforeAll(async () => {
      receiver = createServer((incoming, response) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          response.writeHead(failFirst > 0 ? 500 : 200).end();
          failFirst -= 1;
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks/apixo`;
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    async function delivered(count: number): Promise<unknown[]> {
      const deadline = Date.now() + 5_000;
      while (bodies.length < count && Date.now() < deadline) await sleep(10);
      return bodies.splice(0, count);
    }

    it('GIVEN a callback URL THEN APIXO posts the status envelope and it parses to the polled update', async () => {
      bodies.length = 0;
      const submitted = await adapter.submit(
        { prompt: prompt('a lantern') },
        { signal: signal(), callbackUrl: receiverUrl },
      );
      expect(simulator.submissions.at(-1)!.body).toMatchObject({ request_type: 'callback', callback_url: receiverUrl });
      const [body] = await delivered(1);
      const update = adapter.parseCallback(body);
      expect(update).toMatchObject({ taskId: submitted.taskId, state: 'succeeded' });
      expect(update.images).toHaveLength(4);
      expect(update).toEqual(await adapter.status(submitted.taskId, { signal: signal() }));
    });

    it('GIVEN a receiver that fails first THEN APIXO retries and the repeated body parses to the same update', async () => {
      bodies.length = 0;
      failFirst = 1;
      await adapter.submit({ prompt: prompt('a second lantern') }, { signal: signal(), callbackUrl: receiverUrl });
      const [first, second] = await delivered(2);
      expect(adapter.parseCallback(second)).toEqual(adapter.parseCallback(first));
      // The sender records an attempt once its answer is read, a moment after the receiver has the body.
      for (
        let wait = 0;
        wait < 100 &&
        !simulator.callbacks.deliveries.some((delivery) => delivery.url === receiverUrl && delivery.attempt === 2);
        wait += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const attempts = simulator.callbacks.deliveries.filter((delivery) => delivery.url === receiverUrl).slice(-2);
      expect(attempts.map((delivery) => [delivery.attempt, delivery.status])).toEqual([
        [1, 500],
        [2, 200],
      ]);
    });

    it('GIVEN a rejected prompt THEN the callback parses to a content_rejected failure', async () => {
      bodies.length = 0;
      await inject(simulator, { kind: 'content_rejected', on: 'submit' });
      await adapter.submit({ prompt: prompt('something forbidden') }, { signal: signal(), callbackUrl: receiverUrl });
      const [body] = await delivered(1);
      expect(adapter.parseCallback(body)).toMatchObject({ state: 'failed', failure: { code: 'content_rejected' } });
    });

    it('GIVEN a body that is not APIXO’s THEN invalid_input', () => {
      expect(() => adapter.parseCallback({ hello: 'world' })).toThrow(
        expect.objectContaining({ code: 'invalid_input' }) as Error,
      );
    });
  });

  describe('secrets', () => {
    it('GIVEN trace logging through successes, retries and failures THEN the key is never written nor in any error', async () => {
      const { logger, lines } = capturingLogger();
      const logged = adapterFor(simulator, { logger });
      const errors: ProviderError[] = [];
      const collect = (promise: Promise<unknown>) => promise.catch((error: ProviderError) => errors.push(error));

      await inject(simulator, { kind: 'rate_limited', on: 'status', retryAfterSeconds: 0.01 });
      const submitted = await logged.submit({ prompt: prompt('a cat') }, { signal: signal(), logger });
      await finish(logged, submitted.taskId);
      await inject(simulator, { kind: 'server_error', on: 'submit' });
      await collect(logged.submit({ prompt: prompt('a cat') }, { signal: signal(), logger }));
      await collect(logged.status('task_nobody_made', { signal: signal() }));
      await collect(
        new ApixoAdapter({ baseUrl: simulator.baseUrl, key: `${KEY}-wrong`, logger }).status('task_x', {
          signal: signal(),
        }),
      );

      expect(errors.map((error) => error.code)).toEqual(['transient', 'invalid_input', 'auth']);
      expect(lines.join('')).toContain('retrying provider request');
      expect(lines.join('')).not.toContain(KEY);
      for (const error of errors) {
        expect(`${error.message} ${error.userMessage} ${JSON.stringify(error.toJSON())}`).not.toContain(KEY);
      }
    });
  });
});
