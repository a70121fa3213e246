import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import type { ApixoSimulator } from '../../src/sandbox/providers/apixo-simulator.js';
import type { CloudswayImageSimulator } from '../../src/sandbox/providers/cloudsway-image-simulator.js';
import type { CloudswayMjSimulator } from '../../src/sandbox/providers/cloudsway-mj-simulator.js';
import { buttonLabels, startE2E, type E2E } from './support.js';

interface Component {
  type: number;
  custom_id?: string;
  url?: string;
  label?: string;
  options?: { value: string; label: string }[];
}
const componentsOf = (message: MessageView | undefined): Component[] =>
  (message?.components ?? []).flatMap((row) => (row as { components: Component[] }).components);

/** Mean absolute difference per channel between two images over a box of fractions of the frame. */
async function difference(
  a: Buffer,
  b: Buffer,
  box: { left: number; top: number; right: number; bottom: number },
): Promise<number> {
  const size = 64;
  const raw = (image: Buffer) => sharp(image).resize(size, size, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [first, second] = await Promise.all([raw(a), raw(b)]);
  let total = 0;
  let count = 0;
  for (let y = Math.ceil(box.top * size); y < Math.floor(box.bottom * size); y += 1)
    for (let x = Math.ceil(box.left * size); x < Math.floor(box.right * size); x += 1)
      for (let channel = 0; channel < 3; channel += 1) {
        const at = (y * size + x) * 3 + channel;
        total += Math.abs(first[at]! - second[at]!);
        count += 1;
      }
  return total / count;
}

/**
 * Without a public URL there is no editor page: Vary (Region) offers preset regions in a select
 * menu, then a modal for the prompt, all through the emulator as a member would click them.
 */
describe('Vary (Region) without a public URL: the preset regions', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN an upscale THEN Vary (Region) → Left half → a prompt repaints the left half only, with that prompt', async () => {
    const { alice } = e2e.seed.users;
    const { emulator } = e2e.sandbox;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a lighthouse at dusk'));
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U1'));
    expect(buttonLabels(upscale)).toContainEqual(['Vary (Strong)', 'Vary (Region)']);

    const click = await e2e.click(alice, upscale, 'Vary (Region)');
    const menu = e2e.ephemeralOf(click);
    expect(menu?.flags).toBeDefined();
    expect(menu?.content).toBe('Choose the region to repaint.');
    const select = componentsOf(menu)[0];
    expect(select?.options?.map((option) => option.value)).toEqual(
      expect.arrayContaining(['left-third', 'right-half', 'top-half', 'centre']),
    );
    const chosen = await emulator.selectMenu(
      { userId: alice, messageId: menu!.id, customId: select!.custom_id!, values: ['left-half'] },
      { wait: 'ack' },
    );
    expect(chosen.modal?.title).toBe('Vary (Region): Left half');
    const submitted = await emulator.submitModal(
      { userId: alice, interactionId: chosen.id, values: { prompt: 'a red door' } },
      { wait: 'ack' },
    );
    const result = await e2e.resultOf(submitted);
    expect(result.content.split('\n')[0]).toBe(`**a red door** - Variations (Region) by <@${alice}> (fast)`);

    // The simulator got one mask area covering the left half of the frame, and the new prompt.
    const simulator = e2e.sandbox.simulators.get('cloudsway-mj') as CloudswayMjSimulator;
    const inpaint = simulator.submissions.filter((submission) => submission.path === '/tob/inpaint').at(-1);
    const body = inpaint?.body as {
      imageNo: number;
      mask: { areas: { width: number; height: number; points: number[] }[] };
      remixPrompt: string;
    };
    expect(body.imageNo).toBe(0);
    expect(body.remixPrompt).toBe('a red door');
    expect(body.mask.areas).toHaveLength(1);
    const [area] = body.mask.areas;
    const xs = area!.points.filter((_, at) => at % 2 === 0).map((x) => x / area!.width);
    const ys = area!.points.filter((_, at) => at % 2 === 1).map((y) => y / area!.height);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([0, 0.5, 0, 1]);

    // The first image of the result differs from the upscale inside the left half, not outside.
    const parentBytes = emulator.attachmentBytes(upscale.attachments[0]!.id)!;
    const gridBytes = emulator.attachmentBytes(result.attachments[0]!.id)!;
    const { width = 0, height = 0 } = await sharp(gridBytes).metadata();
    const first = await sharp(gridBytes)
      .extract({ left: 0, top: 0, width: Math.floor(width / 2), height: Math.floor(height / 2) })
      .toBuffer();
    const inside = await difference(parentBytes, first, { left: 0.05, top: 0.05, right: 0.45, bottom: 0.95 });
    const outside = await difference(parentBytes, first, { left: 0.55, top: 0.05, right: 0.95, bottom: 0.95 });
    expect(inside).toBeGreaterThan(40);
    expect(outside).toBeLessThan(12);
  });

  it('GIVEN a prompt longer than the modal allows THEN the modal cannot be submitted', async () => {
    const { alice } = e2e.seed.users;
    const { emulator } = e2e.sandbox;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a harbour'));
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U2'));
    const menu = e2e.ephemeralOf(await e2e.click(alice, upscale, 'Vary (Region)'));
    const select = componentsOf(menu)[0]!;
    const chosen = await emulator.selectMenu(
      { userId: alice, messageId: menu!.id, customId: select.custom_id!, values: ['centre'] },
      { wait: 'ack' },
    );
    // Discord's client enforces the modal's max_length; the emulator does too.
    await expect(
      emulator.submitModal({ userId: alice, interactionId: chosen.id, values: { prompt: 'x'.repeat(1001) } }),
    ).rejects.toThrow(/at most 1000/);
  });
});

