import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeForAspect } from '../../src/sandbox/providers/kit/images.js';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import type { TaskUpdate } from '../../src/providers/types.js';
import { adapterFor, call, EDGE, fetchImage, prompt, startSimulator, urlOf } from './acedata-support.js';
import { finish, parentOf } from './support.js';

describe('AceData adapter against its simulator: the Midjourney button set', () => {
  let simulator: AcedataSimulator;
  const parsed = prompt('a lighthouse in a storm', {
    aspect: '16:9',
    version: '7',
    chaos: 20,
    quality: 0.5,
    sref: ['123'],
    speed: 'fast',
  });
  const cell = sizeForAspect('16:9', EDGE);
  let grid: TaskUpdate;
  let upscaled: TaskUpdate;

  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterAll(async () => simulator.stop());

  it('GIVEN an imagine THEN it is submitted asynchronously with the flags in the text and billing fields beside it', async () => {
    const adapter = adapterFor(simulator);
    const submitted = await adapter.submit({ prompt: parsed }, call());
    expect(submitted.state).toBe('queued');
    expect(Object.keys(submitted).sort()).toEqual(['state', 'taskId']);
    expect(submitted.taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(simulator.submissions.at(-1)).toEqual({
      action: 'generate',
      prompt: 'a lighthouse in a storm --ar 16:9 --chaos 20 --quality 0.5 --sref 123 --v 7',
      mode: 'fast',
      version: '7',
      quality: '.5',
      style_reference: true,
      split_images: true,
      async: true,
    });

    grid = await finish(adapter, submitted.taskId);
    expect(grid.state).toBe('succeeded');
  });

  it('GIVEN the finished grid THEN four single images of the aspect ratio come back with U/V/reroll follow-ups and a handle', async () => {
    expect(grid.images).toHaveLength(4);
    expect(grid.gridImage).toBeUndefined();
    expect(grid.handle).toMatch(/^\d{15,20}$/);
    expect(grid.followUps).toEqual([
      { action: 'upscale', index: 1, type: 'default' },
      { action: 'upscale', index: 2, type: 'default' },
      { action: 'upscale', index: 3, type: 'default' },
      { action: 'upscale', index: 4, type: 'default' },
      { action: 'reroll' },
      { action: 'vary', index: 1, strength: 'strong' },
      { action: 'vary', index: 2, strength: 'strong' },
      { action: 'vary', index: 3, strength: 'strong' },
      { action: 'vary', index: 4, strength: 'strong' },
    ]);
    const url = urlOf(grid.images?.[1]);
    expect(url).toMatch(/\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}/);
    expect(await fetchImage(url)).toEqual({ status: 200, format: 'png', width: cell.width, height: cell.height });
  });

  it('GIVEN U2 on the grid THEN upscale2 is sent with the image_id and one larger image comes back', async () => {
    const adapter = adapterFor(simulator);
    const submitted = await adapter.submit(
      { followUp: { action: 'upscale', index: 2, type: 'default' }, parent: parentOf(grid, 'imagine', parsed) },
      call(),
    );
    expect(simulator.submissions.at(-1)).toMatchObject({
      action: 'upscale2',
      image_id: grid.handle,
      mode: 'fast',
      async: true,
    });
    expect(simulator.submissions.at(-1)).not.toHaveProperty('prompt');
    upscaled = await finish(adapter, submitted.taskId);
    expect(upscaled.state).toBe('succeeded');
    expect(upscaled.images).toHaveLength(1);
    expect(upscaled.handle).not.toBe(grid.handle);
    expect(await fetchImage(urlOf(upscaled.images?.[0]))).toEqual({
      status: 200,
      format: 'png',
      width: cell.width * 2,
      height: cell.height * 2,
    });
    expect(upscaled.followUps).toEqual(
      expect.arrayContaining([
        { action: 'upscale', index: 1, type: '2x' },
        { action: 'upscale', index: 1, type: '4x' },
        { action: 'vary', index: 1, strength: 'subtle' },
        { action: 'vary', index: 1, strength: 'strong' },
        { action: 'zoom', index: 1, factor: 2 },
        { action: 'zoom', index: 1, factor: 1.5 },
        { action: 'pan', index: 1, direction: 'left' },
        { action: 'pan', index: 1, direction: 'down' },
      ]),
    );
  });

  it.each([
    ['vary strong on the upscale', { action: 'vary', index: 1, strength: 'strong' }, 'variation_strong', 4],
    ['vary subtle on the upscale', { action: 'vary', index: 1, strength: 'subtle' }, 'variation_subtle', 4],
    ['zoom out 2x', { action: 'zoom', index: 1, factor: 2 }, 'zoom_out_2x', 4],
    ['zoom out 1.5x', { action: 'zoom', index: 1, factor: 1.5 }, 'zoom_out_1_5x', 4],
    ['pan left', { action: 'pan', index: 1, direction: 'left' }, 'pan_left', 4],
    ['pan up', { action: 'pan', index: 1, direction: 'up' }, 'pan_up', 4],
    ['upscale 2x', { action: 'upscale', index: 1, type: '2x' }, 'upscale_2x', 1],
    ['upscale 4x', { action: 'upscale', index: 1, type: '4x' }, 'upscale_4x', 1],
  ] as const)(
    'GIVEN %s on the upscaled image THEN %s runs and finishes',
    async (_title, follow, expectedAction, imageCount) => {
      const adapter = adapterFor(simulator);
      const parent = parentOf(upscaled, 'upscale', parsed);
      const submitted = await adapter.submit({ followUp: follow, parent }, call());
      expect(simulator.submissions.at(-1)).toMatchObject({ action: expectedAction, image_id: upscaled.handle });
      const done = await finish(adapter, submitted.taskId);
      expect(done.state).toBe('succeeded');
      expect(done.images).toHaveLength(imageCount);
    },
  );

  it('GIVEN upscale 2x THEN the image is twice the upscale', async () => {
    const adapter = adapterFor(simulator);
    const submitted = await adapter.submit(
      { followUp: { action: 'upscale', index: 1, type: '2x' }, parent: parentOf(upscaled, 'upscale', parsed) },
      call(),
    );
    const done = await finish(adapter, submitted.taskId);
    expect(await fetchImage(urlOf(done.images?.[0]))).toMatchObject({ width: cell.width * 4, height: cell.height * 4 });
  });

  it.each([
    ['V3', { action: 'vary', index: 3, strength: 'strong' }, 'variation3'],
    ['reroll', { action: 'reroll' }, 'reroll'],
  ] as const)('GIVEN %s on the grid THEN %s makes a new grid', async (_title, follow, expectedAction) => {
    const adapter = adapterFor(simulator);
    const submitted = await adapter.submit({ followUp: follow, parent: parentOf(grid, 'imagine', parsed) }, call());
    expect(simulator.submissions.at(-1)).toMatchObject({ action: expectedAction, image_id: grid.handle });
    const done = await finish(adapter, submitted.taskId);
    expect(done.state).toBe('succeeded');
    expect(done.images).toHaveLength(4);
    expect(done.images).not.toEqual(grid.images);
  });

  it('GIVEN a parent stored without its handle THEN the adapter looks the image_id up by task id', async () => {
    const adapter = adapterFor(simulator);
    const parent = { ...parentOf(grid, 'imagine', parsed), handle: undefined };
    const submitted = await adapter.submit(
      { followUp: { action: 'upscale', index: 4, type: 'default' }, parent },
      call(),
    );
    expect(simulator.submissions.at(-1)).toMatchObject({ action: 'upscale4', image_id: grid.handle });
    expect((await finish(adapter, submitted.taskId)).state).toBe('succeeded');
  });

  it('GIVEN a task made by another adapter instance THEN a fresh instance reads its status ("another process")', async () => {
    const first = adapterFor(simulator);
    const submitted = await first.submit({ prompt: prompt('a red fox') }, call());
    const second = adapterFor(simulator);
    const done = await finish(second, submitted.taskId);
    expect(done).toMatchObject({ taskId: submitted.taskId, state: 'succeeded' });
    expect(done.images).toHaveLength(4);
  });

  it('GIVEN several tasks THEN statusMany reads them in one retrieve_batch call', async () => {
    const adapter = adapterFor(simulator);
    const a = await adapter.submit({ prompt: prompt('a cat') }, call());
    const b = await adapter.submit({ prompt: prompt('a dog') }, call());
    await finish(adapter, a.taskId);
    await finish(adapter, b.taskId);
    const before = simulator.requests.length;
    const updates = await adapter.statusMany([a.taskId, b.taskId, 'no-such-task'], call());
    expect(simulator.requests.length - before).toBe(1);
    expect([...updates.keys()].sort()).toEqual([a.taskId, b.taskId].sort());
    expect(updates.get(a.taskId)?.state).toBe('succeeded');
    expect(updates.get(b.taskId)?.images).toHaveLength(4);
  });

  it('GIVEN relax and a non-English prompt THEN mode is relax and translation is asked for', async () => {
    const adapter = adapterFor(simulator);
    await adapter.submit({ prompt: prompt('un château sous la neige', { speed: 'relax', niji: '6' }) }, call());
    expect(simulator.submissions.at(-1)).toEqual({
      action: 'generate',
      prompt: 'un château sous la neige --niji 6',
      mode: 'relax',
      translation: true,
      split_images: true,
      async: true,
    });
  });

  it('GIVEN image prompts THEN the URLs lead the text (one = image prompt, several = blend)', async () => {
    const adapter = adapterFor(simulator);
    const urls = ['https://example.org/a.png', 'https://example.org/b.png'];
    const submitted = await adapter.submit({ prompt: prompt('', { iw: 1.5 }, urls) }, call());
    expect(simulator.submissions.at(-1)).toMatchObject({
      prompt: 'https://example.org/a.png https://example.org/b.png --iw 1.5',
    });
    expect((await finish(adapter, submitted.taskId)).state).toBe('succeeded');
  });
});

