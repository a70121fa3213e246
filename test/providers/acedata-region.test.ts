import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetArea } from '../../src/jobs/region.js';
import { regionMaskPng } from '../../src/images/region-mask.js';
import type { SubmitRequest, TaskUpdate } from '../../src/providers/types.js';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import { expectRepaintedOnly } from '../images/helpers.js';
import { adapterFor, call, KEY, prompt, startSimulator, urlOf } from './acedata-support.js';
import { expectProviderError, finish, parentOf } from './support.js';

const LEFT_HALF = { left: 0.05, top: 0.05, right: 0.45, bottom: 0.95 };
const RIGHT_HALF = { left: 0.55, top: 0.05, right: 0.95, bottom: 0.95 };

/**
 * Vary (Region) on AceData: `variation_region` with `mask`, the URL of a mask image (the imagine
 * page), which the simulator fetches and checks before it takes the task.
 */
describe('AceData Vary (Region) against its simulator', () => {
  let simulator: AcedataSimulator;
  /** Serves whatever `files` holds at `/<name>`, as the bot serves its masks. */
  let files: Server;
  const served = new Map<string, Buffer>();
  let filesUrl: string;
  const parsed = prompt('a lighthouse on a cliff', { aspect: '3:2' });
  let grid: TaskUpdate;
  let upscale: TaskUpdate;
  let upscaleBytes: Buffer;

  beforeAll(async () => {
    simulator = await startSimulator();
    files = createServer((incoming, response) => {
      const bytes = served.get(incoming.url ?? '');
      if (bytes) response.writeHead(200, { 'content-type': 'image/png' }).end(bytes);
      else response.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    const adapter = adapterFor(simulator);
    grid = await finish(adapter, (await adapter.submit({ prompt: parsed }, call())).taskId);
    const upscaled = await adapter.submit(
      { followUp: { action: 'upscale', index: 2, type: 'default' }, parent: parentOf(grid, 'imagine', parsed) },
      call(),
    );
    upscale = await finish(adapter, upscaled.taskId);
    upscaleBytes = Buffer.from(await (await request(urlOf(upscale.images?.[0]))).body.arrayBuffer());
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => files.close(() => resolve()));
    await simulator.stop();
  });

  const region = (text?: string): SubmitRequest => ({
    followUp: { action: 'region', index: 1, area: presetArea('left-half'), ...(text ? { prompt: text } : {}) },
    parent: parentOf(upscale, 'upscale', parsed),
  });

  /** Serves `bytes` under a new name and answers the adapter's ask for a mask URL with it. */
  function maskAt(bytes: Buffer | undefined, name = `mask-${served.size}.png`) {
    if (bytes) served.set(`/${name}`, bytes);
    return call({ regionMaskUrl: () => `${filesUrl}/${name}` });
  }

  it('GIVEN a mask of the upscale’s size, white on the left half THEN a grid of four repainted on the left only', async () => {
    const adapter = adapterFor(simulator);
    const { width = 0, height = 0 } = await sharp(upscaleBytes).metadata();
    const mask = await regionMaskPng(presetArea('left-half'), { width, height });
    const submitted = await adapter.submit(region('a red door'), maskAt(mask));
    expect(simulator.submissions.at(-1)).toMatchObject({
      action: 'variation_region',
      image_id: upscale.handle,
      prompt: 'a red door --ar 3:2',
    });
    expect(simulator.submissions.at(-1)?.mask).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mask-\d+\.png$/);
    const result = await finish(adapter, submitted.taskId);
    expect(result.state).toBe('succeeded');
    expect(result.images).toHaveLength(4);
    for (const image of result.images ?? []) {
      const bytes = Buffer.from(await (await request(urlOf(image))).body.arrayBuffer());
      expect(await sharp(bytes).metadata()).toMatchObject({ width, height });
      await expectRepaintedOnly(upscaleBytes, bytes, LEFT_HALF, RIGHT_HALF);
    }
  });

  const black = ({ width, height }: { width: number; height: number }) =>
    sharp({ create: { width, height, channels: 3, background: '#000' } })
      .png()
      .toBuffer();

  it.each([
    [
      'a link that answers 404',
      () => Promise.resolve(undefined),
      /^Invalid mask URL: the image link answered HTTP 404\.$/,
    ],
    [
      'a file that is not an image',
      () => Promise.resolve(Buffer.from('GIF89a, or so it says')),
      /the file is not an image/,
    ],
    [
      'an image of another size',
      async () => regionMaskPng(presetArea('left-half'), { width: 32, height: 32 }),
      /it is 32×32, and must be the image's size/,
    ],
    ['an image of the right size with no white in it', black, /it has no white part to repaint/],
  ])('GIVEN %s as the mask THEN AceData’s 400 bad_request, and no task', async (_case, bytes, message) => {
    const { width = 0, height = 0 } = await sharp(upscaleBytes).metadata();
    const mask = await bytes({ width, height });
    const before = simulator.submissions.length;
    const error = await expectProviderError(adapterFor(simulator).submit(region(), maskAt(mask)), 'invalid_input');
    expect(error.providerCode).toBe('bad_request');
    expect(error.providerMessage).toMatch(message);
    expect(simulator.submissions).toHaveLength(before);
  });

  it('GIVEN CONTRACTS’ base64 form, a grid’s image_id, or no mask THEN refused: the page’s URL, on an upscale', async () => {
    const ask = async (body: Record<string, unknown>) => {
      const answer = await request(`${simulator.baseUrl}/midjourney/imagine`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'variation_region', async: true, ...body }),
      });
      return { status: answer.statusCode, json: (await answer.body.json()) as { error?: { message?: string } } };
    };
    const base64 = (await regionMaskPng(presetArea('centre'), { width: 8, height: 8 })).toString('base64');
    const refusals = await Promise.all([
      ask({ image_id: upscale.handle, mask: base64 }),
      ask({ image_id: grid.handle, mask: `${filesUrl}/mask-0.png` }),
      ask({ image_id: upscale.handle }),
    ]);
    expect(refusals.map((refusal) => refusal.status)).toEqual([400, 400, 400]);
    expect(refusals.map((refusal) => refusal.json.error?.message)).toEqual([
      'Invalid mask: it must be the URL of the mask image.',
      expect.stringMatching(/^The action variation_region is not available for image_id /),
      'The mask is required for the variation_region action.',
    ]);
  });

  it('GIVEN no mask URL from the bot (no public URL) THEN unsupported before anything is sent', async () => {
    const before = simulator.submissions.length;
    const error = await expectProviderError(adapterFor(simulator).submit(region(), call()), 'unsupported');
    expect(error.userMessage).toBe(
      'Vary (Region) on AceDataCloud needs the bot’s public address, which is not set any more.',
    );
    expect(simulator.submissions).toHaveLength(before);
  });
});
