import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import type { CloudswayMjSimulator } from '../../src/sandbox/providers/cloudsway-mj-simulator.js';
import { launchChromium } from '../sandbox/playground/chromium.js';
import { boxOf, finished, startE2E, type E2E } from './support.js';

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
describe('Vary (Region) through the editor page', () => {
  let e2e: E2E;
  let browser: Browser | undefined;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj', { callbacks: true, simulator: { imageEdge: 256 } });
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
      if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(SCREENSHOT, 'docs/playground.png');
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

      const simulator = e2e.sandbox.simulators.get('cloudsway-mj') as CloudswayMjSimulator;
      const inpaint = simulator.submissions.filter((submission) => submission.path === '/tob/inpaint').at(-1);
      const body = inpaint?.body as {
        mask: { areas: { width: number; height: number; points: number[] }[] };
        remixPrompt: string;
      };
      expect(body.remixPrompt).toBe('a red door');
      expect(body.mask.areas).toHaveLength(2);
      const [rectangle, lasso] = body.mask.areas.map(boxOf);
      const near = (box: number[] | undefined, expected: number[]) =>
        expect(
          box?.every((value, at) => Math.abs(value - expected[at]!) < 0.03),
          `${JSON.stringify(box)} ≈ ${JSON.stringify(expected)}`,
        ).toBe(true);
      near(rectangle, [0.1, 0.1, 0.4, 0.4]);
      near(lasso, [0.58, 0.55, 0.92, 0.92]);
      // The lasso is traced, not boxed: more than a rectangle's four corners.
      expect(body.mask.areas[1]!.points.length).toBeGreaterThan(8);
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
});