/** Chooses a preset and a prompt on an upscale's Vary (Region), as the member clicks them. */
async function presetRegion(e2e: E2E, upscale: MessageView, preset: string, prompt: string): Promise<MessageView> {
  const { alice } = e2e.seed.users;
  const { emulator } = e2e.sandbox;
  const menu = e2e.ephemeralOf(await e2e.click(alice, upscale, 'Vary (Region)'));
  const select = componentsOf(menu)[0]!;
  const chosen = await emulator.selectMenu(
    { userId: alice, messageId: menu!.id, customId: select.custom_id!, values: [preset] },
    { wait: 'ack' },
  );
  return e2e.resultOf(
    await emulator.submitModal({ userId: alice, interactionId: chosen.id, values: { prompt } }, { wait: 'ack' }),
  );
}

describe('Vary (Region) on APIXO: upload-paint with mask areas, through the presets', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('apixo');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN an upscale THEN Right half → a prompt sends one clockwise area over the right half and repaints only it', async () => {
    const { alice } = e2e.seed.users;
    const { emulator } = e2e.sandbox;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a quiet orchard'));
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U2'));
    expect(buttonLabels(upscale).flat()).toContain('Vary (Region)');
    const result = await presetRegion(e2e, upscale, 'right-half', 'a wooden ladder');
    expect(result.content.split('\n')[0]).toBe(`**a wooden ladder** - Variations (Region) by <@${alice}> (fast)`);

    const simulator = e2e.sandbox.simulators.get('apixo') as ApixoSimulator;
    const paint = simulator.submissions.filter((submission) => submission.input?.mode === 'upload-paint').at(-1);
    const input = paint?.input as unknown as {
      prompt: string;
      image_urls: string[];
      mask: { areas: { width: number; height: number; points: number[] }[] };
      canvas: { width: number; height: number };
      imgPos: { width: number; height: number; x: number; y: number };
    };
    expect(paint?.status).toBe(200);
    expect(input.prompt).toBe('a wooden ladder');
    const parentBytes = emulator.attachmentBytes(upscale.attachments[0]!.id)!;
    const { width = 0, height = 0 } = await sharp(parentBytes).metadata();
    expect(input.canvas).toEqual({ width, height });
    expect(input.imgPos).toEqual({ width, height, x: 0, y: 0 });
    expect(input.mask.areas).toHaveLength(1);
    const [area] = input.mask.areas;
    const xs = area!.points.filter((_, at) => at % 2 === 0).map((x) => x / area!.width);
    const ys = area!.points.filter((_, at) => at % 2 === 1).map((y) => y / area!.height);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([0.5, 1, 0, 1]);

    // APIXO answers with four separate images; the first differs from the upscale on the right only.
    expect(result.attachments.length).toBeGreaterThan(0);
    const resultBytes = emulator.attachmentBytes(result.attachments[0]!.id)!;
    const first = await firstImage(resultBytes, result.attachments.length);
    const inside = await difference(parentBytes, first, { left: 0.55, top: 0.05, right: 0.95, bottom: 0.95 });
    const outside = await difference(parentBytes, first, { left: 0.05, top: 0.05, right: 0.45, bottom: 0.95 });
    expect(inside).toBeGreaterThan(40);
    expect(outside).toBeLessThan(12);
  });
});

