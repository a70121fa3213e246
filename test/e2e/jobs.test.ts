import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sandbox/discord/index.js';
import { finished, jobIdOf, startE2E, type E2E } from './support.js';

describe('a job longer than the 15-minute interaction token', () => {
  let e2e: E2E;
  const clock = new ManualClock();
  beforeAll(async () => {
    // A 40-second job takes 2 s here, long enough to move Discord's clock past 15 minutes meanwhile.
    e2e = await startE2E('kie', { timeScale: 0.05, emulator: { clock } });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it("GIVEN Discord's clock moves 16 minutes during the job THEN the result still arrives, through the channel endpoints", async () => {
    const command = await e2e.imagine(e2e.seed.users.alice, 'a slow sunrise --relax');
    clock.advance(16 * 60_000);
    // The interaction's own token is dead now: an edit through it would be refused.
    const { emulator } = e2e.sandbox;
    const viaToken = await request(
      `${emulator.restUrl}/v10/webhooks/${emulator.applicationId}/${command.token}/messages/%40original`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'late' }),
      },
    );
    expect(viaToken.statusCode).toBe(401);
    expect(((await viaToken.body.json()) as { code: number }).code).toBe(50027);
    const grid = await e2e.resultOf(command, finished, 60_000);
    expect(grid.attachments).toHaveLength(1);
    expect(grid.content).toMatch(/\(relax\)$/m);
  });
});

describe('clicks, queues and bursts (kie)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie', { timeScale: 0.03 });
  });
  afterAll(async () => {
    expect(e2e.sandbox.emulator.interactions({ state: 'failed' })).toEqual([]);
    await e2e?.stop();
  });

  it('GIVEN the same user double-clicks U1 THEN one upscale job is made, and the second click is told so', async () => {
    const alice = e2e.seed.users.alice;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'twin peaks'), finished, 30_000);
    const [first, second] = await Promise.all([e2e.click(alice, grid, 'U1'), e2e.click(alice, grid, 'U1')]);
    const clicks = [first, second];
    const publicReplies = clicks.filter((click) => !click.ephemeral);
    const privateReplies = clicks.filter((click) => click.ephemeral);
    expect(publicReplies).toHaveLength(1);
    expect(privateReplies).toHaveLength(1);
    expect(e2e.ephemeralOf(privateReplies[0]!)?.content).toMatch(/Already working on that: job `[a-z0-9]+`/);
    await e2e.resultOf(publicReplies[0]!, finished, 30_000);
    const upscales = e2e.sandbox.emulator
      .messages(e2e.seed.channels.imagine)
      .filter((message) => message.content.includes('twin peaks') && message.content.includes('Image #1'));
    expect(upscales).toHaveLength(1);
  });

  it('GIVEN a full queue THEN the next job is refused; GIVEN a slot frees THEN the queued job starts and finishes', async () => {
    const { mia, bob } = e2e.seed.users;
    const settings = await e2e.slash(mia, 'settings', { concurrency: 1, queue: 1 });
    expect(e2e.ephemeralOf(settings)?.content).toContain('Settings saved');
    try {
      const running = await e2e.imagine(bob, 'first in line');
      const queued = await e2e.imagine(bob, 'second in line');
      expect(e2e.sandbox.emulator.message(queued.originalMessageId!)?.content).toContain('(Queued, position 1)');
      const refused = await e2e.imagine(bob, 'third in line');
      expect(refused.ephemeral).toBe(true);
      expect(e2e.ephemeralOf(refused)?.content).toMatch(/queue is full/);
      await e2e.resultOf(running, finished, 30_000);
      const second = await e2e.resultOf(queued, finished, 30_000);
      expect(second.attachments).toHaveLength(1);
    } finally {
      await e2e.slash(mia, 'settings', { concurrency: 3, queue: 10 });
    }
  });

  it('GIVEN a member without Manage Server THEN Discord does not even offer /settings', async () => {
    // The command is registered with default_member_permissions = Manage Server; the handler checks again.
    await expect(e2e.slash(e2e.seed.users.alice, 'settings', { concurrency: 12 })).rejects.toThrow(
      /lacks the permissions/,
    );
  });

  it('GIVEN twenty simultaneous /imagine in one channel THEN every result arrives and Discord never answers 429', async () => {
    const { emulator } = e2e.sandbox;
    emulator.clearRequests();
    const users = Array.from({ length: 20 }, (_, index) => emulator.createUser({ username: `burst${index}` }).id);
    const commands = await Promise.all(users.map((userId, index) => e2e.imagine(userId, `burst number ${index}`)));
    expect(commands.every((command) => !command.failed && !command.ephemeral)).toBe(true);
    const results = await Promise.all(commands.map((command) => e2e.resultOf(command, finished, 120_000)));
    expect(results.every((message) => message.attachments.length === 1)).toBe(true);
    expect(new Set(results.map(jobIdOf)).size).toBe(20);
    expect(emulator.rateLimitHits()).toEqual([]);
  }, 180_000);
});
