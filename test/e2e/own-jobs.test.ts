import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import { buttonLabels, finished, jobIdOf, startE2E, type E2E } from './support.js';

/** A job's message once the provider has taken it: its tag shows progress and speed. */
const running = (message: MessageView) => /\((?:\d+%|[A-Z][a-z]+, [\d:]+)\) \(fast\)/.test(message.content);
const cancelled = (message: MessageView) => message.content.includes('(cancelled)');

describe('❌ Cancel (kie)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    // A 40-second job takes 2 s here: long enough to click while it runs.
    e2e = await startE2E('kie', { timeScale: 0.05 });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a queued job THEN only its owner can cancel it; it leaves the queue, gives back its allowance, and the next job takes its place', async () => {
    const { mia, bob, alice } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { concurrency: 1, queue: 1, daily_limit: 2 });
    try {
      const first = await e2e.imagine(bob, 'first in line');
      const second = await e2e.imagine(bob, 'second in line');
      const queued = e2e.sandbox.emulator.message(second.originalMessageId!)!;
      expect(queued.content).toContain('(Queued, position 1)');
      expect(buttonLabels(queued)).toEqual([['Cancel']]);
      // The queue (1) and the allowance (2) are both used up.
      const refused = await e2e.imagine(bob, 'third in line');
      expect(e2e.ephemeralOf(refused)?.content).toMatch(/queue is full|allowance/);

      const stranger = await e2e.click(alice, queued, 'Cancel');
      expect(stranger.ephemeral).toBe(true);
      expect(e2e.ephemeralOf(stranger)?.content).toBe(`Only <@${bob}> can cancel this job.`);
      expect(e2e.sandbox.emulator.message(queued.id)?.content).toContain('(Queued, position 1)');

      const own = await e2e.click(bob, queued, 'Cancel');
      expect(own.ephemeral).toBe(true);
      expect(e2e.ephemeralOf(own)?.content).toBe(
        `Cancelled job \`${jobIdOf(queued)}\`. It left the queue and no longer counts against your allowance.`,
      );
      const shown = await e2e.resultOf(second, cancelled);
      expect(shown.content).toContain('Cancelled by its owner.');
      expect(shown.components).toEqual([]);

      // Its place in the queue and its share of the allowance are free again.
      const third = await e2e.imagine(bob, 'third in line');
      expect(third.ephemeral).toBe(false);
      expect(e2e.sandbox.emulator.message(third.originalMessageId!)?.content).toContain('(Queued, position 1)');
      await e2e.resultOf(first, finished, 30_000);
      const result = await e2e.resultOf(third, finished, 30_000);
      expect(result.attachments).toHaveLength(1);
      // The cancelled job never started.
      expect(e2e.sandbox.emulator.message(queued.id)?.attachments).toEqual([]);
      expect(e2e.sandbox.emulator.message(queued.id)?.content).toContain('(cancelled)');
    } finally {
      await e2e.slash(mia, 'settings', { concurrency: 3, queue: 10, daily_limit: 0 });
    }
  });

  it('GIVEN a running job THEN its owner cancels it, the message says so, and nothing more is published to it', async () => {
    const { bob } = e2e.seed.users;
    const command = await e2e.imagine(bob, 'a lighthouse at dusk');
    const shown = await e2e.resultOf(command, running, 10_000);
    expect(buttonLabels(shown)).toEqual([['Cancel']]);
    const click = await e2e.click(bob, shown, 'Cancel');
    expect(e2e.ephemeralOf(click)?.content).toBe(
      `Cancelled job \`${jobIdOf(shown)}\`. Its result will not be posted. Kie.ai has no way to stop a task once it runs, so it may still count there.`,
    );
    const after = await e2e.resultOf(command, cancelled);
    expect(after.components).toEqual([]);
    expect(after.embeds ?? []).toEqual([]);
    const writes = () =>
      e2e.sandbox.emulator.requests().filter((request) => request.method !== 'GET' && request.path.includes(shown.id))
        .length;
    const writesWhenCancelled = writes();
    // Long past when the provider finishes the task (40 simulated seconds, 2 s here).
    await sleep(4_000);
    expect(writes()).toBe(writesWhenCancelled);
    const final = e2e.sandbox.emulator.message(shown.id)!;
    expect(final.attachments).toEqual([]);
    expect(final.content).toBe(after.content);
    // No other message took the result either.
    const posted = e2e.sandbox.emulator
      .messages(e2e.seed.channels.imagine)
      .filter((message) => message.content.includes('a lighthouse at dusk'));
    expect(posted.map((message) => message.id)).toEqual([shown.id]);
  });
});
