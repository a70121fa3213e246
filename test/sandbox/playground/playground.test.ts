import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Playground } from '../../../src/sandbox/playground/server.js';
import { launchChromium } from './chromium.js';
import { startTestPlayground } from './support.js';
/** Real seconds per simulated second: a 40-second job takes 0.8 s, slow enough to show progress. */
const TIME_SCALE = 0.02;
// Every run saves its screenshot under test/artifacts (git-ignored); the README's picture in docs/
// is refreshed only on request (UPDATE_SCREENSHOT=1), so running the tests leaves the tree clean.
const ARTIFACTS = 'test/artifacts';
const SCREENSHOT = `${ARTIFACTS}/playground.png`;

/** The little of the browser these page functions touch; the project's tsconfig has no DOM library. */
interface PageGlobals {
  document: {
    activeElement: { getAttribute(name: string): string | null } | null;
    getElementById(id: string): unknown;
    querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
  };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: { childList: boolean; subtree: boolean; characterData: boolean }): void;
  };
  renderedMessages?: string[];
}

/** Texts of every message the page rendered, as it rendered them, so passing states can be checked afterwards. */
async function recordRenderedMessages(page: Page): Promise<void> {
  await page.evaluate(() => {
    const browser = globalThis as unknown as PageGlobals;
    const seen: string[] = (browser.renderedMessages = []);
    new browser.MutationObserver(() => {
      for (const message of browser.document.querySelectorAll('discord-message')) seen.push(message.textContent ?? '');
    }).observe(browser.document.getElementById('messages'), { childList: true, subtree: true, characterData: true });
  });
}

/** Playwright's own matchers live in @playwright/test; vitest's `expect.poll` retries the same way. */
const textOf = (locator: Locator) => () => locator.first().textContent();
const attributeOf = (locator: Locator, name: string) => () => locator.first().getAttribute(name);
const loadedWidth = (image: Locator) => () =>
  image
    .first()
    .evaluate((element: { complete: boolean; naturalWidth: number }) => (element.complete ? element.naturalWidth : 0));

