import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import { CloudswayMjAdapter } from '../../src/providers/cloudsway-mj.js';
import type { ProviderError } from '../../src/providers/errors.js';
import type { SubmitRequest, TaskUpdate } from '../../src/providers/types.js';
import { CloudswayMjSimulator } from '../../src/sandbox/providers/cloudsway-mj-simulator.js';
import { sizeForAspect } from '../../src/sandbox/providers/kit/images.js';
import { capturingLogger, fetchImage, inject, makeAdapterFor, parentOf, prompt, providerErrorOf } from './support.js';

const KEY = 'cw-mj-secret-key-4c1d9e7a';
const ENDPOINT = 'eljciTfuqTxBSjXl';
const EDGE = 64;

const { logger, lines } = capturingLogger();
/** Every ProviderError a test saw, checked at the end for the key. */
const seenErrors: ProviderError[] = [];

const adapterFor = makeAdapterFor(CloudswayMjAdapter, (simulator: CloudswayMjSimulator) => ({
  baseUrl: `${simulator.url}/v1/ai`,
  endpointPath: ENDPOINT,
  key: KEY,
  logger,
}));

const call = () => ({ signal: AbortSignal.timeout(10_000), logger });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await providerErrorOf(promise);
  seenErrors.push(error);
  return error;
}

async function settle(adapter: CloudswayMjAdapter, taskId: string): Promise<TaskUpdate> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const update = await adapter.status(taskId, call());
    if (update.state === 'succeeded' || update.state === 'failed') return update;
    if (Date.now() > deadline) throw new Error(`task ${taskId} is still ${update.state}`);
    await sleep(15);
  }
}

