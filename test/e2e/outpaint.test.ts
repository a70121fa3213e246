import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderId } from '../../src/config.js';
import type { InteractionRecord, MessageView } from '../../src/sandbox/discord/index.js';
import type { SandboxOptions } from '../../src/sandbox/run.js';
import type { ApixoSimulator } from '../../src/sandbox/providers/apixo-simulator.js';
import type { CloudswayImageSimulator } from '../../src/sandbox/providers/cloudsway-image-simulator.js';
import type { CloudswayMjSimulator } from '../../src/sandbox/providers/cloudsway-mj-simulator.js';
import { buttonLabels, imageSize, jobIdOf, startE2E, type E2E } from './support.js';

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

/** Cloudsway MaaS-MJ zooms and pans only when the admin opts in to Youchuan's upstream routes. */
const CLOUDSWAY_OPT_IN = { CLOUDSWAY_MJ_UPSTREAM_OUTPAINT: 'true' };

/**
 * Zoom out, pan and Make Square through the emulator, for each provider that offers them: the
 * buttons are there, the result comes back as a new grid, and its image has the frame's new shape.
 */
describe.each<[ProviderId, { square: boolean; customZoom: boolean }, Partial<SandboxOptions>]>([
  ['apixo', { square: true, customZoom: true }, {}],
  ['acedata', { square: false, customZoom: false }, {}],
  ['cloudsway-image', { square: true, customZoom: true }, {}],
  [
    'cloudsway-mj',
    { square: false, customZoom: true },
    { environment: CLOUDSWAY_OPT_IN, cloudswayUpstreamRoutes: true },
  ],
])('outpainting on %s', (provider, offers, options) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E(provider, options);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a 16:9 upscale THEN it offers Zoom Out 2x and 1.5x, Custom Zoom and Make Square where it can, and the four pans', async () => {
    const upscale = await upscaleOf(e2e, 'a lighthouse at dusk --ar 16:9');
    const rows = buttonLabels(upscale);
    expect(rows).toContainEqual([
      'Zoom Out 2x',
      'Zoom Out 1.5x',
      ...(offers.customZoom ? ['Custom Zoom'] : []),
      ...(offers.square ? ['Make Square'] : []),
    ]);
    expect(rows).toContainEqual(['⬅️', '➡️', '⬆️', '⬇️']);
  });

  it.runIf(offers.square)('GIVEN a square upscale THEN Make Square is not offered', async () => {
    const upscale = await upscaleOf(e2e, 'a lighthouse at dusk');
    expect(buttonLabels(upscale).flat()).not.toContain('Make Square');
    expect(buttonLabels(upscale).flat()).toContain('Custom Zoom');
  });

  /** How each action changes the frame's width/height: zooms keep it, pans stretch it by half, Make Square squares it. */
  const shapes: [label: string, shape: (ratio: number) => number, done: string][] = [
    ['Zoom Out 2x', (ratio) => ratio, 'Zoom Out 2x'],
    ['Zoom Out 1.5x', (ratio) => ratio, 'Zoom Out 1.5x'],
    ['⬅️', (ratio) => ratio * 1.5, 'Pan Left'],
    ['⬆️', (ratio) => ratio / 1.5, 'Pan Up'],
    ...(offers.square ? [['Make Square', () => 1, 'Make Square'] as [string, (ratio: number) => number, string]] : []),
  ];
  it.each(shapes)(
    'GIVEN %s on a 16:9 upscale THEN a new grid of the new frame, larger than the upscale',
    async (label, shape, done) => {
      const { alice } = e2e.seed.users;
      const upscale = await upscaleOf(e2e, 'a lighthouse at dusk --ar 16:9');
      const before = await imageSize(e2e, upscale);
      const result = await e2e.resultOf(await e2e.click(alice, upscale, label));
      expect(result.content.split('\n')[0]).toBe(`**a lighthouse at dusk --ar 16:9** - ${done} by <@${alice}> (fast)`);
      // The grid's shape is its images' shape: the upscale's, changed as the action changes it.
      expect(await ratioOf(e2e, result)).toBeCloseTo(shape(before.width / before.height), 2);
      // Outpainted: each of the four images is at least as large as the upscale it extends.
      const after = await imageSize(e2e, result);
      expect(after.width / 2).toBeGreaterThanOrEqual(before.width);
      expect(after.height / 2).toBeGreaterThanOrEqual(before.height);
      expect(buttonLabels(result).flat()).toEqual(expect.arrayContaining(['U1', 'V4', '🔄']));
    },
  );

  it.runIf(offers.square)(
    'GIVEN Make Square on a panned upscale THEN it is offered again, as the pan made the frame wider',
    async () => {
      const { alice } = e2e.seed.users;
      const upscale = await upscaleOf(e2e, 'a quiet field');
      const panned = await e2e.resultOf(await e2e.click(alice, upscale, '➡️'));
      expect(await ratioOf(e2e, panned)).toBeCloseTo(1.5, 2);
      const again = await e2e.resultOf(await e2e.click(alice, panned, 'U1'));
      expect(buttonLabels(again).flat()).toContain('Make Square');
      const square = await e2e.resultOf(await e2e.click(alice, again, 'Make Square'));
      expect(await ratioOf(e2e, square)).toBeCloseTo(1, 2);
    },
  );

  it.runIf(offers.customZoom)(
    'GIVEN Custom Zoom with 1.25 THEN the modal’s factor reaches the provider and the result reads "Zoom Out 1.25x"',
    async () => {
      const { alice } = e2e.seed.users;
      const upscale = await upscaleOf(e2e, 'a lighthouse at dusk --ar 16:9');
      const before = await imageSize(e2e, upscale);
      const submitted = await customZoom(e2e, upscale, '1.25');
      const result = await e2e.resultOf(submitted);
      expect(result.content.split('\n')[0]).toBe(
        `**a lighthouse at dusk --ar 16:9** - Zoom Out 1.25x by <@${alice}> (fast)`,
      );
      expect(await ratioOf(e2e, result)).toBeCloseTo(before.width / before.height, 2);
      const after = await imageSize(e2e, result);
      expect(after.width / 2).toBe(Math.round(before.width * 1.25));
      if (provider === 'apixo') {
        const simulator = e2e.sandbox.simulators.get('apixo') as ApixoSimulator;
        const input = simulator.submissions.at(-1)?.input;
        expect(input).toMatchObject({ mode: 'upload-paint', canvas: { width: Math.round(before.width * 1.25) } });
      }
      if (provider === 'cloudsway-mj') {
        const simulator = e2e.sandbox.simulators.get('cloudsway-mj') as CloudswayMjSimulator;
        expect(simulator.submissions.at(-1)).toMatchObject({
          path: '/tob/outpaint',
          body: { imageNo: 0, scale: 1.25 },
        });
      }
      if (provider === 'cloudsway-image') {
        // One edit of the padded canvas, fitted into gpt-image-1's 3:2 size, with its mask.
        const simulator = e2e.sandbox.simulators.get('cloudsway-image') as CloudswayImageSimulator;
        const edit = simulator.submissions.at(-1) as {
          path: string;
          body: { fields: Record<string, string>; files: { field: string; width: number; height: number }[] };
        };
        expect(edit.path).toBe('/images/edits');
        expect(edit.body.fields).toMatchObject({ n: '4', size: '1536x1024' });
        expect(edit.body.files.map((file) => [file.field, file.width, file.height])).toEqual([
          ['image', 1536, 1024],
          ['mask', 1536, 1024],
        ]);
      }
    },
  );

  it.runIf(offers.customZoom).each(['3', '0.5', '1', 'abc', '1.255'])(
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

/**
 * The setting on, but this Cloudsway account without Youchuan's routes (its simulator's default):
 * the buttons are there, and a click fails its job at once with a sentence that says why.
 */
describe('outpainting on cloudsway-mj when the upstream routes are missing', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj', { environment: CLOUDSWAY_OPT_IN });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it.each([
    ['Zoom Out 2x', '/tob/outpaint'],
    ['⬇️', '/tob/pan'],
  ])('GIVEN %s THEN the job fails cleanly: this server’s provider does not offer it', async (label, path) => {
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, 'a lighthouse at dusk --ar 16:9');
    expect(buttonLabels(upscale)).toContainEqual(['Zoom Out 2x', 'Zoom Out 1.5x', 'Custom Zoom']);
    const failed = await e2e.resultOf(await e2e.click(alice, upscale, label));
    const name = label === '⬇️' ? 'Pan Down' : label;
    expect(failed.content).toContain('(failed)');
    expect(failed.content).toContain(
      `This server’s image service (Cloudsway MaaS-MJ) does not offer ${name}. An admin can hide the zoom and pan buttons in the bot’s configuration.`,
    );
    expect(failed.components).toEqual([]);
    const simulator = e2e.sandbox.simulators.get('cloudsway-mj') as CloudswayMjSimulator;
    expect(
      simulator.requests.filter((request) => request.path.endsWith(path)).map((request) => request.status),
    ).toEqual([404]);
    // Failed, not stuck: the job is recorded as failed, with nothing left open to poll.
    const job = await e2e.sandbox.bot!.context.stores.jobs.get(jobIdOf(failed));
    expect(job).toMatchObject({ state: 'failed', failure: { code: 'unsupported' } });
    expect(job?.taskId).toBeUndefined();
    // It leaves the server's open index once its failure is published.
    await expect
      .poll(async () => (await e2e.sandbox.bot!.context.stores.jobs.openIn(e2e.seed.guildId)).map((entry) => entry.id))
      .not.toContain(job?.id);
  });
});
