import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderId } from '../../src/config.js';
import type { InteractionRecord, MessageView } from '../../src/sandbox/discord/index.js';
import type { ApixoSimulator } from '../../src/sandbox/providers/apixo-simulator.js';
import { buttonLabels, imageSize, startE2E, type E2E } from './support.js';

/** How many requests a provider's simulator has been sent. */
function submissionCount(e2e: E2E, provider: ProviderId): number {
  return (e2e.sandbox.simulators.get(provider) as unknown as { submissions: unknown[] }).submissions.length;
}

/** The delivered image's width over height. */
async function ratioOf(e2e: E2E, message: MessageView): Promise<number> {
  const { width, height } = await imageSize(e2e, message);
  return width / height;
}

async function upscaleOf(e2e: E2E, prompt: string): Promise<MessageView> {
  const { alice } = e2e.seed.users;
  const grid = await e2e.resultOf(await e2e.imagine(alice, prompt));
  return e2e.resultOf(await e2e.click(alice, grid, 'U2'));
}

/** Custom Zoom: click the button, then answer its modal with `factor`. */
async function customZoom(e2e: E2E, upscale: MessageView, factor: string): Promise<InteractionRecord> {
  const { alice } = e2e.seed.users;
  const opened = await e2e.click(alice, upscale, 'Custom Zoom');
  return e2e.sandbox.emulator.submitModal(
    { userId: alice, interactionId: opened.id, values: { factor } },
    { wait: 'ack' },
  );
}

/**
 * Zoom out, pan and Make Square through the emulator, for each provider that offers them: the
 * buttons are there, the result comes back as a new grid, and its image has the frame's new shape.
 */
describe.each<[ProviderId]>([['apixo']])('outpainting on %s', (provider) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E(provider);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a 16:9 upscale THEN it offers Zoom Out 2x and 1.5x, Custom Zoom, Make Square and the four pans', async () => {
    const upscale = await upscaleOf(e2e, 'a lighthouse at dusk --ar 16:9');
    const rows = buttonLabels(upscale);
    expect(rows).toContainEqual(['Zoom Out 2x', 'Zoom Out 1.5x', 'Custom Zoom', 'Make Square']);
    expect(rows).toContainEqual(['⬅️', '➡️', '⬆️', '⬇️']);
  });

  it('GIVEN a square upscale THEN Make Square is not offered', async () => {
    const upscale = await upscaleOf(e2e, 'a lighthouse at dusk');
    expect(buttonLabels(upscale).flat()).not.toContain('Make Square');
    expect(buttonLabels(upscale).flat()).toContain('Custom Zoom');
  });

  it.each([
    ['Zoom Out 2x', 16 / 9, 'Zoom Out 2x'],
    ['⬅️', 24 / 9, 'Pan Left'],
    ['⬆️', 16 / 13.5, 'Pan Up'],
    ['Make Square', 1, 'Make Square'],
  ])('GIVEN %s on a 16:9 upscale THEN a new grid with width/height %d reads "%s by"', async (label, ratio, done) => {
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, 'a lighthouse at dusk --ar 16:9');
    const before = await imageSize(e2e, upscale);
    const result = await e2e.resultOf(await e2e.click(alice, upscale, label));
    expect(result.content.split('\n')[0]).toBe(`**a lighthouse at dusk --ar 16:9** - ${done} by <@${alice}> (fast)`);
    expect(await ratioOf(e2e, result)).toBeCloseTo(ratio, 1);
    // Outpainted: each of the four images is larger than the upscale it extends.
    const after = await imageSize(e2e, result);
    expect(after.width / 2).toBeGreaterThanOrEqual(before.width);
    expect(buttonLabels(result).flat()).toEqual(expect.arrayContaining(['U1', 'V4', '🔄']));
  });

  it('GIVEN Make Square on a panned upscale THEN it is offered again, as the pan made the frame wider', async () => {
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, 'a quiet field');
    const panned = await e2e.resultOf(await e2e.click(alice, upscale, '➡️'));
    expect(await ratioOf(e2e, panned)).toBeCloseTo(1.5, 1);
    const again = await e2e.resultOf(await e2e.click(alice, panned, 'U1'));
    expect(buttonLabels(again).flat()).toContain('Make Square');
    const square = await e2e.resultOf(await e2e.click(alice, again, 'Make Square'));
    expect(await ratioOf(e2e, square)).toBeCloseTo(1, 1);
  });

  it('GIVEN Custom Zoom with 1.25 THEN the modal’s factor reaches the provider and the result reads "Zoom Out 1.25x"', async () => {
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, 'a lighthouse at dusk --ar 16:9');
    const before = await imageSize(e2e, upscale);
    const submitted = await customZoom(e2e, upscale, '1.25');
    const result = await e2e.resultOf(submitted);
    expect(result.content.split('\n')[0]).toBe(
      `**a lighthouse at dusk --ar 16:9** - Zoom Out 1.25x by <@${alice}> (fast)`,
    );
    expect(await ratioOf(e2e, result)).toBeCloseTo(16 / 9, 1);
    const after = await imageSize(e2e, result);
    expect(after.width / 2).toBe(Math.round(before.width * 1.25));
    if (provider === 'apixo') {
      const simulator = e2e.sandbox.simulators.get('apixo') as ApixoSimulator;
      const input = simulator.submissions.at(-1)?.input;
      expect(input).toMatchObject({ mode: 'upload-paint', canvas: { width: Math.round(before.width * 1.25) } });
    }
  });

  it.each(['3', '0.5', '1', 'abc', '1.255'])(
    'GIVEN Custom Zoom with "%s" THEN it is refused privately with what is allowed, and no job starts',
    async (factor) => {
      const upscale = await upscaleOf(e2e, 'a lighthouse at dusk');
      const submissionsBefore = submissionCount(e2e, provider);
      const submitted = await customZoom(e2e, upscale, factor);
      const reply = e2e.ephemeralOf(submitted);
      expect(reply?.content).toBe(
        `“${factor}” is not a zoom factor I can use: type a number from 1.1 to 2 with at most two decimals, like 1.25.`,
      );
      expect(submissionCount(e2e, provider)).toBe(submissionsBefore);
    },
  );
});
