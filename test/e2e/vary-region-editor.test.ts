import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { ProviderId } from '../../src/config.js';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import type { CloudswayMjSimulator } from '../../src/sandbox/providers/cloudsway-mj-simulator.js';
import { launchChromium } from '../sandbox/playground/chromium.js';
import { boxOf, expectFirstRepaintedOnly, finished, startE2E, type E2E } from './support.js';

// Saved under test/artifacts on every run; docs/playground.png is refreshed only with UPDATE_SCREENSHOT=1.
const ARTIFACTS = 'test/artifacts';
const SCREENSHOT = `${ARTIFACTS}/region-editor.png`;

const linkOf = (message: MessageView | undefined): string => {
  const button = (message?.components ?? [])
    .flatMap((row) => (row as { components: { url?: string }[] }).components)
    .find((component) => component.url);
  if (!button?.url) throw new Error(`no link button in ${JSON.stringify(message?.components)}`);
  return button.url;
};

/** What the provider received for the region: its prompt, each shape's box, and whether the lasso was traced. */
interface ReceivedMask {
  prompt: string | undefined;
  boxes: number[][];
  lassoTraced: boolean;
}

/** The last Vary (Region) body AceData received. */
function lastRegion(e2e: E2E): { prompt?: string; mask?: string; image_id?: string } | undefined {
  const simulator = e2e.sandbox.simulators.get('acedata') as AcedataSimulator;
  return simulator.submissions.filter((body) => body.action === 'variation_region').at(-1);
}

/**
 * The box of the white pixels of a mask in each half of the frame (the rectangle is drawn on the
 * left, the lasso on the right), and how much of its box the right one fills.
 */
async function whiteBoxes(png: Buffer): Promise<{ boxes: number[][]; rightFill: number }> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const halves = [0, 1].map((half) => {
    let [left, top, right, bottom, count] = [Infinity, Infinity, -Infinity, -Infinity, 0];
    for (let y = 0; y < info.height; y += 1)
      for (let x = Math.floor((half * info.width) / 2); x < ((half + 1) * info.width) / 2; x += 1) {
        if (data[(y * info.width + x) * info.channels]! < 128) continue;
        [left, top, right, bottom] = [
          Math.min(left, x),
          Math.min(top, y),
          Math.max(right, x + 1),
          Math.max(bottom, y + 1),
        ];
        count += 1;
      }
    const box = [left / info.width, top / info.height, right / info.width, bottom / info.height];
    return { box, fill: count / ((right - left) * (bottom - top)) };
  });
  return { boxes: halves.map((half) => half.box), rightFill: halves[1]!.fill };
}

/**
 * The providers whose Vary (Region) is the editor page: Cloudsway takes polygon areas in its
 * request; AceData fetches a mask PNG from the bot's public URL, white inside the region.
 */
const CASES: { provider: ProviderId; maskOf: (e2e: E2E) => Promise<ReceivedMask> }[] = [
  {
    provider: 'cloudsway-mj',
    maskOf: (e2e) => {
      const simulator = e2e.sandbox.simulators.get('cloudsway-mj') as CloudswayMjSimulator;
      const inpaint = simulator.submissions.filter((submission) => submission.path === '/tob/inpaint').at(-1);
      const body = inpaint?.body as {
        mask: { areas: { width: number; height: number; points: number[] }[] };
        remixPrompt: string;
      };
      return Promise.resolve({
        prompt: body.remixPrompt,
        boxes: body.mask.areas.map(boxOf),
        lassoTraced: (body.mask.areas[1]?.points.length ?? 0) > 8,
      });
    },
  },
  {
    provider: 'acedata',
    maskOf: async (e2e) => {
      const body = lastRegion(e2e);
      const url = body?.mask ?? '';
      expect(url.startsWith(`${e2e.sandbox.config.publicBaseUrl}/region-mask/`)).toBe(true);
      const mask = await fetch(url);
      expect(mask.status).toBe(200);
      expect(mask.headers.get('content-type')).toBe('image/png');
      const { boxes, rightFill } = await whiteBoxes(Buffer.from(await mask.arrayBuffer()));
      // A traced lasso fills well under all of its box, as a rectangle would.
      return { prompt: body?.prompt, boxes, lassoTraced: rightFill < 0.85 };
    },
  },
];

