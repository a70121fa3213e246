import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { KieAdapter } from '../../src/providers/kie.js';
import type { ParentTask } from '../../src/providers/types.js';
import { KieSimulator, type KieSimulatorOptions } from '../../src/sandbox/providers/kie-simulator.js';
import { videoFrameSize } from '../../src/sandbox/providers/kit/video.js';
import { finish, makeAdapterFor, parentOf, prompt, urlOf } from './support.js';

/**
 * Kie's quirks and UNKNOWNs (CONTRACTS.md §E): two imageIndex bases, a 5-step variety, callbacks
 * that repeat and retry on Kie's schedule, no queued state and no progress.
 */

const KEY = 'kie-quirks-key-5678';
const silent = pino({ level: 'silent' });
const signal = () => AbortSignal.timeout(10_000);
const running: KieSimulator[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function simulatorWith(options: KieSimulatorOptions): Promise<KieSimulator> {
  const simulator = await new KieSimulator({ key: KEY, timeScale: 0.001, imageEdge: 32, ...options }).start();
  running.push(simulator);
  return simulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const adapterFor = makeAdapterFor(KieAdapter, (simulator: KieSimulator) => ({
  baseUrl: simulator.baseUrl,
  key: KEY,
  logger: silent,
}));

async function grid(adapter: KieAdapter): Promise<ParentTask> {
  const parsed = prompt('a tower');
  const { taskId } = await adapter.submit({ prompt: parsed }, { signal: signal() });
  return parentOf(await finish(adapter, taskId), 'imagine', parsed);
}

async function raw(simulator: KieSimulator, path: string, body: unknown): Promise<{ code: number; msg: string }> {
  const response = await request(`${simulator.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.body.json()) as { code: number; msg: string };
}

describe('Kie imageIndex bases (doc: upscale 0–3, vary 1–4)', () => {
  it('GIVEN the doc’s bases THEN the simulator refuses the other base on each endpoint', async () => {
    const simulator = await simulatorWith({});
    const parent = await grid(adapterFor(simulator));
    expect(await raw(simulator, '/api/v1/mj/generateUpscale', { taskId: parent.taskId, imageIndex: 4 })).toMatchObject({
      code: 422,
    });
    expect(await raw(simulator, '/api/v1/mj/generateVary', { taskId: parent.taskId, imageIndex: 0 })).toMatchObject({
      code: 422,
    });
    expect(await raw(simulator, '/api/v1/mj/generateUpscale', { taskId: parent.taskId, imageIndex: 0 })).toMatchObject({
      code: 200,
    });
    expect(await raw(simulator, '/api/v1/mj/generateVary', { taskId: parent.taskId, imageIndex: 4 })).toMatchObject({
      code: 200,
    });
  });

  it('GIVEN a live API with one base for both THEN configured bases reach the right image', async () => {
    for (const base of [0, 1] as const) {
      const simulator = await simulatorWith({ upscaleIndexBase: base, varyIndexBase: base });
      const adapter = adapterFor(simulator, { settings: { indexBases: { upscale: base, vary: base } } });
      const parent = await grid(adapter);
      const upscale = await adapter.submit(
        { followUp: { action: 'upscale', index: 4, type: 'default' }, parent },
        { signal: signal() },
      );
      const vary = await adapter.submit(
        { followUp: { action: 'vary', index: 1, strength: 'strong' }, parent },
        { signal: signal() },
      );
      expect(simulator.task(upscale.taskId)!.parent).toEqual({ taskId: parent.taskId, index: 4 });
      expect(simulator.task(vary.taskId)!.parent).toEqual({ taskId: parent.taskId, index: 1 });
    }
  });

  it('GIVEN mismatched bases THEN V1 is refused as invalid_input rather than varying the wrong image', async () => {
    const simulator = await simulatorWith({ varyIndexBase: 1 });
    const adapter = adapterFor(simulator, { settings: { indexBases: { upscale: 0, vary: 0 } } });
    const parent = await grid(adapter);
    const error = await adapter
      .submit({ followUp: { action: 'vary', index: 1, strength: 'strong' }, parent }, { signal: signal() })
      .catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'invalid_input', providerCode: '422' });
  });
});

describe('Kie request quirks', () => {
  it('GIVEN a variety between steps of 5 from a careless client THEN 422; the adapter rounds first', async () => {
    const simulator = await simulatorWith({});
    expect(
      await raw(simulator, '/api/v1/mj/generate', {
        taskType: 'mj_txt2img',
        speed: 'fast',
        prompt: 'a cat',
        variety: 12,
      }),
    ).toMatchObject({ code: 422, msg: expect.stringContaining('variety') as string });
    const { taskId } = await adapterFor(simulator).submit({ prompt: prompt('a cat --chaos 12') }, { signal: signal() });
    expect(simulator.submissions.find((submission) => submission.taskId === taskId)!.body).toMatchObject({
      variety: 10,
    });
  });

  it('GIVEN a misspelt field THEN Kie drops it without a word (why the translation is tested by body)', async () => {
    const simulator = await simulatorWith({});
    expect(
      await raw(simulator, '/api/v1/mj/generate', {
        taskType: 'mj_txt2img',
        speed: 'fast',
        prompt: 'a cat',
        aspect: '16:9',
      }),
    ).toMatchObject({ code: 200 });
  });

  it('GIVEN a generate without speed for txt2img THEN 422; for omni reference THEN accepted', async () => {
    const simulator = await simulatorWith({});
    expect(await raw(simulator, '/api/v1/mj/generate', { taskType: 'mj_txt2img', prompt: 'a cat' })).toMatchObject({
      code: 422,
    });
    expect(
      await raw(simulator, '/api/v1/mj/generate', {
        taskType: 'mj_omni_reference',
        prompt: 'a cat',
        fileUrls: ['https://example.com/o.png'],
      }),
    ).toMatchObject({ code: 200 });
  });

  it.each(['mj_video', 'mj_video_hd'])(
    'GIVEN a %s body THEN it takes exactly one image, a motion and a batch of 1, 2 or 4, as the doc says',
    async (taskType) => {
      const simulator = await simulatorWith({ httpStatus: 'mirror' });
      const video = { taskType, prompt: 'a cat', fileUrls: ['https://example.com/a.png'], motion: 'low' };
      expect(await raw(simulator, '/api/v1/mj/generate', { ...video, videoBatchSize: 4 })).toMatchObject({ code: 200 });
      expect(await raw(simulator, '/api/v1/mj/generate', { ...video, videoBatchSize: 3 })).toMatchObject({ code: 422 });
      expect(await raw(simulator, '/api/v1/mj/generate', video)).toMatchObject({ code: 200 });
      expect(
        await raw(simulator, '/api/v1/mj/generate', {
          ...video,
          fileUrls: ['https://example.com/a.png', 'https://example.com/b.png'],
        }),
      ).toMatchObject({ code: 422, msg: 'fileUrls: video takes exactly one image' });
      expect(await raw(simulator, '/api/v1/mj/generate', { ...video, motion: undefined })).toMatchObject({
        code: 422,
        msg: 'motion: motion is required for video',
      });
    },
  );

  it('GIVEN Animate with HD asked THEN mj_video_hd, and its video has larger frames than mj_video’s', async () => {
    const simulator = await simulatorWith({});
    const adapter = adapterFor(simulator);
    const parsed = prompt('a tower');
    const upscaled = await adapter.submit(
      { followUp: { action: 'upscale', index: 2, type: 'default' }, parent: await grid(adapter) },
      { signal: signal() },
    );
    const done = await finish(adapter, upscaled.taskId);
    const upscale = parentOf(done, 'upscale', parsed, { imageUrl: () => urlOf(done, 0) });
    const frameOf = async (hdVideo: boolean) => {
      const { taskId } = await adapter.submit(
        { followUp: { action: 'animate', index: 1, motion: 'high' }, parent: upscale },
        { signal: signal(), hdVideo },
      );
      const [url] = (await finish(adapter, taskId)).videos ?? [];
      const response = await request(url ?? '');
      return videoFrameSize(new Uint8Array(await response.body.arrayBuffer()));
    };
    const standard = await frameOf(false);
    const hd = await frameOf(true);
    const generates = simulator.submissions.filter((submission) => submission.path === '/api/v1/mj/generate');
    expect(generates.slice(-2).map((submission) => (submission.body as { taskType: string }).taskType)).toEqual([
      'mj_video',
      'mj_video_hd',
    ]);
    expect(standard?.width).toBeGreaterThan(0);
    expect(hd).toEqual({ width: (standard?.width ?? 0) * 1.5, height: (standard?.height ?? 0) * 1.5 });
  });

  it('GIVEN generateVideoExtend THEN an unknown task is 404, an image task 422, and manual mode needs a prompt', async () => {
    const simulator = await simulatorWith({ httpStatus: 'mirror' });
    const extend = { taskType: 'mj_video_extend_auto', taskId: 'nope', index: 0 };
    expect(await raw(simulator, '/api/v1/mj/generateVideoExtend', extend)).toMatchObject({ code: 404 });
    const image = (await raw(simulator, '/api/v1/mj/generate', {
      taskType: 'mj_txt2img',
      prompt: 'a cat',
      speed: 'fast',
    })) as unknown as { data: { taskId: string } };
    expect(
      await raw(simulator, '/api/v1/mj/generateVideoExtend', { ...extend, taskId: image.data.taskId }),
    ).toMatchObject({ code: 422 });
    expect(
      await raw(simulator, '/api/v1/mj/generateVideoExtend', { ...extend, taskType: 'mj_video_extend_manual' }),
    ).toMatchObject({ code: 422, msg: 'prompt: prompt is required for manual extension' });
  });
});

describe('Kie states and timing', () => {
  it('GIVEN a real-time simulator and a jumped clock THEN generating (no queued, no progress), then success', async () => {
    const simulator = await simulatorWith({ timeScale: 1, durations: { relax: 120 } });
    const adapter = adapterFor(simulator);
    const { taskId } = await adapter.submit({ prompt: prompt('a slow sunrise --relax') }, { signal: signal() });
    expect(await adapter.status(taskId, { signal: signal() })).toEqual({
      taskId,
      state: 'running',
      statusText: 'generating',
    });
    simulator.clock.advance(100_000);
    expect((await adapter.status(taskId, { signal: signal() })).state).toBe('running');
    simulator.clock.advance(21_000);
    const done = await adapter.status(taskId, { signal: signal() });
    expect(done.state).toBe('succeeded');
    expect(done.progress).toBeUndefined();
  });

  it('GIVEN each speed THEN the typical duration ±15 %', async () => {
    const simulator = await simulatorWith({});
    const adapter = adapterFor(simulator);
    for (const [flag, typical] of [
      ['--fast', 40_000],
      ['--turbo', 20_000],
      ['--relax', 120_000],
    ] as const) {
      const { taskId } = await adapter.submit({ prompt: prompt(`a clock ${flag}`) }, { signal: signal() });
      const { durationMs } = simulator.task(taskId)!;
      expect(durationMs).toBeGreaterThanOrEqual(typical * 0.85);
      expect(durationMs).toBeLessThanOrEqual(typical * 1.15);
    }
  });
});

describe('Kie callback delivery', () => {
  async function receiver(answers: number[]): Promise<{ url: string; bodies: unknown[] }> {
    const bodies: unknown[] = [];
    const server = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kie`, bodies };
  }

  it('GIVEN a receiver failing twice THEN Kie retries after 1 and 5 simulated minutes, and every body parses alike', async () => {
    const simulator = await simulatorWith({ duplicateCallbacks: false });
    const adapter = adapterFor(simulator);
    const target = await receiver([500, 503]);
    const { taskId } = await adapter.submit(
      { prompt: prompt('a kite') },
      { signal: signal(), callbackUrl: target.url },
    );
    const deadline = Date.now() + 5_000;
    // The sender records an attempt once its answer is read, a moment after the receiver has the body.
    while (simulator.callbacks.deliveries.length < 3 && Date.now() < deadline) await sleep(10);
    expect(simulator.callbacks.deliveries.map((delivery) => [delivery.attempt, delivery.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    const [first, second, third] = simulator.callbacks.deliveries;
    // 60 and 300 simulated seconds at a time scale of 0.001.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(55);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(290);
    const updates = target.bodies.map((body) => adapter.parseCallback(body));
    expect(updates[0]).toMatchObject({ taskId, state: 'succeeded' });
    expect(updates[1]).toEqual(updates[0]);
    expect(updates[2]).toEqual(updates[0]);
  });

  it('GIVEN duplicates switched off and a healthy receiver THEN exactly one delivery', async () => {
    const simulator = await simulatorWith({ duplicateCallbacks: false });
    const target = await receiver([]);
    await adapterFor(simulator).submit({ prompt: prompt('a kite') }, { signal: signal(), callbackUrl: target.url });
    await sleep(300);
    expect(target.bodies).toHaveLength(1);
  });
});
