import { afterEach, describe, expect, it } from 'vitest';
import { finished, startE2E, type E2E } from './support.js';

/** Every state a job message went through, from the emulator's message events. */
function recordEdits(e2e: E2E, messageId: () => string | undefined): { content: string; embeds: unknown[] }[] {
  const seen: { content: string; embeds: unknown[] }[] = [];
  e2e.sandbox.emulator.events.on('message.update', ({ message }) => {
    if (message.id === messageId()) seen.push({ content: message.content, embeds: message.embeds });
  });
  return seen;
}

describe('progress in the message', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.stop();
  });

  it('GIVEN a provider that reports percent and previews (AceData) THEN the message shows (N%) (fast) with the preview, then the grid', async () => {
    // A 45-second job takes about 2 s here: time for a few paced progress edits.
    e2e = await startE2E('acedata', { timeScale: 0.05 });
    const watched: { id?: string } = {};
    const edits = recordEdits(e2e, () => watched.id);
    const command = await e2e.imagine(e2e.seed.users.alice, 'a glass greenhouse');
    watched.id = command.originalMessageId!;
    const grid = await e2e.resultOf(command, finished, 30_000);
    const progress = edits.filter((edit) => /\(\d{1,2}%\) \(fast\)/.test(edit.content));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((edit) => (edit.embeds as { image?: { url?: string } }[])[0]?.image?.url)).toBe(true);
    expect(grid.embeds).toEqual([]);
    expect(grid.attachments).toHaveLength(1);
  });

  it('GIVEN a provider that gives no percent (Kie) THEN the message shows its state and the elapsed time', async () => {
    e2e = await startE2E('kie', { timeScale: 0.05 });
    const watched: { id?: string } = {};
    const edits = recordEdits(e2e, () => watched.id);
    const command = await e2e.imagine(e2e.seed.users.bob, 'a tin robot');
    watched.id = command.originalMessageId!;
    await e2e.resultOf(command, finished, 30_000);
    expect(edits.some((edit) => /\([A-Za-z ]+, \d+:\d{2}\) \(fast\)/.test(edit.content))).toBe(true);
    expect(edits.every((edit) => !/%\)/.test(edit.content))).toBe(true);
  });
});