describe('Cloudsway MaaS-MJ adapter against its simulator', () => {
  let simulator: CloudswayMjSimulator;
  let adapter: CloudswayMjAdapter;
  const fox = prompt('a red fox in the snow --ar 16:9 --chaos 20 --no trees, houses --fast');
  let grid: TaskUpdate;

  beforeAll(async () => {
    simulator = await new CloudswayMjSimulator({
      key: KEY,
      endpointPath: ENDPOINT,
      timeScale: 0.001,
      imageEdge: EDGE,
      sensitiveWords: ['forbidden-thing'],
    }).start();
    adapter = adapterFor(simulator);
    const submitted = await adapter.submit({ prompt: fox }, call());
    grid = await settle(adapter, submitted.taskId);
  });

  afterAll(async () => {
    await simulator.stop();
    const output = lines.join('');
    expect(output).not.toContain(KEY);
    for (const error of seenErrors) {
      expect(error.message).not.toContain(KEY);
      expect(error.userMessage).not.toContain(KEY);
      expect(JSON.stringify(error.toJSON())).not.toContain(KEY);
    }
    expect(seenErrors.length).toBeGreaterThan(5);
  });

  it('GIVEN an imagine THEN the text carries image URLs first, the words, then the accepted flags', () => {
    const sent = simulator.submissions.find((submission) => submission.path === '/tob/diffusion');
    expect(sent?.body).toEqual({ text: 'a red fox in the snow --ar 16:9 --chaos 20 --no trees, houses --fast' });
  });

  it('GIVEN an imagine polled to the end THEN four PNG images of the aspect ratio come back', async () => {
    expect(grid.state).toBe('succeeded');
    expect(grid.images).toHaveLength(4);
    expect(grid.seed).toMatch(/^\d+$/);
    const first = grid.images![0]!;
    expect(first.kind).toBe('url');
    const image = await fetchImage((first as { url: string }).url);
    expect(image.status).toBe(200);
    const metadata = await sharp(image.bytes).metadata();
    expect(metadata.format).toBe('png');
    expect({ width: metadata.width, height: metadata.height }).toEqual(sizeForAspect('16:9', EDGE));
  });

  it('GIVEN image prompts THEN they lead the text', async () => {
    const withImage = prompt('https://example.com/a.png a castle --v 6.1 --turbo');
    const submitted = await adapter.submit({ prompt: withImage }, call());
    expect(simulator.job(submitted.taskId)?.text).toBe('https://example.com/a.png a castle --v 6.1 --turbo');
    expect(simulator.job(submitted.taskId)?.speed).toBe('turbo');
  });

  it('GIVEN U2 subtle and U3 creative THEN /tob/upscale gets imageNo 1 type 0 and imageNo 2 type 1, each one larger image', async () => {
    const parent = parentOf(grid, 'imagine', fox);
    const subtle = await adapter.submit({ followUp: { action: 'upscale', index: 2, type: 'subtle' }, parent }, call());
    const creative = await adapter.submit(
      { followUp: { action: 'upscale', index: 3, type: 'creative' }, parent },
      call(),
    );
    const bodies = simulator.submissions
      .filter((submission) => submission.path === '/tob/upscale')
      .map((submission) => submission.body);
    expect(bodies).toContainEqual({ jobId: grid.taskId, imageNo: 1, type: 0 });
    expect(bodies).toContainEqual({ jobId: grid.taskId, imageNo: 2, type: 1 });
    const done = await settle(adapter, subtle.taskId);
    expect(done.images).toHaveLength(1);
    const metadata = await sharp((await fetchImage((done.images![0] as { url: string }).url)).bytes).metadata();
    expect({ width: metadata.width, height: metadata.height }).toEqual(sizeForAspect('16:9', EDGE * 2));
    expect((await settle(adapter, creative.taskId)).state).toBe('succeeded');
  });

  it('GIVEN an upscaled image THEN upscaling it again is unsupported, before and at the provider', async () => {
    const upscale = await settle(
      adapter,
      (
        await adapter.submit(
          { followUp: { action: 'upscale', index: 1, type: 'subtle' }, parent: parentOf(grid, 'imagine', fox) },
          call(),
        )
      ).taskId,
    );
    const before = simulator.submissions.length;
    const refused = await failure(
      adapter.submit(
        { followUp: { action: 'upscale', index: 1, type: 'subtle' }, parent: parentOf(upscale, 'upscale', fox) },
        call(),
      ),
    );
    expect(refused.code).toBe('unsupported');
    expect(simulator.submissions.length).toBe(before);
    // A parent that claims to be a grid still meets Youchuan's refusal.
    const disguised = { ...parentOf(upscale, 'upscale', fox), action: 'imagine' as const, imageCount: 4 };
    const atProvider = await failure(
      adapter.submit({ followUp: { action: 'upscale', index: 1, type: 'subtle' }, parent: disguised }, call()),
    );
    expect(atProvider).toMatchObject({ code: 'unsupported', status: 400, providerCode: 'Job_ReUpscale_Not_Support' });
  });

  it('GIVEN V4 on a grid THEN a whole-frame /tob/inpaint with the prompt text makes a new grid', async () => {
    const submitted = await adapter.submit(
      { followUp: { action: 'vary', index: 4, strength: 'strong' }, parent: parentOf(grid, 'imagine', fox) },
      call(),
    );
    const sent = simulator.submissions.filter((submission) => submission.path === '/tob/inpaint').at(-1)
      ?.body as Record<string, unknown>;
    expect(sent).toMatchObject({ jobId: grid.taskId, imageNo: 3, remixPrompt: 'a red fox in the snow' });
    const area = (sent.mask as { areas: { width: number; height: number; points: number[] }[] }).areas[0]!;
    expect(area.points).toEqual([0, 0, area.width, 0, area.width, area.height, 0, area.height]);
    expect(area.width / area.height).toBeCloseTo(16 / 9, 1);
    const done = await settle(adapter, submitted.taskId);
    expect(done.state).toBe('succeeded');
    expect(done.images).toHaveLength(4);
  });

  it('GIVEN Vary on an upscale THEN the inpaint targets imageNo 0 of the upscale job', async () => {
    const upscale = await settle(
      adapter,
      (
        await adapter.submit(
          { followUp: { action: 'upscale', index: 2, type: 'subtle' }, parent: parentOf(grid, 'imagine', fox) },
          call(),
        )
      ).taskId,
    );
    const submitted = await adapter.submit(
      { followUp: { action: 'vary', index: 1, strength: 'strong' }, parent: parentOf(upscale, 'upscale', fox) },
      call(),
    );
    expect(simulator.submissions.at(-1)?.body).toMatchObject({ jobId: upscale.taskId, imageNo: 0 });
    expect((await settle(adapter, submitted.taskId)).images).toHaveLength(4);
  });

  it('GIVEN Vary (Subtle), zoom or pan THEN unsupported, with nothing sent', async () => {
    const before = simulator.submissions.length;
    const parent = parentOf(grid, 'imagine', fox);
    const requests: SubmitRequest[] = [
      { followUp: { action: 'vary', index: 1, strength: 'subtle' }, parent },
      { followUp: { action: 'zoom', index: 1, factor: 2 }, parent },
      { followUp: { action: 'pan', index: 1, direction: 'left' }, parent },
      { followUp: { action: 'upscale', index: 1, type: '2x' }, parent },
    ];
    for (const submit of requests) expect((await failure(adapter.submit(submit, call()))).code).toBe('unsupported');
    expect(simulator.submissions.length).toBe(before);
  });

  it('GIVEN a reroll THEN a new diffusion with the same text', async () => {
    const submitted = await adapter.submit(
      { followUp: { action: 'reroll' }, parent: parentOf(grid, 'imagine', fox) },
      call(),
    );
    expect(submitted.taskId).not.toBe(grid.taskId);
    expect(simulator.job(submitted.taskId)?.text).toBe(simulator.job(grid.taskId)?.text);
    expect((await settle(adapter, submitted.taskId)).images).toHaveLength(4);
  });

  it('GIVEN an index outside the parent THEN invalid_input', async () => {
    expect(
      (
        await failure(
          adapter.submit(
            { followUp: { action: 'upscale', index: 5, type: 'subtle' }, parent: parentOf(grid, 'imagine', fox) },
            call(),
          ),
        )
      ).code,
    ).toBe('invalid_input');
  });

  it('GIVEN another adapter instance (another process) THEN it reads the same task', async () => {
    const other = adapterFor(simulator);
    const update = await other.status(grid.taskId, call());
    expect(update).toMatchObject({ taskId: grid.taskId, state: 'succeeded' });
    expect(update.images).toEqual(grid.images);
  });

  it('GIVEN moderation withholds image 2 THEN image 2 is a rejected placeholder and the others are usable', async () => {
    await inject(simulator, { kind: 'content_rejected', on: 'submit', images: [2] });
    const done = await settle(adapter, (await adapter.submit({ prompt: fox }, call())).taskId);
    expect(done.state).toBe('succeeded');
    expect(done.images?.map((image) => image.kind)).toEqual(['url', 'rejected', 'url', 'url']);
    expect(done.images?.[1]).toMatchObject({ rejected: true, reason: expect.stringMatching(/rejected/) as unknown });
    // The rejected image cannot be followed up.
    const refused = await failure(
      adapter.submit(
        { followUp: { action: 'upscale', index: 2, type: 'subtle' }, parent: parentOf(done, 'imagine', fox) },
        call(),
      ),
    );
    expect(refused.code).toBe('invalid_input');
  });

  it('GIVEN moderation rejects the whole job THEN the task fails with content_rejected', async () => {
    await inject(simulator, { kind: 'content_rejected', on: 'submit' });
    const done = await settle(adapter, (await adapter.submit({ prompt: fox }, call())).taskId);
    expect(done.state).toBe('failed');
    expect(done.failure).toMatchObject({
      code: 'content_rejected',
      providerMessage: expect.stringContaining('JobStatusReject') as unknown,
    });
  });

  it('GIVEN a prompt the text moderation refuses THEN 403 Msg_Sensitive becomes content_rejected', async () => {
    const error = await failure(adapter.submit({ prompt: prompt('a forbidden-thing on a table') }, call()));
    expect(error).toMatchObject({ code: 'content_rejected', status: 403, providerCode: 'Msg_Sensitive' });
  });

  it('GIVEN a wrong key THEN auth, and the simulator answers a missing header the same way', async () => {
    const error = await failure(adapterFor(simulator, { key: 'wrong-key' }).submit({ prompt: fox }, call()));
    expect(error).toMatchObject({ code: 'auth', status: 401, providerCode: 'Invalid_App_Identifier' });
    const bare = await request(`${simulator.baseUrl}/tob/job/${grid.taskId}`);
    expect(bare.statusCode).toBe(401);
    expect(await bare.body.json()).toMatchObject({ code: 401, reason: 'Invalid_App_Identifier' });
  });

  it('GIVEN the account is out of credits THEN credits', async () => {
    await inject(simulator, { kind: 'credits', on: 'submit' });
    expect(await failure(adapter.submit({ prompt: fox }, call()))).toMatchObject({
      code: 'credits',
      status: 402,
      providerCode: 'Account_Fee_Not_Enough',
    });
  });

  it('GIVEN a 429 with Retry-After THEN the submit waits it out and succeeds', async () => {
    await inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 0.3 });
    const started = Date.now();
    const submitted = await adapter.submit({ prompt: fox }, call());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(submitted.state).toBe('queued');
    const diffusions = simulator.requests.filter((recorded) => recorded.path.endsWith('/tob/diffusion')).slice(-2);
    expect(diffusions.map((recorded) => recorded.status)).toEqual([429, 200]);
  });

  it('GIVEN a 429 with a long Retry-After THEN rate_limited carries the wait', async () => {
    await inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 90 });
    expect(await failure(adapter.submit({ prompt: fox }, call()))).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterMs: 90_000,
    });
  });

  it('GIVEN a parameter the provider does not know THEN invalid_input from Invalid_Prompt_Parameter', async () => {
    const odd: ParsedPrompt = { text: 'a cat --bogus 3', imageUrls: [], params: {} };
    expect(await failure(adapter.submit({ prompt: odd }, call()))).toMatchObject({
      code: 'invalid_input',
      status: 400,
      providerCode: 'Invalid_Prompt_Parameter',
    });
  });

  it('GIVEN a refused parameter THEN the adapter refuses before sending', async () => {
    const before = simulator.submissions.length;
    const error = await failure(adapter.submit({ prompt: prompt('a cat --profile abc') }, call()));
    expect(error.code).toBe('invalid_input');
    expect(error.userMessage).toContain('--profile');
    expect(simulator.submissions.length).toBe(before);
  });

  it('GIVEN an unknown job THEN invalid_input (404)', async () => {
    expect(await failure(adapter.status('ffffffffffffffffffffffff', call()))).toMatchObject({
      code: 'invalid_input',
      status: 404,
    });
  });

  it('GIVEN 5xx answers THEN transient: retried for status queries, not for submits', async () => {
    await inject(simulator, { kind: 'server_error', on: 'status', status: 503 });
    expect((await adapter.status(grid.taskId, call())).state).toBe('succeeded');
    await inject(simulator, { kind: 'server_error', on: 'status', status: 500, count: 3 });
    expect(await failure(adapter.status(grid.taskId, call()))).toMatchObject({
      code: 'transient',
      status: 500,
      providerCode: 'Internal_Server_Error',
    });
    await inject(simulator, { kind: 'server_error', on: 'submit', status: 502 });
    const gateway = await failure(adapter.submit({ prompt: fox }, call()));
    expect(gateway).toMatchObject({ code: 'transient', status: 502 });
    expect(gateway.providerMessage).toContain('Bad Gateway');
  });

  it('GIVEN malformed JSON THEN transient', async () => {
    await inject(simulator, { kind: 'malformed_json', on: 'status', count: 3 });
    expect((await failure(adapter.status(grid.taskId, call()))).code).toBe('transient');
  });

  it('GIVEN a provider that never answers THEN the adapter times out as transient; an aborted call too', async () => {
    const impatient = adapterFor(simulator, { timeouts: { headers: 150, body: 150 } });
    await inject(simulator, { kind: 'timeout', on: 'submit' });
    const started = Date.now();
    expect((await failure(impatient.submit({ prompt: fox }, call()))).code).toBe('transient');
    expect(Date.now() - started).toBeLessThan(3_000);
    const aborted = await failure(adapter.status(grid.taskId, { signal: AbortSignal.abort(), logger }));
    expect(aborted.code).toBe('transient');
  });

  it('GIVEN expired result URLs THEN the image download fails with 403', async () => {
    await inject(simulator, { kind: 'expired_urls', on: 'submit' });
    const done = await settle(adapter, (await adapter.submit({ prompt: fox }, call())).taskId);
    const first = done.images![0] as { url: string };
    await sleep(5);
    expect((await fetchImage(first.url)).status).toBe(403);
  });

  it('GIVEN the upstream-only routes THEN the simulator routes them only when told to', async () => {
    const body = JSON.stringify({ jobId: grid.taskId, imageNo: 0, type: 1 });
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const unrouted = await request(`${simulator.baseUrl}/tob/variation`, { method: 'POST', headers, body });
    expect(unrouted.statusCode).toBe(404);
    await unrouted.body.dump();
    const upstream = await new CloudswayMjSimulator({
      key: KEY,
      endpointPath: ENDPOINT,
      timeScale: 0.001,
      imageEdge: EDGE,
      upstreamRoutes: true,
    }).start();
    try {
      const upstreamAdapter = adapterFor(upstream);
      const parent = await settle(upstreamAdapter, (await upstreamAdapter.submit({ prompt: fox }, call())).taskId);
      const routed = await request(`${upstream.baseUrl}/tob/variation`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jobId: parent.taskId, imageNo: 0, type: 1 }),
      });
      expect(routed.statusCode).toBe(200);
      expect(await routed.body.json()).toMatchObject({ status: 0, urls: [] });
    } finally {
      await upstream.stop();
    }
  });
});

