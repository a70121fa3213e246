import sharp from 'sharp';
import { FormData, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudswayImageAdapter } from '../../src/providers/cloudsway-image.js';
import type { ProviderError } from '../../src/providers/errors.js';
import type { ResultImage, SubmitRequest, TaskUpdate } from '../../src/providers/types.js';
import { CloudswayImageSimulator } from '../../src/sandbox/providers/cloudsway-image-simulator.js';
import { outpaintLayout } from '../../src/images/outpaint.js';
import { presetArea } from '../../src/jobs/region.js';
import { decode, type Colour } from '../images/helpers.js';
import { capturingLogger, inject, makeAdapterFor, parentOf, prompt, providerErrorOf } from './support.js';

const KEY = 'cw-image-secret-key-7b2e91f0';
const ENDPOINT = 'aBcDeFgHiJkLmNoP';
const EDGE = 64;

const { logger, lines } = capturingLogger();
const seenErrors: ProviderError[] = [];

const adapterFor = makeAdapterFor(CloudswayImageAdapter, (simulator: CloudswayImageSimulator) => ({
  baseUrl: `${simulator.url}/v1/ai/`,
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

/** The largest difference of one channel between two colours. */
function distance(a: Colour, b: Colour): number {
  return Math.max(Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b));
}

function bytesOf(image: ResultImage | undefined): Buffer {
  if (image?.kind !== 'base64') throw new Error(`expected a base64 image, got ${image?.kind}`);
  return Buffer.from(image.data, 'base64');
}

async function post(
  simulator: CloudswayImageSimulator,
  path: string,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await request(`${simulator.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }),
    },
    body: body instanceof FormData ? body : JSON.stringify(body),
  });
  return { status: response.statusCode, json: await response.body.json() };
}

describe('Cloudsway Image-1 adapter against its simulator', () => {
  let simulator: CloudswayImageSimulator;
  let adapter: CloudswayImageAdapter;
  const fox = prompt('a red fox in the snow --ar 16:9 --q 2 --no trees, houses');
  let grid: TaskUpdate;

  beforeAll(async () => {
    simulator = await new CloudswayImageSimulator({
      key: KEY,
      endpointPath: ENDPOINT,
      timeScale: 0.001,
      imageEdge: EDGE,
      sensitiveWords: ['forbidden-thing'],
    }).start();
    adapter = adapterFor(simulator);
    grid = await adapter.submit({ prompt: fox }, call());
  });

  afterAll(async () => {
    await simulator.stop();
    expect(lines.join('')).not.toContain(KEY);
    for (const error of seenErrors) {
      expect(`${error.message} ${error.userMessage} ${JSON.stringify(error.toJSON())}`).not.toContain(KEY);
    }
    expect(seenErrors.length).toBeGreaterThan(5);
  });

  it('GIVEN an imagine THEN one generation of four, with --ar, --q and --no translated into fields and a sentence', () => {
    expect(simulator.submissions[0]).toEqual({
      path: '/images/generations',
      body: {
        prompt: 'a red fox in the snow. Do not include: trees, houses.',
        model: 'gpt-image-1',
        n: 4,
        size: '1536x1024',
        quality: 'high',
      },
    });
  });

  it('GIVEN an imagine THEN it is already finished with four base64 PNGs of the mapped size', async () => {
    expect(grid.state).toBe('succeeded');
    expect(grid.taskId).toMatch(/^cwi-/);
    expect(grid.images).toHaveLength(4);
    for (const image of grid.images!) expect(image).toMatchObject({ kind: 'base64', contentType: 'image/png' });
    const metadata = await sharp(bytesOf(grid.images![0])).metadata();
    expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({
      format: 'png',
      width: 96,
      height: 64,
    });
    expect(bytesOf(grid.images![0]).equals(bytesOf(grid.images![1]))).toBe(false);
  });

  it('GIVEN parameters Image-1 cannot honour THEN notices for ignored ones and refusals with no request', async () => {
    const check = adapter.checkPrompt(prompt('a cat --stylize 300 --v 7 --relax --seed 3'));
    expect(check.ok).toBe(true);
    const notices = check.ok ? check.notices.join('\n') : '';
    for (const flag of ['--stylize', '--version', '--relax', '--seed']) expect(notices).toContain(flag);
    const before = simulator.submissions.length;
    for (const input of ['a cat --tile', 'a cat --sref https://example.com/s.png', 'https://example.com/a.png a cat']) {
      expect(await failure(adapter.submit({ prompt: prompt(input) }, call()))).toMatchObject({
        code: 'invalid_input',
      });
    }
    expect(simulator.submissions.length).toBe(before);
  });

  it('GIVEN U3 THEN image 3 itself comes back and no call is made', async () => {
    const parent = parentOf(grid, 'imagine', fox);
    const before = simulator.requests.length;
    const upscale = await adapter.submit(
      { followUp: { action: 'upscale', index: 3, type: 'default' }, parent },
      call(),
    );
    expect(simulator.requests.length).toBe(before);
    expect(parent.loads).toEqual([3]);
    expect(upscale.state).toBe('succeeded');
    expect(upscale.images).toHaveLength(1);
    expect(bytesOf(upscale.images![0]).equals(bytesOf(grid.images![2]))).toBe(true);
  });

  it('GIVEN V2 strong and subtle THEN /images/edits gets image 2 as a file, the instruction and n = 4', async () => {
    for (const strength of ['strong', 'subtle'] as const) {
      const parent = parentOf(grid, 'imagine', fox);
      const varied = await adapter.submit({ followUp: { action: 'vary', index: 2, strength }, parent }, call());
      expect(parent.loads).toEqual([2]);
      expect(varied.images).toHaveLength(4);
      const sent = simulator.submissions.at(-1) as {
        path: string;
        body: {
          fields: Record<string, string>;
          files: { field: string; format: string; width: number; size: number }[];
        };
      };
      expect(sent.path).toBe('/images/edits');
      expect(sent.body.fields).toMatchObject({ model: 'gpt-image-1', n: '4', size: '1536x1024', quality: 'high' });
      expect(sent.body.fields.prompt).toContain('a red fox in the snow. Do not include: trees, houses.');
      expect(sent.body.fields.prompt).toContain(
        strength === 'strong' ? 'freely change the composition' : 'keep the composition',
      );
      expect(sent.body.files).toEqual([
        expect.objectContaining({ field: 'image', format: 'png', width: 96, size: bytesOf(grid.images![1]).length }),
      ]);
    }
  });

  it('GIVEN Vary on an upscaled image THEN the edit uses that one image', async () => {
    const upscale = await adapter.submit(
      { followUp: { action: 'upscale', index: 1, type: 'default' }, parent: parentOf(grid, 'imagine', fox) },
      call(),
    );
    const parent = parentOf(upscale, 'upscale', fox);
    const varied = await adapter.submit({ followUp: { action: 'vary', index: 1, strength: 'subtle' }, parent }, call());
    expect(parent.loads).toEqual([1]);
    expect(varied.images).toHaveLength(4);
    expect(
      (await failure(adapter.submit({ followUp: { action: 'upscale', index: 1, type: 'default' }, parent }, call())))
        .code,
    ).toBe('unsupported');
  });

  it('GIVEN a reroll THEN the same generation body again', async () => {
    const rerolled = await adapter.submit(
      { followUp: { action: 'reroll' }, parent: parentOf(grid, 'imagine', fox) },
      call(),
    );
    expect(rerolled.taskId).not.toBe(grid.taskId);
    expect(simulator.submissions.at(-1)).toEqual(simulator.submissions[0]);
  });

  it('GIVEN undeclared actions, outpaints on a grid or a status query THEN unsupported, and nothing is sent', async () => {
    const parent = parentOf(grid, 'imagine', fox);
    const before = simulator.submissions.length;
    const requests: SubmitRequest[] = [
      { followUp: { action: 'zoom', index: 1, factor: 1.5 }, parent },
      { followUp: { action: 'pan', index: 1, direction: 'up' }, parent },
      { followUp: { action: 'square', index: 1 }, parent },
      { followUp: { action: 'region', index: 1, area: presetArea('centre') }, parent },
      { followUp: { action: 'upscale', index: 1, type: 'creative' }, parent },
    ];
    for (const submit of requests) expect((await failure(adapter.submit(submit, call()))).code).toBe('unsupported');
    expect(simulator.submissions.length).toBe(before);
    // Also from "another process": there is nothing to look up anywhere.
    expect((await failure(adapterFor(simulator).status(grid.taskId, call()))).code).toBe('unsupported');
  });

  describe('on an upscale', () => {
    let upscale: ReturnType<typeof parentOf>;
    let source: Buffer;
    beforeAll(async () => {
      const taken = await adapter.submit(
        { followUp: { action: 'upscale', index: 2, type: 'default' }, parent: parentOf(grid, 'imagine', fox) },
        call(),
      );
      upscale = parentOf(taken, 'upscale', fox);
      source = bytesOf(taken.images![0]);
    });

    const lastEdit = () =>
      simulator.submissions.at(-1) as {
        path: string;
        body: { fields: Record<string, string>; files: { field: string; width: number; height: number }[] };
      };

    it('GIVEN Vary (Region) on the left half THEN one masked edit of the upscale, repainted there only', async () => {
      const region = await adapter.submit(
        {
          followUp: { action: 'region', index: 1, area: presetArea('left-half'), prompt: 'a red door' },
          parent: upscale,
        },
        call(),
      );
      const sent = lastEdit();
      expect(sent.path).toBe('/images/edits');
      expect(sent.body.fields).toMatchObject({ prompt: 'a red door', n: '4', size: '1536x1024', quality: 'high' });
      expect(sent.body.files.map((file) => [file.field, file.width, file.height])).toEqual([
        ['image', 96, 64],
        ['mask', 96, 64],
      ]);
      // The mask is transparent over the left half and opaque over the right.
      const alpha = await sharp(simulator.lastMask).extractChannel('alpha').raw().toBuffer();
      expect(alpha[32 * 96 + 10]).toBe(0);
      expect(alpha[32 * 96 + 80]).toBe(255);
      // Four images of the upscale's size, each changed on the left and not on the right.
      expect(region.images).toHaveLength(4);
      const before = await decode(source);
      for (const image of region.images!) {
        const after = await decode(bytesOf(image));
        expect([after.width, after.height]).toEqual([96, 64]);
        expect(distance(after.at(10, 32), before.at(10, 32))).toBeGreaterThan(40);
        expect(distance(after.at(80, 32), before.at(80, 32))).toBe(0);
      }
    });

    it('GIVEN Vary (Region) without a prompt THEN the parent’s prompt, its --no as a sentence', async () => {
      await adapter.submit(
        { followUp: { action: 'region', index: 1, area: presetArea('centre') }, parent: upscale },
        call(),
      );
      expect(lastEdit().body.fields.prompt).toBe('a red fox in the snow. Do not include: trees, houses.');
    });

    it.each([
      [{ action: 'zoom', index: 1, factor: 2 }, '1536x1024', [192, 128]],
      [{ action: 'square', index: 1 }, '1024x1024', [96, 96]],
      [{ action: 'pan', index: 1, direction: 'left' }, '1536x1024', [144, 64]],
      [{ action: 'pan', index: 1, direction: 'up' }, '1024x1024', [96, 96]],
    ] as const)(
      'GIVEN %o THEN one edit of a padded canvas at %s, and four images of the new frame keeping the upscale exactly',
      async (followUp, size, [width, height]) => {
        const result = await adapter.submit({ followUp, parent: upscale }, call());
        const sent = lastEdit();
        expect(sent.body.fields).toMatchObject({ n: '4', size });
        expect(sent.body.fields.prompt).toContain('Extend this image into the transparent area');
        expect(sent.body.fields.prompt).toContain('a red fox in the snow');
        const [frameWidth, frameHeight] = size.split('x').map(Number);
        expect(sent.body.files.map((file) => [file.field, file.width, file.height])).toEqual([
          ['image', frameWidth, frameHeight],
          ['mask', frameWidth, frameHeight],
        ]);
        expect(result.images).toHaveLength(4);
        const layout = outpaintLayout({ width: 96, height: 64 }, followUp);
        const original = await decode(source);
        for (const image of result.images!) {
          const after = await decode(bytesOf(image));
          expect([after.width, after.height]).toEqual([width, height]);
          for (const [x, y] of [
            [0, 0],
            [50, 30],
            [95, 63],
          ] as const)
            expect(distance(after.at(layout.image.x + x, layout.image.y + y), original.at(x, y))).toBe(0);
        }
      },
    );

    it('GIVEN a remixed Zoom Out THEN the edited prompt is the edit’s', async () => {
      await adapter.submit(
        { followUp: { action: 'zoom', index: 1, factor: 1.5 }, parent: upscale, remix: prompt('a fox in a storm') },
        call(),
      );
      expect(lastEdit().body.fields.prompt).toContain('The image shows: a fox in a storm');
      expect(lastEdit().body.fields.prompt).not.toContain('snow');
    });
  });

  it('GIVEN a wrong key THEN auth from the OpenAI-style 401', async () => {
    expect(await failure(adapterFor(simulator, { key: 'sk-wrong' }).submit({ prompt: fox }, call()))).toMatchObject({
      code: 'auth',
      status: 401,
      providerCode: 'invalid_api_key',
    });
  });

  it('GIVEN insufficient_quota (a 429) THEN credits, not rate_limited', async () => {
    // Out of quota is not "busy": the submit is not sent again, so one injected answer is all it takes.
    await inject(simulator, { kind: 'credits', on: 'submit', count: 1 });
    const submitsBefore = simulator.requests.filter((request) => request.kind === 'submit').length;
    expect(await failure(adapter.submit({ prompt: fox }, call()))).toMatchObject({
      code: 'credits',
      status: 429,
      providerCode: 'insufficient_quota',
    });
    expect(simulator.requests.filter((request) => request.kind === 'submit').length - submitsBefore).toBe(1);
  });

  it('GIVEN a rate limit with Retry-After THEN the call waits it out and succeeds', async () => {
    await inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 0.3 });
    const started = Date.now();
    const update = await adapter.submit({ prompt: fox }, call());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(update.images).toHaveLength(4);
    expect(simulator.requests.slice(-2).map((recorded) => recorded.status)).toEqual([429, 200]);
  });

  it('GIVEN the safety system blocks the request THEN content_rejected', async () => {
    await inject(simulator, { kind: 'content_rejected', on: 'submit' });
    expect(await failure(adapter.submit({ prompt: fox }, call()))).toMatchObject({
      code: 'content_rejected',
      status: 400,
      providerCode: 'moderation_blocked',
    });
    expect((await failure(adapter.submit({ prompt: prompt('a forbidden-thing') }, call()))).code).toBe(
      'content_rejected',
    );
  });

  it('GIVEN a model the endpoint does not serve THEN invalid_input naming the field', async () => {
    const error = await failure(adapterFor(simulator, { model: 'dall-e-9' }).submit({ prompt: fox }, call()));
    expect(error).toMatchObject({ code: 'invalid_input', status: 400, providerCode: 'invalid_value' });
    expect(error.providerMessage).toContain('dall-e-9');
  });

  it('GIVEN 5xx, malformed JSON, a hung request or an aborted call THEN transient', async () => {
    await inject(simulator, { kind: 'server_error', on: 'submit', status: 500 });
    expect(await failure(adapter.submit({ prompt: fox }, call()))).toMatchObject({
      code: 'transient',
      status: 500,
    });
    await inject(simulator, { kind: 'server_error', on: 'submit', status: 503, count: 3 });
    const gateway = await failure(adapter.submit({ prompt: fox }, call()));
    expect(gateway).toMatchObject({ code: 'transient', status: 503 });
    expect(gateway.providerMessage).toContain('Service Unavailable');
    await inject(simulator, { kind: 'malformed_json', on: 'submit' });
    expect((await failure(adapter.submit({ prompt: fox }, call()))).code).toBe('transient');
    await inject(simulator, { kind: 'timeout', on: 'submit' });
    const impatient = adapterFor(simulator, { timeouts: { headers: 150, body: 150 } });
    expect((await failure(impatient.submit({ prompt: fox }, call()))).code).toBe('transient');
    expect((await failure(adapter.submit({ prompt: fox }, { signal: AbortSignal.abort(), logger }))).code).toBe(
      'transient',
    );
  });

  it('GIVEN invalid fields THEN the simulator answers like OpenAI, naming the parameter', async () => {
    expect(
      await post(simulator, '/images/generations', { prompt: 'x', model: 'gpt-image-1', size: '1000x1000' }),
    ).toMatchObject({
      status: 400,
      json: {
        error: {
          type: 'invalid_request_error',
          param: 'size',
          code: 'invalid_value',
          message: expect.stringContaining("Invalid value for 'size'") as unknown,
        },
      },
    });
    expect(await post(simulator, '/images/generations', { model: 'gpt-image-1' })).toMatchObject({
      status: 400,
      json: { error: { param: 'prompt', code: 'missing_required_parameter' } },
    });
    expect(
      await post(simulator, '/images/generations', { prompt: 'x', model: 'gpt-image-1', style: 'vivid' }),
    ).toMatchObject({ status: 400, json: { error: { param: 'style', code: 'unknown_parameter' } } });
    expect(await post(simulator, '/images/generations', { prompt: 'x', model: 'gpt-image-1', n: 11 })).toMatchObject({
      status: 400,
      json: { error: { param: 'n' } },
    });
    expect(
      await post(simulator, '/images/generations', {
        prompt: 'x',
        model: 'gpt-image-1',
        background: 'transparent',
        output_format: 'jpeg',
      }),
    ).toMatchObject({ status: 400, json: { error: { param: 'background' } } });
    expect(await post(simulator, '/images/edits', { prompt: 'x', model: 'gpt-image-1' })).toMatchObject({
      status: 400,
    });
  });

  it('GIVEN output formats and image[] fields THEN the simulator renders JPEG/WebP and reads both field names', async () => {
    for (const format of ['jpeg', 'webp'] as const) {
      const answer = (await post(simulator, '/images/generations', {
        prompt: 'x',
        model: 'gpt-image-1',
        n: 2,
        size: '1024x1536',
        output_format: format,
      })) as { status: number; json: { data: { b64_json: string }[] } };
      expect(answer.status).toBe(200);
      expect(answer.json.data).toHaveLength(2);
      const metadata = await sharp(Buffer.from(answer.json.data[0]!.b64_json, 'base64')).metadata();
      expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({
        format,
        width: 64,
        height: 96,
      });
    }
    const form = new FormData();
    form.append('image[]', new Blob([bytesOf(grid.images![0])], { type: 'image/png' }), 'a.png');
    form.append('image[]', new Blob([bytesOf(grid.images![1])], { type: 'image/png' }), 'b.png');
    form.append('prompt', 'combine them');
    form.append('model', 'gpt-image-1');
    const edited = (await post(simulator, '/images/edits', form)) as {
      status: number;
      json: { data: unknown[]; usage: { input_tokens_details: { image_tokens: number } } };
    };
    expect(edited.status).toBe(200);
    expect(edited.json.data).toHaveLength(1);
    expect(edited.json.usage.input_tokens_details.image_tokens).toBeGreaterThan(0);
    const badMask = new FormData();
    badMask.append('image', new Blob([bytesOf(grid.images![0])], { type: 'image/png' }), 'a.png');
    badMask.append(
      'mask',
      new Blob(
        [
          await sharp({ create: { width: 10, height: 10, channels: 4, background: '#0000' } })
            .png()
            .toBuffer(),
        ],
        { type: 'image/png' },
      ),
      'm.png',
    );
    badMask.append('prompt', 'x');
    badMask.append('model', 'gpt-image-1');
    expect(await post(simulator, '/images/edits', badMask)).toMatchObject({
      status: 400,
      json: { error: { param: 'mask' } },
    });
    // A mask of the right size with no fully transparent pixel marks nothing to edit.
    const opaqueMask = new FormData();
    opaqueMask.append('image', new Blob([bytesOf(grid.images![0])], { type: 'image/png' }), 'a.png');
    opaqueMask.append(
      'mask',
      new Blob(
        [
          await sharp({ create: { width: 96, height: 64, channels: 4, background: '#000f' } })
            .png()
            .toBuffer(),
        ],
        {
          type: 'image/png',
        },
      ),
      'm.png',
    );
    opaqueMask.append('prompt', 'x');
    opaqueMask.append('model', 'gpt-image-1');
    expect(await post(simulator, '/images/edits', opaqueMask)).toMatchObject({
      status: 400,
      json: {
        error: {
          type: 'invalid_request_error',
          param: 'mask',
          code: 'invalid_value',
          message: expect.stringContaining('no fully transparent pixels') as unknown,
        },
      },
    });
  });
});

describe('Cloudsway Image-1 timing and other error formats', () => {
  it('GIVEN quality low and high THEN the request is held in proportion (10 s vs 40 s simulated)', async () => {
    const simulator = await new CloudswayImageSimulator({
      key: KEY,
      endpointPath: ENDPOINT,
      timeScale: 0.01,
      imageEdge: 32,
    }).start();
    try {
      const adapter = adapterFor(simulator);
      const timed = async (input: string) => {
        const started = Date.now();
        await adapter.submit({ prompt: prompt(input) }, call());
        return Date.now() - started;
      };
      const low = await timed('a boat --q .5');
      const high = await timed('a boat --q 2');
      expect(low).toBeGreaterThanOrEqual(95);
      expect(high).toBeGreaterThanOrEqual(395);
      // 30 simulated seconds apart at scale 0.01: 300 ms, less whatever noise the machine adds.
      expect(high - low).toBeGreaterThanOrEqual(200);
    } finally {
      await simulator.stop();
    }
  });

  it.each(['youchuan', 'text'] as const)(
    'GIVEN %s error bodies THEN credits, auth and moderation still map',
    async (errorFormat) => {
      const simulator = await new CloudswayImageSimulator({
        key: KEY,
        endpointPath: ENDPOINT,
        timeScale: 0.001,
        imageEdge: EDGE,
        errorFormat,
      }).start();
      try {
        const adapter = adapterFor(simulator);
        await inject(simulator, { kind: 'credits', on: 'submit', count: 1 });
        expect((await failure(adapter.submit({ prompt: prompt('a boat') }, call()))).code).toBe('credits');
        expect(
          (await failure(adapterFor(simulator, { key: 'nope' }).submit({ prompt: prompt('a boat') }, call()))).code,
        ).toBe('auth');
        await inject(simulator, { kind: 'content_rejected', on: 'submit' });
        expect((await failure(adapter.submit({ prompt: prompt('a boat') }, call()))).code).toBe('content_rejected');
      } finally {
        await simulator.stop();
      }
    },
  );
});