/** Drags the mouse over the canvas through points given as fractions of it. */
async function drag(page: Page, points: [number, number][]): Promise<void> {
  const box = await page.locator('#canvas').boundingBox();
  if (!box) throw new Error('the canvas is not shown');
  const to = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...to(points[0]!));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...to(point), { steps: 8 });
  await page.mouse.up();
}

/**
 * Vary (Region) with a public URL: the button answers the member with their own signed link to the
 * editor page, which a real headless Chromium opens, draws on and submits. The result arrives in
 * the channel and the simulator received the drawn shapes as its mask.
 */
describe.each(CASES)('Vary (Region) through the editor page on $provider', ({ provider, maskOf }) => {
  let e2e: E2E;
  let browser: Browser | undefined;
  beforeAll(async () => {
    // `callbacks` gives the bot its public URL (the sandbox's receiver), where the editor is served.
    e2e = await startE2E(provider, { callbacks: true, simulator: { imageEdge: 256 } });
  });
  afterAll(async () => {
    await browser?.close();
    await e2e?.stop();
  });

  let upscale: MessageView;
  let link: string;

  it(
    'GIVEN an upscale THEN the member opens the editor, draws a rectangle and a lasso, types a prompt, and the region job posts its result',
    { timeout: 90_000 },
    async () => {
      const { alice } = e2e.seed.users;
      const grid = await e2e.resultOf(await e2e.imagine(alice, 'a cottage by a lake'));
      upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U3'));
      const answer = e2e.ephemeralOf(await e2e.click(alice, upscale, 'Vary (Region)'));
      expect(answer?.content).toBe(
        'Draw the region to repaint on the editor page. The link is yours, for this image, for 30 minutes.',
      );
      link = linkOf(answer);
      expect(link.startsWith(`${e2e.sandbox.config.publicBaseUrl}/region/`)).toBe(true);

      browser = (await launchChromium()).browser;
      const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(link);
      await page.locator('body[data-state="ready"]').waitFor();
      await expect
        .poll(() => page.locator('#canvas').evaluate((canvas: { width: number }) => canvas.width), { timeout: 15_000 })
        .toBeGreaterThan(0);

      await drag(page, [
        [0.1, 0.1],
        [0.4, 0.4],
      ]);
      await page.getByRole('button', { name: 'Lasso' }).click();
      await drag(page, [
        [0.75, 0.55],
        [0.92, 0.72],
        [0.8, 0.92],
        [0.6, 0.85],
        [0.58, 0.65],
        [0.74, 0.56],
      ]);
      await page.locator('#prompt').fill('a red door');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      if (process.env.UPDATE_SCREENSHOT === '1' && provider === 'cloudsway-mj')
        copyFileSync(SCREENSHOT, 'docs/playground.png');
      await page.getByRole('button', { name: 'Submit' }).click();
      await expect
        .poll(() => page.locator('#status').textContent(), { timeout: 15_000 })
        .toBe('Sent. The result will appear in the channel.');
      expect(problems).toEqual([]);

      const result = await e2e.sandbox.emulator.waitForMessage(
        upscale.channel_id,
        (message) => message.content.startsWith('**a red door** - Variations (Region)') && finished(message),
        { timeoutMs: 20_000 },
      );
      expect(result.content.split('\n')[0]).toBe(`**a red door** - Variations (Region) by <@${alice}> (fast)`);
      expect(result.attachments).toHaveLength(1);

      // The provider received the drawn shapes as its mask: the rectangle, and the lasso traced.
      const mask = await maskOf(e2e);
      expect(mask.prompt).toBe('a red door');
      const [rectangle, lasso] = mask.boxes;
      expect(mask.boxes).toHaveLength(2);
      const near = (box: number[] | undefined, expected: number[]) =>
        expect(
          box?.every((value, at) => Math.abs(value - expected[at]!) < 0.03),
          `${JSON.stringify(box)} ≈ ${JSON.stringify(expected)}`,
        ).toBe(true);
      near(rectangle, [0.1, 0.1, 0.4, 0.4]);
      near(lasso, [0.58, 0.55, 0.92, 0.92]);
      // The lasso is traced, not boxed: more than a rectangle's four corners.
      expect(mask.lassoTraced).toBe(true);
      // Repainted inside the rectangle; the bottom left, where nothing was drawn, is as it was.
      await expectFirstRepaintedOnly(
        e2e,
        upscale,
        result,
        { left: 0.15, top: 0.15, right: 0.35, bottom: 0.35 },
        { left: 0.05, top: 0.6, right: 0.45, bottom: 0.95 },
      );
    },
  );

  it('GIVEN the link THEN it is refused for another member, with a tampered signature, and after expiry', async () => {
    const { alice, bob } = e2e.seed.users;
    const [base = '', token = ''] = link.split('/region/');
    const [payload = '', signature = ''] = token.split('.');
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(grant.user).toBe(alice);
    const forBob = `${base}/region/${Buffer.from(JSON.stringify({ ...grant, user: bob })).toString('base64url')}.${signature}`;
    const tampered = `${base}/region/${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    const context = e2e.sandbox.bot!.context;
    const expiredToken = context.regionLinks.sign(
      { job: String(grant.job), index: 1, user: alice },
      Date.now() - 31 * 60_000,
    );
    const expired = `${base}/region/${expiredToken}`;
    const jobsBefore = e2e.sandbox.emulator.messages(upscale.channel_id).length;
    for (const [url, words] of [
      [forBob, /not valid/],
      [tampered, /not valid/],
      [expired, /expired/],
    ] as const) {
      const page = await fetch(url);
      expect(page.status).toBe(403);
      expect(await page.text()).toMatch(words);
      const image = await fetch(`${url}/image`);
      expect(image.status).toBe(403);
      const posted = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          area: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
            ],
          ],
        }),
      });
      expect(posted.status).toBe(403);
    }
    // The good link still works, and a malformed region is refused with what is wrong.
    const bad = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        area: [
          [
            [0, 0],
            [1, 1],
          ],
        ],
      }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe(
      'The region was not sent: area.0: a shape needs at least 3 points.',
    );
    expect(e2e.sandbox.emulator.messages(upscale.channel_id).length).toBe(jobsBefore);
  });
  it.runIf(provider === 'acedata')(
    'GIVEN the mask link AceData fetched THEN a tampered or expired one shows nothing',
    async () => {
      const url = lastRegion(e2e)?.mask ?? '';
      const [base = '', file = ''] = url.split('/region-mask/');
      const [payload = '', signature = ''] = file.replace(/\.png$/, '').split('.');
      const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        job: string;
        width: number;
        height: number;
      };
      const tampered = `${base}/region-mask/${payload}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}.png`;
      const resized = `${base}/region-mask/${Buffer.from(JSON.stringify({ ...grant, width: grant.width + 1 })).toString('base64url')}.${signature}.png`;
      const expiredToken = e2e.sandbox.bot!.context.regionLinks.signMask(
        { job: grant.job, width: grant.width, height: grant.height },
        Date.now() - 61 * 60_000,
      );
      for (const refused of [tampered, resized, `${base}/region-mask/${expiredToken}.png`]) {
        const answer = await fetch(refused);
        expect(answer.status).toBe(403);
        expect(answer.headers.get('content-type')).not.toBe('image/png');
      }
    },
  );
});
