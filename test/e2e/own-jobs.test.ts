import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InteractionRecord, MessageView } from '../../src/sandbox/discord/index.js';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
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

/** Apps → `name` on a message, as a member; resolves once the bot answered. */
const apps = (e2e: E2E, userId: string, message: MessageView, name: string): Promise<InteractionRecord> =>
  e2e.sandbox.emulator.messageCommand({ userId, messageId: message.id, name }, { wait: 'ack' });

/** What the member saw privately, once the bot filled its answer (a "thinking…" first, for Send to me). */
async function privateAnswer(e2e: E2E, interaction: InteractionRecord): Promise<string> {
  expect(interaction.ephemeral).toBe(true);
  return vi.waitFor(
    () => {
      const content = e2e.ephemeralOf(interaction)?.content;
      if (!content) throw new Error('no answer yet');
      return content;
    },
    { timeout: 10_000, interval: 50 },
  );
}

describe('the Apps menu on job messages (cloudsway-mj, which returns seeds)', () => {
  let e2e: E2E;
  let grid: MessageView;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj');
    grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.bob, 'a red kite --seed 4242'), finished, 30_000);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN the bot is up THEN Delete, Send to me and Show seed are registered as message commands', () => {
    const registered = e2e.sandbox.emulator.commands(e2e.seed.guildId).filter((command) => command.type === 3);
    expect(registered.map((command) => command.name).sort()).toEqual(['Delete', 'Send to me', 'Show seed']);
  });

  it('GIVEN Show seed on a job THEN any member sees its seed privately', async () => {
    const shown = await apps(e2e, e2e.seed.users.alice, grid, 'Show seed');
    expect(await privateAnswer(e2e, shown)).toBe(
      `The seed of job \`${jobIdOf(grid)}\` is \`4242\`. Add \`--seed 4242\` to a prompt to reuse it.`,
    );
  });

  it('GIVEN Send to me THEN a DM brings the image, the job id and the seed; GIVEN DMs closed THEN the member is told so privately', async () => {
    const { bob } = e2e.seed.users;
    const { emulator } = e2e.sandbox;
    const sent = await apps(e2e, bob, grid, 'Send to me');
    expect(await privateAnswer(e2e, sent)).toBe(`Sent job \`${jobIdOf(grid)}\` to your direct messages.`);
    const [dm] = emulator.directMessages(bob);
    expect(dm?.content).toContain('a red kite --seed 4242');
    expect(dm?.content).toContain(`Job \`${jobIdOf(grid)}\` · seed \`4242\``);
    expect(dm?.content).toContain(`/channels/${e2e.seed.guildId}/${e2e.seed.channels.imagine}/${grid.id}`);
    expect(dm?.attachments).toHaveLength(1);
    expect(emulator.attachmentBytes(dm!.attachments[0]!.id)?.length).toBeGreaterThan(0);

    emulator.setDirectMessages(bob, false);
    try {
      const closed = await apps(e2e, bob, grid, 'Send to me');
      expect(await privateAnswer(e2e, closed)).toMatch(/^I can’t send you a direct message: your privacy settings/);
      expect(emulator.directMessages(bob)).toHaveLength(1);
    } finally {
      emulator.setDirectMessages(bob, true);
    }
  });

  it('GIVEN a message that is not a job THEN each Apps command refuses it briefly', async () => {
    const { emulator } = e2e.sandbox;
    const chatter = emulator.postMessage({
      userId: e2e.seed.users.alice,
      channelId: e2e.seed.channels.imagine,
      content: '-# Job `abcdef1`',
    });
    for (const name of ['Delete', 'Send to me', 'Show seed']) {
      const refused = await apps(e2e, e2e.seed.users.alice, chatter, name);
      expect(await privateAnswer(e2e, refused)).toBe('That message is not one of my jobs.');
    }
    expect(emulator.message(chatter.id)).toBeDefined();
  });

  it('GIVEN Delete by another member THEN it is refused; GIVEN Delete by the owner THEN the message goes, and the job leaves autocomplete and takes no follow-ups', async () => {
    const { alice, bob } = e2e.seed.users;
    const { emulator } = e2e.sandbox;
    const id = jobIdOf(grid);
    const refused = await apps(e2e, alice, grid, 'Delete');
    expect(await privateAnswer(e2e, refused)).toBe(`Only <@${bob}> can delete this job's message.`);
    expect(emulator.message(grid.id)).toBeDefined();

    const deleted = await apps(e2e, bob, grid, 'Delete');
    expect(await privateAnswer(e2e, deleted)).toBe(
      `Deleted job \`${id}\`. It can't be used for upscales or variations any more.`,
    );
    await vi.waitFor(() => expect(emulator.message(grid.id)).toBeUndefined(), { timeout: 10_000, interval: 50 });

    const upscale = await e2e.slash(bob, 'upscale', { job: id, image: 1 });
    const answer = e2e.ephemeralOf(upscale)?.content ?? '';
    expect(answer).toBe(`Job \`${id}\` was deleted by its owner, so it can't be used any more.`);
    expect(answer).not.toMatch(/moderator/i);
    const { choices } = await emulator.autocomplete(
      {
        userId: bob,
        channelId: e2e.seed.channels.imagine,
        name: 'upscale',
        options: { job: '', image: 1 },
        focused: 'job',
      },
      { wait: 'ack' },
    );
    expect(choices.map((choice) => choice.value)).not.toContain(id);
  });
});

describe('Show seed where the provider gives none (kie)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a Kie job THEN Show seed says Kie.ai gave none', async () => {
    const grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a quiet harbour'), finished, 30_000);
    const shown = await apps(e2e, e2e.seed.users.alice, grid, 'Show seed');
    expect(await privateAnswer(e2e, shown)).toBe(`Kie.ai gave no seed for job \`${jobIdOf(grid)}\`.`);
  });
});

describe('Show seed where the provider gives it on request (acedata)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('acedata');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN an AceData job THEN Show seed asks /midjourney/seed once and shows its seed; a second Show seed and Send to me make no request', async () => {
    const simulator = e2e.sandbox.simulators.get('acedata') as AcedataSimulator;
    const { alice } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a paper boat'), finished, 30_000);
    const task = [...simulator.book.all()].at(-1)!;
    const expected = `The seed of job \`${jobIdOf(grid)}\` is \`${task.seed}\`. Add \`--seed ${task.seed}\` to a prompt to reuse it.`;
    const seedCalls = () => simulator.requests.filter((request) => request.path === '/midjourney/seed');

    expect(await privateAnswer(e2e, await apps(e2e, alice, grid, 'Show seed'))).toBe(expected);
    expect(seedCalls().map((request) => request.status)).toEqual([200]);
    expect(simulator.seedRequests).toEqual([task.imageId]);

    expect(await privateAnswer(e2e, await apps(e2e, alice, grid, 'Show seed'))).toBe(expected);
    await privateAnswer(e2e, await apps(e2e, alice, grid, 'Send to me'));
    expect(e2e.sandbox.emulator.directMessages(alice).at(-1)?.content).toContain(`· seed \`${task.seed}\``);
    expect(seedCalls()).toHaveLength(1);
  });
});