describe('AceData progress while a task runs', () => {
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    // Slower than the other suites so that polls surely land inside the run (45 s → 450 ms).
    simulator = await startSimulator({ timeScale: 0.01 });
  });
  afterAll(async () => simulator.stop());

  it('GIVEN polls during the run THEN progress and previews show, and a partial response is never taken for the result', async () => {
    const adapter = adapterFor(simulator);
    const seen: TaskUpdate[] = [];
    const done = await finish(adapter, (await adapter.submit({ prompt: prompt('a slow tide') }, call())).taskId, {
      seen,
    });
    expect(done.state).toBe('succeeded');
    const running = seen.filter((update) => update.state === 'running');
    expect(running.length).toBeGreaterThan(1);
    expect(
      running.every(
        (update) => update.images === undefined && update.gridImage === undefined && (update.progress ?? 100) < 100,
      ),
    ).toBe(true);
    expect(new Set(running.map((update) => update.progress)).size).toBeGreaterThan(1);
    expect(running.every((update) => update.previewUrl !== undefined)).toBe(true);
  });
});

describe('AceData simulator without split images', () => {
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    simulator = await startSimulator({ ignoreSplitImages: true });
  });
  afterAll(async () => simulator.stop());

  it('GIVEN no sub_image_urls THEN the adapter returns the provider-made grid, twice the cell size', async () => {
    const adapter = adapterFor(simulator);
    const submitted = await adapter.submit({ prompt: prompt('a harbour', { aspect: '2:3' }) }, call());
    const done = await finish(adapter, submitted.taskId);
    expect(done.images).toBeUndefined();
    const cell = sizeForAspect('2:3', EDGE);
    expect(await fetchImage(urlOf(done.gridImage))).toEqual({
      status: 200,
      format: 'png',
      width: cell.width * 2,
      height: cell.height * 2,
    });
    expect(done.followUps).toHaveLength(9);
  });
});