describe('Cloudsway MaaS-MJ job phases on a controlled clock', () => {
  let simulator: CloudswayMjSimulator;
  let adapter: CloudswayMjAdapter;

  beforeAll(async () => {
    // Real time barely moves at scale 1; the test moves the clock itself.
    simulator = await new CloudswayMjSimulator({
      key: KEY,
      endpointPath: ENDPOINT,
      imageEdge: EDGE,
      emitProgress: true,
      progressSteps: 4,
      urlsLagSeconds: 5,
    }).start();
    adapter = adapterFor(simulator);
  });
  afterAll(() => simulator.stop());

  it('GIVEN a fast job THEN queued, running with progress, status 2 without URLs still running, then succeeded', async () => {
    const submitted = await adapter.submit({ prompt: prompt('a lighthouse --fast') }, call());
    expect(submitted).toMatchObject({ state: 'queued', statusText: '已创建' });
    simulator.clock.advance(21_000);
    const running = await adapter.status(submitted.taskId, call());
    expect(running).toMatchObject({ state: 'running', statusText: '执行中', progress: 50 });
    simulator.clock.advance(20_000);
    const raw = await request(`${simulator.baseUrl}/tob/job/${submitted.taskId}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(await raw.body.json()).toMatchObject({ status: 2, urls: [] });
    expect((await adapter.status(submitted.taskId, call())).state).toBe('running');
    simulator.clock.advance(5_000);
    const done = await adapter.status(submitted.taskId, call());
    expect(done).toMatchObject({ state: 'succeeded', statusText: '成功', progress: 100 });
    expect(done.images).toHaveLength(4);
  });

  it('GIVEN --relax THEN the job takes the relax duration', async () => {
    const submitted = await adapter.submit({ prompt: prompt('a lighthouse --relax') }, call());
    simulator.clock.advance(60_000);
    expect((await adapter.status(submitted.taskId, call())).state).toBe('running');
    simulator.clock.advance(70_000);
    expect((await adapter.status(submitted.taskId, call())).state).toBe('succeeded');
  });
});

describe('Cloudsway MaaS-MJ with other gateway error formats', () => {
  it.each(['openai', 'text'] as const)('GIVEN %s error bodies THEN the codes still follow', async (errorFormat) => {
    const simulator = await new CloudswayMjSimulator({
      key: KEY,
      endpointPath: ENDPOINT,
      timeScale: 0.001,
      imageEdge: EDGE,
      errorFormat,
      comments: 'enum',
    }).start();
    try {
      const adapter = adapterFor(simulator);
      await inject(simulator, { kind: 'credits', on: 'submit' });
      expect((await failure(adapter.submit({ prompt: prompt('a boat') }, call()))).code).toBe('credits');
      expect((await failure(adapterFor(simulator, { key: 'nope' }).status('abc', call()))).code).toBe('auth');
      const submitted = await adapter.submit({ prompt: prompt('a boat') }, call());
      expect(submitted.statusText).toBe('JobStatusCreated');
      expect((await failure(adapter.status('missing-job', call()))).code).toBe('invalid_input');
    } finally {
      await simulator.stop();
    }
  });
});

/** The pixels of `bytes` inside one rectangle, for comparing an outpaint's source area with its source. */
async function pixelsOf(bytes: Uint8Array, area: { left: number; top: number; width: number; height: number }) {
  return sharp(bytes).extract(area).removeAlpha().raw().toBuffer();
}

describe('Cloudsway MaaS-MJ zoom and pan on the upstream routes (CLOUDSWAY_MJ_UPSTREAM_OUTPAINT)', () => {
  let simulator: CloudswayMjSimulator;
  let adapter: CloudswayMjAdapter;
  const lighthouse = prompt('a lighthouse at dusk --ar 16:9');
  let upscale: TaskUpdate;
  let upscaleBytes: Uint8Array;
  const upscaleSize = sizeForAspect('16:9', EDGE * 2);
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    simulator = await new CloudswayMjSimulator({
      key: KEY,
      endpointPath: ENDPOINT,
      timeScale: 0.001,
      imageEdge: EDGE,
      upstreamRoutes: true,
    }).start();
    adapter = adapterFor(simulator, { settings: { upstreamOutpaint: true } });
    const grid = await settle(adapter, (await adapter.submit({ prompt: lighthouse }, call())).taskId);
    const followUp = { action: 'upscale', index: 2, type: 'subtle' } as const;
    const submitted = await adapter.submit({ followUp, parent: parentOf(grid, 'imagine', lighthouse) }, call());
    upscale = await settle(adapter, submitted.taskId);
    upscaleBytes = (await fetchImage((upscale.images![0] as { url: string }).url)).bytes;
  });
  afterAll(() => simulator.stop());

  /** Settles a follow-up and reads its first image. */
  async function firstImage(taskId: string): Promise<{ bytes: Uint8Array; width?: number; height?: number }> {
    const done = await settle(adapter, taskId);
    expect(done.state).toBe('succeeded');
    expect(done.images).toHaveLength(4);
    const { bytes } = await fetchImage((done.images![0] as { url: string }).url);
    const { width, height } = await sharp(bytes).metadata();
    return { bytes, width, height };
  }

  it('GIVEN the setting THEN Zoom Out 2x / 1.5x, Custom Zoom and pan are offered and remixed; without it none', () => {
    expect(adapter.capabilities.actions).toMatchObject({ zoom: [2, 1.5], customZoom: true, pan: true, square: false });
    expect(adapter.capabilities.remix).toEqual(['vary', 'reroll', 'zoom', 'pan']);
    const plain = adapterFor(simulator);
    expect(plain.capabilities.actions).toMatchObject({ zoom: [], customZoom: false, pan: false, square: false });
    expect(plain.capabilities.remix).toEqual(['vary', 'reroll']);
  });

  it('GIVEN Zoom Out 2x on an upscale THEN /tob/outpaint gets imageNo 0 and scale 2, and the upscale sits centred on a canvas twice its size', async () => {
    const followUp = { action: 'zoom', index: 1, factor: 2 } as const;
    const submitted = await adapter.submit({ followUp, parent: parentOf(upscale, 'upscale', lighthouse) }, call());
    expect(simulator.submissions.at(-1)).toEqual({
      path: '/tob/outpaint',
      body: { jobId: upscale.taskId, imageNo: 0, scale: 2 },
    });
    const image = await firstImage(submitted.taskId);
    expect({ width: image.width, height: image.height }).toEqual({
      width: upscaleSize.width * 2,
      height: upscaleSize.height * 2,
    });
    const centre = { left: upscaleSize.width / 2, top: upscaleSize.height / 2, ...upscaleSize };
    const whole = { left: 0, top: 0, ...upscaleSize };
    expect((await pixelsOf(image.bytes, centre)).equals(await pixelsOf(upscaleBytes, whole))).toBe(true);
    // Around it is new: the top-left corner is not the upscale's.
    expect((await pixelsOf(image.bytes, whole)).equals(await pixelsOf(upscaleBytes, whole))).toBe(false);
  });

  it('GIVEN Custom Zoom 1.25 THEN scale 1.25 and a canvas 1.25 times the upscale', async () => {
    const followUp = { action: 'zoom', index: 1, factor: 1.25 } as const;
    const submitted = await adapter.submit({ followUp, parent: parentOf(upscale, 'upscale', lighthouse) }, call());
    expect(simulator.submissions.at(-1)?.body).toMatchObject({ scale: 1.25 });
    const image = await firstImage(submitted.taskId);
    expect(image.width).toBe(Math.round(upscaleSize.width * 1.25));
  });

  it.each([
    ['left', 3, 'width'],
    ['right', 1, 'width'],
    ['up', 2, 'height'],
    ['down', 0, 'height'],
  ] as const)(
    'GIVEN pan %s with Remix THEN /tob/pan gets direction %i, scale 1.5 and the words as remixPrompt; the %s grows by half, the upscale at the far edge',
    async (direction, code, grows) => {
      const followUp = { action: 'pan', index: 1, direction } as const;
      const remix = prompt('a lighthouse in a storm --ar 16:9');
      const parent = parentOf(upscale, 'upscale', lighthouse);
      const submitted = await adapter.submit({ followUp, parent, remix }, call());
      expect(simulator.submissions.at(-1)).toEqual({
        path: '/tob/pan',
        body: {
          jobId: upscale.taskId,
          imageNo: 0,
          direction: code,
          scale: 1.5,
          remixPrompt: 'a lighthouse in a storm',
        },
      });
      expect(simulator.job(submitted.taskId)?.text).toBe('a lighthouse in a storm');
      const image = await firstImage(submitted.taskId);
      const expected = { ...upscaleSize, [grows]: Math.round(upscaleSize[grows] * 1.5) };
      expect({ width: image.width, height: image.height }).toEqual(expected);
      const at = {
        left: direction === 'left' ? expected.width - upscaleSize.width : 0,
        top: direction === 'up' ? expected.height - upscaleSize.height : 0,
        ...upscaleSize,
      };
      const whole = { left: 0, top: 0, ...upscaleSize };
      expect((await pixelsOf(image.bytes, at)).equals(await pixelsOf(upscaleBytes, whole))).toBe(true);
    },
  );

  it.each([
    ['/tob/outpaint', { scale: 2.5 }, 'scale'],
    ['/tob/outpaint', { scale: 1 }, 'scale'],
    ['/tob/pan', { direction: 4, scale: 1.5 }, 'direction'],
    ['/tob/pan', { direction: 1, scale: 3.5 }, 'scale'],
    ['/tob/pan', { direction: 'left', scale: 1.5 }, 'direction'],
  ])('GIVEN %s with %j THEN 400 Invalid_Argument in Youchuan’s shape, naming %s', async (path, fields, named) => {
    const body = JSON.stringify({ jobId: upscale.taskId, imageNo: 0, ...fields });
    const answer = await request(`${simulator.baseUrl}${path}`, { method: 'POST', headers, body });
    expect(answer.statusCode).toBe(400);
    const json = (await answer.body.json()) as { code: number; reason: string; message: string };
    expect(json).toMatchObject({ code: 400, reason: 'Invalid_Argument' });
    expect(json.message).toContain(named);
  });

  it('GIVEN the setting but an account without the routes THEN unsupported, saying this server’s provider does not offer it', async () => {
    const cloudsway = await new CloudswayMjSimulator({
      key: KEY,
      endpointPath: ENDPOINT,
      timeScale: 0.001,
      imageEdge: EDGE,
    }).start();
    try {
      const optedIn = adapterFor(cloudsway, { settings: { upstreamOutpaint: true } });
      const grid = await settle(optedIn, (await optedIn.submit({ prompt: lighthouse }, call())).taskId);
      const parent = parentOf(grid, 'imagine', lighthouse);
      const zoom = await failure(
        optedIn.submit({ followUp: { action: 'zoom', index: 1, factor: 1.5 }, parent }, call()),
      );
      expect(zoom).toMatchObject({
        code: 'unsupported',
        status: 404,
        userMessage:
          'This server’s image service (Cloudsway MaaS-MJ) does not offer Zoom Out 1.5x. An admin can hide the zoom and pan buttons in the bot’s configuration.',
      });
      const pan = await failure(
        optedIn.submit({ followUp: { action: 'pan', index: 1, direction: 'up' }, parent }, call()),
      );
      expect(pan.userMessage).toContain('does not offer Pan Up.');
      expect(cloudsway.requests.filter((sent) => sent.status === 404).map((sent) => sent.path)).toEqual([
        `${cloudsway.basePath}/tob/outpaint`,
        `${cloudsway.basePath}/tob/pan`,
      ]);
    } finally {
      await cloudsway.stop();
    }
  });

  it('GIVEN the route answers 404 for a job it does not know (with a reason) THEN not read as a missing route', async () => {
    const parent = { ...parentOf(upscale, 'upscale', lighthouse), taskId: 'no-such-job' };
    const error = await failure(adapter.submit({ followUp: { action: 'zoom', index: 1, factor: 2 }, parent }, call()));
    expect(error).toMatchObject({ code: 'invalid_input', status: 404, providerCode: 'Not_Found' });
    expect(error.userMessage).not.toContain('does not offer');
  });
});
