import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_IDS, type ProviderId } from '../../../src/config.js';
import { PROVIDER_NAMES } from '../../../src/providers/index.js';
import type { Playground } from '../../../src/sandbox/playground/server.js';
import { launchChromium } from './chromium.js';
import { startTestPlayground } from './support.js';

/** Slow enough that each provider's job shows its progress for a moment. */
const TIME_SCALE = 0.05;
// Saved under test/artifacts on every run; copied to docs/providers/ only with UPDATE_SCREENSHOT=1.
const ARTIFACTS = 'test/artifacts/providers';
const DOCS = 'docs/providers';

const SUBJECTS: Record<ProviderId, string> = {
  'cloudsway-mj': 'a red bird on a snowy branch --ar 3:2',
  'cloudsway-image': 'a glass teapot on a wooden table',
  apixo: 'a harbour at dawn, watercolor --ar 3:2',
  acedata: 'a fox in tall grass --ar 3:2 --chaos 10',
  kie: 'a lighthouse in a storm --ar 3:2',
};

/** The states of a job the provider has taken, in the bot's one vocabulary. */
const IN_PROGRESS = /Queued|Running|Finishing|\d+%/;

const textOf = (locator: Locator) => () => locator.first().textContent();

async function imagine(page: Page, prompt: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message #imagine' });
  await composer.click();
  await page.keyboard.type('/imagine');
  await page.locator('.popup li[data-name="/imagine"][aria-selected="true"]').waitFor();
  await page.keyboard.press('Enter');
  await expect.poll(textOf(page.locator('.command-chip'))).toBe('/imagine');
  await page.keyboard.type(prompt);
  await page.keyboard.press('Enter');
}

/**
 * The playground as a member sees each provider: the job's message while it runs and its result,
 * saved as pictures for the docs. Each state is checked before its picture is taken.
 */
describe('each provider in the playground, pictured', () => {
  let playground: Playground;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    playground = await startTestPlayground(TIME_SCALE);
    browser = (await launchChromium()).browser;
    page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    await page.goto(playground.url);
    await page.locator('#app[data-state="ready"]').waitFor();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
  });

  it.each(PROVIDER_IDS.map((id) => [PROVIDER_NAMES[id], id] as const))(
    'GIVEN the server on %s THEN its progress and its grid are shown and pictured',
    { timeout: 60_000 },
    async (_name, provider) => {
      const { sandbox } = playground;
      await sandbox.bot!.context.stores.guilds.update(sandbox.emulator.seed.guildId, { provider });
      const prompt = SUBJECTS[provider];
      await imagine(page, prompt);
      const text = prompt.split(' --')[0]!;
      const message = page.locator('discord-message', { hasText: text });
      const running = message.filter({ hasNotText: 'Upscale' });
      // A synchronous provider answers the submit with the images: until then the job waits to start.
      const progress = sandbox.bot!.context.adapters.get(provider)!.capabilities.synchronous
        ? /Waiting to start/
        : IN_PROGRESS;
      await expect.poll(textOf(running), { timeout: 20_000 }).toMatch(progress);
      await page.mouse.move(0, 0);
      await running.first().screenshot({ path: `${ARTIFACTS}/${provider}-progress.png` });

      const grid = message.filter({ has: page.locator('discord-image-attachment') });
      await grid.first().waitFor({ timeout: 30_000 });
      await expect
        .poll(() =>
          grid
            .first()
            .locator('discord-image-attachment img')
            .evaluate((image: { complete: boolean; naturalWidth: number }) =>
              image.complete ? image.naturalWidth : 0,
            ),
        )
        .toBeGreaterThan(0);
      expect(await grid.first().locator('discord-button').allTextContents()).toEqual(
        expect.arrayContaining(['U1', 'V1']),
      );
      await grid.first().screenshot({ path: `${ARTIFACTS}/${provider}-result.png` });
      if (process.env.UPDATE_SCREENSHOT === '1') {
        mkdirSync(DOCS, { recursive: true });
        for (const state of ['progress', 'result'])
          copyFileSync(`${ARTIFACTS}/${provider}-${state}.png`, `${DOCS}/${provider}-${state}.png`);
      }
    },
  );
});