/** The first image of a result: the top-left quarter of a composed grid, or the attachment itself. */
async function firstImage(bytes: Buffer, attachments: number): Promise<Buffer> {
  if (attachments > 1) return bytes;
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  return sharp(bytes)
    .extract({ left: 0, top: 0, width: Math.floor(width / 2), height: Math.floor(height / 2) })
    .toBuffer();
}

describe('Vary (Region) on Cloudsway Image-1: an edit with a PNG mask, through the presets', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-image');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN an upscale THEN Top half → a prompt sends the upscale with a mask transparent over the top half, and repaints only it', async () => {
    const { alice } = e2e.seed.users;
    const { emulator } = e2e.sandbox;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a quiet orchard --ar 3:2'));
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U3'));
    expect(buttonLabels(upscale).flat()).toContain('Vary (Region)');
    const result = await presetRegion(e2e, upscale, 'top-half', 'a flock of birds');
    expect(result.content.split('\n')[0]).toBe(
      `**a flock of birds --ar 3:2** - Variations (Region) by <@${alice}> (fast)`,
    );

    const simulator = e2e.sandbox.simulators.get('cloudsway-image') as CloudswayImageSimulator;
    const edit = simulator.submissions.at(-1) as {
      path: string;
      body: { fields: Record<string, string>; files: { field: string; width: number; height: number }[] };
    };
    const parentBytes = emulator.attachmentBytes(upscale.attachments[0]!.id)!;
    const { width, height } = await sharp(parentBytes).metadata();
    expect(edit.path).toBe('/images/edits');
    expect(edit.body.fields).toMatchObject({ prompt: 'a flock of birds', n: '4', size: '1536x1024' });
    expect(edit.body.files.map((file) => [file.field, file.width, file.height])).toEqual([
      ['image', width, height],
      ['mask', width, height],
    ]);
    // The mask's fully transparent pixels are exactly the top half.
    const alpha = await sharp(simulator.lastMask).extractChannel('alpha').raw().toBuffer();
    const rows = Array.from({ length: height }, (_, y) => alpha.subarray(y * width, (y + 1) * width));
    expect(rows.slice(0, height / 2).every((row) => row.every((value) => value === 0))).toBe(true);
    expect(rows.slice(height / 2).every((row) => row.every((value) => value === 255))).toBe(true);

    // Four images come back as a grid, as the other providers' region results; the first differs at the top only.
    expect(buttonLabels(result).flat()).toEqual(expect.arrayContaining(['U1', 'U4', 'V1']));
    const first = await firstImage(emulator.attachmentBytes(result.attachments[0]!.id)!, result.attachments.length);
    const inside = await difference(parentBytes, first, { left: 0.05, top: 0.05, right: 0.95, bottom: 0.45 });
    const outside = await difference(parentBytes, first, { left: 0.05, top: 0.55, right: 0.95, bottom: 0.95 });
    expect(inside).toBeGreaterThan(40);
    expect(outside).toBeLessThan(12);
  });
});