describe('the playground in a real browser', () => {
  let playground: Playground | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
  });

  it(
    'GIVEN npm start without a token THEN a Discord-like page runs /imagine to a grid, U1 to an upscale, and keeps ephemerals and #mod-log private',
    { timeout: 90_000 },
    async () => {
      playground = await startTestPlayground(TIME_SCALE);
      expect(playground.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(playground.readySeconds).toBeLessThan(5);

      // Playwright gives each launch a new, empty, temporary user-data-dir and removes it on close.
      // Throws, naming each browser tried and why it failed, when none starts: never a silent skip.
      const launched = await launchChromium();
      browser = launched.browser;
      const page = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('requestfailed', (request) => {
        // The event stream is cut when the page closes; anything else failing is a bug.
        if (!request.url().endsWith('/__emulator/events')) problems.push(`request failed: ${request.url()}`);
      });

      await page.goto(playground.url);
      await page.locator('#app[data-state="ready"]').waitFor();
      await expect.poll(textOf(page.locator('.channel[aria-current]'))).toContain('imagine');
      await recordRenderedMessages(page);

      // The composer: "/" lists the registered commands this member may use, Enter picks one.
      const composer = page.getByRole('textbox', { name: 'Message #imagine' });
      await composer.click();
      await page.keyboard.type('/imag');
      await page.locator('.popup li[data-name="/imagine"][aria-selected="true"]').waitFor();
      await page.keyboard.press('Enter');
      await expect.poll(textOf(page.locator('.command-chip'))).toBe('/imagine');
      await expect
        .poll(() =>
          page.evaluate(() =>
            (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label'),
          ),
        )
        .toBe('prompt');
      await page.keyboard.type('a lighthouse at dusk --ar 3:2');
      await page.keyboard.press('Enter');

      // Live over the event stream: the message appears, shows progress, becomes a grid with buttons.
      const grid = page
        .locator('discord-message', { hasText: 'a lighthouse at dusk' })
        .filter({ has: page.locator('discord-image-attachment') });
      await grid.waitFor({ timeout: 20_000 });
      expect(await attributeOf(grid.locator('discord-command'), 'command')()).toBe('/imagine');
      expect(await attributeOf(grid.locator('discord-command'), 'author')()).toBe('Alice');
      expect(await textOf(grid.locator('discord-bold'))()).toBe('a lighthouse at dusk --ar 3:2');
      expect(await textOf(grid.locator('discord-mention'))()).toBe('Alice');
      expect(await textOf(grid.locator('discord-subscript'))()).toMatch(/^Job [a-z0-9]+( \(edited\))?$/);
      await expect.poll(loadedWidth(grid.locator('discord-image-attachment img'))).toBeGreaterThan(0);
      expect(await grid.locator('discord-button').allTextContents()).toEqual(
        expect.arrayContaining(['U1', 'U2', 'U3', 'U4', 'V1', 'V2', 'V3', 'V4']),
      );
      const rendered = await page.evaluate(() => (globalThis as unknown as PageGlobals).renderedMessages ?? []);
      expect(
        rendered.some((text) => /Waiting to start|\d+%|Running|\d:\d\d\)/.test(text)),
        `states seen: ${rendered.join(' | ')}`,
      ).toBe(true);

      // A click on U1 → the emulator's button interaction as Alice → the upscale, replying to the grid.
      await grid.locator('discord-button', { hasText: 'U1' }).click();
      const upscale = page
        .locator('discord-message', { hasText: 'Image #1' })
        .filter({ has: page.locator('discord-image-attachment') });
      await upscale.waitFor({ timeout: 20_000 });
      expect(await textOf(upscale.locator('discord-reply'))()).toContain('a lighthouse at dusk');
      await expect.poll(loadedWidth(upscale.locator('discord-image-attachment img'))).toBeGreaterThan(0);

      mkdirSync('docs', { recursive: true });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: SCREENSHOT });
      if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(SCREENSHOT, 'docs/playground-channel.png');

      // Typing after the click lands in the message box, as in Discord. /info answers privately:
      // Alice sees it, marked "Only you can see this"; Bob does not.
      await page.keyboard.type('/info');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      const info = page.locator('discord-message[ephemeral]', { hasText: 'Allowance' });
      await info.waitFor();
      // The marker is drawn inside the message's shadow root, which Playwright's CSS pierces.
      expect(await textOf(info.locator('.discord-message-ephemeral'))()).toContain('Only you can see this');
      await page.locator('.member[data-member="bob"]').click();
      await expect.poll(textOf(page.locator('#user-display'))).toBe('Bob');
      await expect.poll(() => page.locator('discord-message', { hasText: 'Image #1' }).count()).toBe(1);
      expect(await page.locator('discord-message', { hasText: 'Allowance' }).count()).toBe(0);

      // Bob cannot view #mod-log: the page says why and offers the moderator.
      await page.locator('.channel[data-channel="mod-log"]').click();
      await expect.poll(textOf(page.locator('#locked'))).toContain("Bob can't view this channel");
      expect(await textOf(page.locator('#locked .switch-button'))()).toBe('Play as Mia (Moderator)');
      expect(await page.locator('#composer').isHidden()).toBe(true);
      // Mia sees what a moderator of a real server would: the mirror of Alice's grid, with its buttons.
      await page.locator('#locked .switch-button').click();
      await expect.poll(textOf(page.locator('#user-display'))).toBe('Mia');
      const mirror = page.locator('discord-message', { hasText: '(imagine) by' });
      await expect.poll(() => mirror.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await mirror.first().locator('discord-button', { hasText: 'Delete' }).count()).toBe(1);

      expect(problems, `in ${launched.source}`).toEqual([]);
    },
  );
});
