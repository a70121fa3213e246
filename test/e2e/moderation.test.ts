import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import { finished, jobIdOf, startE2E, type E2E } from './support.js';

const DAY = 24 * 60 * 60 * 1000;

function customIdOf(message: MessageView, label: string): string {
  const button = message.components
    .flatMap((row) => (row as { components: { label?: string; custom_id?: string }[] }).components)
    .find((candidate) => candidate.label === label);
  if (!button?.custom_id) throw new Error(`no ${label} button`);
  return button.custom_id;
}

describe('community moderation (acedata)', () => {
  let e2e: E2E;
  let offset = 0;
  const waitForMirror = (predicate: (message: MessageView) => boolean) =>
    e2e.sandbox.emulator.waitForMessage(e2e.seed.channels.modLog, predicate, { timeoutMs: 20_000 });

  beforeAll(async () => {
    e2e = await startE2E('acedata', { now: () => Date.now() + offset });
    const setup = await e2e.slash(e2e.seed.users.mia, 'settings', { mod_channel: e2e.seed.channels.modLog });
    expect(e2e.ephemeralOf(setup)?.content).toContain('Settings saved');
  });
  afterAll(async () => {
    expect(e2e.sandbox.emulator.interactions({ state: 'failed' })).toEqual([]);
    await e2e?.stop();
  });

  it('GIVEN a banned prompt THEN it is refused privately by category, logged in the moderation channel, and nothing reaches the provider', async () => {
    const provider = e2e.sandbox.simulators.get('acedata')!;
    const before = provider.requests.length;
    const refused = await e2e.imagine(e2e.seed.users.bob, 'a hardcore porn scene');
    expect(refused.ephemeral).toBe(true);
    expect(e2e.ephemeralOf(refused)?.content).toMatch(/refused: it looks like it asks for sexual content/);
    expect(e2e.ephemeralOf(refused)?.content).not.toMatch(/porn/);
    const logged = await waitForMirror(
      (message) => message.content.startsWith('🚫') && message.content.includes(e2e.seed.users.bob),
    );
    expect(logged.content).toContain('sexual');
    expect(provider.requests.length).toBe(before);
  });

  it.each(['s.e.x on the beach at night', 'a s3xy p0rn poster', 'n-u-d-e figure drawing', 'P O R N magazine cover'])(
    'GIVEN leetspeak or separators (%s) THEN it is caught',
    async (prompt) => {
      const refused = await e2e.imagine(e2e.seed.users.bob, prompt);
      expect(e2e.ephemeralOf(refused)?.content).toMatch(/refused/);
    },
  );

  it('GIVEN innocent prompts THEN every one passes the filter and becomes a job', async () => {
    const innocent = [
      'grass field',
      'a class photo',
      'Scunthorpe at dusk',
      'a cocktail bar',
      "my therapist's office",
      'a mountain landscape --no nudity',
    ];
    for (const prompt of innocent) {
      const command = await e2e.imagine(e2e.seed.users.alice, prompt);
      expect(command.ephemeral, `${prompt}: ${e2e.ephemeralOf(command)?.content ?? ''}`).toBe(false);
      await e2e.resultOf(command, finished, 20_000);
    }
  });

  it('GIVEN a finished job THEN it is mirrored for moderators, and a moderator can delete the public result', async () => {
    const command = await e2e.imagine(e2e.seed.users.alice, 'a red kite over dunes');
    const result = await e2e.resultOf(command, finished, 20_000);
    const id = jobIdOf(result);
    const mirror = await waitForMirror((message) => message.content.includes(`Job \`${id}\``));
    expect(mirror.content).toContain(`<@${e2e.seed.users.alice}>`);
    expect(mirror.content).toContain('AceDataCloud');
    expect((mirror.embeds as { thumbnail?: { url: string } }[])[0]?.thumbnail?.url).toBe(result.attachments[0]?.url);
    const click = await e2e.click(e2e.seed.users.mia, mirror, 'Delete');
    expect(click.callbackType).toBe(7);
    // The click is answered first; the public message goes right after, through the publisher.
    await expect.poll(() => e2e.sandbox.emulator.message(result.id), { timeout: 5_000 }).toBeUndefined();
    const updated = e2e.sandbox.emulator.message(mirror.id)!;
    expect(updated.content).toContain(`Deleted by <@${e2e.seed.users.mia}>`);
    const log = await e2e.slash(e2e.seed.users.mia, 'mod log', {});
    expect(e2e.ephemeralOf(log)?.content).toMatch(new RegExp(`deleted a result .*${id}`));
  });

  it('GIVEN a member without permission THEN moderator buttons are refused and /mod is not offered', async () => {
    const { emulator } = e2e.sandbox;
    // A moderation channel every member can read, so that a plain member can reach the buttons at all.
    const open = emulator.createChannel(e2e.seed.guildId, { name: 'mod-open' });
    await e2e.slash(e2e.seed.users.mia, 'settings', { mod_channel: open.id });
    try {
      const result = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a blue door'), finished, 20_000);
      const mirror = await emulator.waitForMessage(
        open.id,
        (message) => message.content.includes(`Job \`${jobIdOf(result)}\``),
        { timeoutMs: 20_000 },
      );
      const click = await e2e.sandbox.emulator.clickButton(
        { userId: e2e.seed.users.bob, messageId: mirror.id, customId: customIdOf(mirror, 'Delete') },
        { wait: 'ack' },
      );
      expect(click.ephemeral).toBe(true);
      expect(e2e.ephemeralOf(click)?.content).toMatch(/Only moderators/);
      expect(emulator.message(result.id)).toBeDefined();
      await expect(e2e.slash(e2e.seed.users.bob, 'mod list', {})).rejects.toThrow(/lacks the permissions/);
    } finally {
      await e2e.slash(e2e.seed.users.mia, 'settings', { mod_channel: e2e.seed.channels.modLog });
    }
  });

  it('GIVEN a blocked user THEN they are refused; once unblocked THEN served', async () => {
    const { mia, bob } = e2e.seed.users;
    await e2e.slash(mia, 'mod block', { user: bob });
    const refused = await e2e.imagine(bob, 'a quiet street');
    expect(e2e.ephemeralOf(refused)?.content).toMatch(/blocked/);
    await e2e.slash(mia, 'mod unblock', { user: bob });
    const served = await e2e.imagine(bob, 'a quiet street');
    expect(served.ephemeral).toBe(false);
    await e2e.resultOf(served, finished, 20_000);
  });

  it('GIVEN approval mode THEN a result waits for a moderator and is published on Approve; Reject keeps it private', async () => {
    const { mia, alice } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { approval: true });
    try {
      const held = await e2e.imagine(alice, 'a lantern festival');
      const waiting = await e2e.resultOf(
        held,
        (message) => message.content.includes('Waiting for a moderator'),
        20_000,
      );
      expect(waiting.attachments).toHaveLength(0);
      const id = jobIdOf(waiting);
      const mirror = await waitForMirror(
        (message) => message.content.includes(`Job \`${id}\``) && message.attachments.length === 1,
      );
      await e2e.click(mia, mirror, 'Approve');
      const published = await e2e.resultOf(held, (message) => message.attachments.length === 1, 20_000);
      expect(published.content).not.toContain('Waiting for a moderator');

      const second = await e2e.imagine(alice, 'a paper crane');
      const secondWaiting = await e2e.resultOf(
        second,
        (message) => message.content.includes('Waiting for a moderator'),
        20_000,
      );
      const secondMirror = await waitForMirror(
        (message) => message.content.includes(`Job \`${jobIdOf(secondWaiting)}\``) && message.components.length > 0,
      );
      await e2e.click(mia, secondMirror, 'Reject');
      const rejected = await e2e.resultOf(second, (message) => message.content.includes('did not approve'), 20_000);
      expect(rejected.attachments).toHaveLength(0);
      const told = e2e.sandbox.emulator
        .messages(e2e.seed.channels.imagine, { as: alice })
        .find((message) => message.visible_to === alice && message.content.includes('did not approve your result'));
      expect(told).toBeDefined();
    } finally {
      await e2e.slash(mia, 'settings', { approval: false });
    }
  });

  it('GIVEN a job a moderator deleted THEN members cannot bring it back with /upscale or /vary, and autocomplete no longer offers it', async () => {
    const { alice, bob, mia } = e2e.seed.users;
    const result = await e2e.resultOf(await e2e.imagine(alice, 'a windmill at dawn'), finished, 20_000);
    const id = jobIdOf(result);
    const mirror = await waitForMirror((message) => message.content.includes(`Job \`${id}\``));
    await e2e.click(mia, mirror, 'Delete');
    await expect.poll(() => e2e.sandbox.emulator.message(result.id), { timeout: 5_000 }).toBeUndefined();
    const provider = e2e.sandbox.simulators.get('acedata')!;
    const before = provider.requests.length;
    for (const [userId, name, options] of [
      [bob, 'upscale', { job: id, image: 1 }],
      [alice, 'upscale', { job: id, image: 2 }],
      [bob, 'vary', { job: id, image: 3 }],
    ] as const) {
      const refused = await e2e.slash(userId, name, options);
      expect(refused.ephemeral).toBe(true);
      expect(e2e.ephemeralOf(refused)?.content).toMatch(/A moderator removed job/);
    }
    expect(provider.requests.length).toBe(before);
    const { choices } = await e2e.sandbox.emulator.autocomplete(
      {
        userId: alice,
        channelId: e2e.seed.channels.imagine,
        name: 'upscale',
        options: { job: '', image: 1 },
        focused: 'job',
      },
      { wait: 'ack' },
    );
    expect(choices.map((choice) => choice.value)).not.toContain(id);
  });

  it('GIVEN a job made in a channel a member cannot see THEN their /upscale of it elsewhere is refused, and the owner’s works', async () => {
    const { emulator } = e2e.sandbox;
    const { alice, bob } = e2e.seed.users;
    const secret = emulator.createChannel(e2e.seed.guildId, {
      name: 'alice-only',
      overwrites: [
        { id: e2e.seed.guildId, type: 'role', deny: ['ViewChannel'] },
        { id: alice, type: 'member', allow: ['ViewChannel', 'SendMessages'] },
        {
          id: e2e.seed.botUserId,
          type: 'member',
          allow: ['ViewChannel', 'SendMessages', 'EmbedLinks', 'AttachFiles', 'ReadMessageHistory'],
        },
      ],
    });
    const command = await emulator.slashCommand(
      { userId: alice, channelId: secret.id, name: 'imagine', options: { prompt: 'a diary on a desk' } },
      { wait: 'ack' },
    );
    const result = await e2e.resultOf(command, finished, 20_000);
    const id = jobIdOf(result);
    const refused = await e2e.slash(bob, 'upscale', { job: id, image: 1 });
    expect(e2e.ephemeralOf(refused)?.content).toMatch(/a channel you can't see/);
    const allowed = await e2e.slash(alice, 'upscale', { job: id, image: 1 });
    expect(allowed.ephemeral).toBe(false);
    await e2e.resultOf(allowed, finished, 20_000);
  });

  it('GIVEN Approve and Reject clicked at the same instant by two moderators, three times THEN each time one decision holds, and the mirror, the message and the audit log agree', async () => {
    const { emulator } = e2e.sandbox;
    const { mia, owner, alice } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { approval: true });
    try {
      for (let round = 0; round < 3; round++) {
        const held = await e2e.imagine(alice, `a contested lighthouse ${round}`);
        const id = jobIdOf(
          await e2e.resultOf(held, (message) => message.content.includes('Waiting for a moderator'), 20_000),
        );
        const mirror = await waitForMirror(
          (message) => message.content.includes(`Job \`${id}\``) && message.components.length > 0,
        );
        const [approve, reject] = await Promise.all([
          emulator.clickButton(
            { userId: mia, messageId: mirror.id, customId: customIdOf(mirror, 'Approve') },
            { wait: 'ack' },
          ),
          emulator.clickButton(
            { userId: owner, messageId: mirror.id, customId: customIdOf(mirror, 'Reject') },
            { wait: 'ack' },
          ),
        ]);
        // One click updated the mirror (7); the other was told privately (4, ephemeral).
        expect([approve.callbackType, reject.callbackType].sort()).toEqual([4, 7]);
        const loser = approve.callbackType === 4 ? approve : reject;
        expect(loser.ephemeral).toBe(true);
        expect(e2e.ephemeralOf(loser)?.content).toMatch(/already decided/);
        const approved = approve.callbackType === 7;
        const decided = emulator.message(mirror.id)!;
        expect(decided.content).toContain(approved ? `Approved by <@${mia}>` : `Rejected by <@${owner}>`);
        expect(decided.content).not.toContain(approved ? 'Rejected by' : 'Approved by');
        await e2e.resultOf(
          held,
          (message) => (approved ? message.attachments.length === 1 : message.content.includes('did not approve')),
          20_000,
        );
        const log = await e2e.slash(mia, 'mod log', {});
        const lines = (e2e.ephemeralOf(log)?.content ?? '').split('\n').filter((line) => line.includes(id));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(approved ? 'approved a result' : 'rejected a result');
      }
    } finally {
      await e2e.slash(mia, 'settings', { approval: false });
    }
  });

  it('GIVEN an image number the job does not have THEN it is refused before any job exists', async () => {
    const { alice } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a stone bridge'), finished, 20_000);
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U2'), finished, 20_000);
    const provider = e2e.sandbox.simulators.get('acedata')!;
    const before = provider.requests.length;
    const refused = await e2e.slash(alice, 'vary', { job: jobIdOf(upscale), image: 3 });
    expect(e2e.ephemeralOf(refused)?.content).toMatch(/has one image, so there is no image 3\./);
    expect(provider.requests.length).toBe(before);
    const info = await e2e.slash(alice, 'info', {});
    expect(e2e.ephemeralOf(info)?.content).toMatch(/\*\*Running:\*\* none .*\n\*\*Queued:\*\* none/);
  });

  it('GIVEN no moderation channel THEN a refusal does not claim moderators were told; with one it does; /settings clears it', async () => {
    const { mia, bob } = e2e.seed.users;
    const told = await e2e.imagine(bob, 'a hardcore porn scene');
    expect(e2e.ephemeralOf(told)?.content).toContain('Moderators have been notified.');
    const cleared = await e2e.slash(mia, 'settings', { clear: 'mod_channel' });
    expect(e2e.ephemeralOf(cleared)?.content).toContain('**Moderation channel:** none');
    try {
      const untold = await e2e.imagine(bob, 'a hardcore porn scene');
      expect(e2e.ephemeralOf(untold)?.content).toMatch(/refused/);
      expect(e2e.ephemeralOf(untold)?.content).not.toContain('notified');
    } finally {
      await e2e.slash(mia, 'settings', { mod_channel: e2e.seed.channels.modLog });
    }
  });

  it('GIVEN a daily allowance THEN it is enforced, moderators are exempt, and it resets the next day', async () => {
    const { mia, bob } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { daily_limit: 1 });
    try {
      offset += DAY; // a fresh day, whatever the earlier tests used
      expect((await e2e.imagine(bob, 'one allowed')).ephemeral).toBe(false);
      const refused = await e2e.imagine(bob, 'one too many');
      expect(e2e.ephemeralOf(refused)?.content).toMatch(/0 of today's 1 left/);
      const info = await e2e.slash(bob, 'info', {});
      expect(e2e.ephemeralOf(info)?.content).toMatch(/0 of 1 jobs left today/);
      expect((await e2e.imagine(mia, 'moderators are exempt')).ephemeral).toBe(false);
      offset += DAY;
      expect((await e2e.imagine(bob, 'a new day')).ephemeral).toBe(false);
    } finally {
      await e2e.slash(mia, 'settings', { daily_limit: 0 });
    }
  });
});
