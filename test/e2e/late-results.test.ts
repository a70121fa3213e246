import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import type { Sandbox } from '../../src/sandbox/run.js';
import { startBotProcess, startCrashSandbox, type BotProcess } from './bot-process.js';
import { finished, startE2E, type E2E } from './support.js';

const isJobMessage = (message: MessageView) => /Job `[a-z0-9]+`/.test(message.content);

/**
 * A result that comes late is a new message that mentions the member, who is notified (Discord
 * never notifies on an edit), and the waiting message goes. Here every result counts as late.
 */
describe('a late result is posted anew, with a ping (kie)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie', { environment: { RESULT_PING_AFTER_MS: '0' } });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  const resultIn = (channelId: string, jobId: string) =>
    e2e.sandbox.emulator.waitForMessage(
      channelId,
      (message) => message.content.includes(`Job \`${jobId}\``) && finished(message),
      { timeoutMs: 20_000 },
    );

  it('GIVEN a late grid THEN it is a new message that notified the member, and the waiting message is deleted', async () => {
    const { emulator, seed } = { emulator: e2e.sandbox.emulator, seed: e2e.seed };
    const command = await e2e.imagine(seed.users.alice, 'a lighthouse at dusk');
    const waitingId = command.originalMessageId!;
    const waiting = emulator.message(waitingId);
    const jobId = /Job `([a-z0-9]+)`/.exec(waiting?.content ?? '')?.[1];
    expect(jobId).toBeDefined();
    const result = await resultIn(command.channelId, jobId!);
    expect(result.id).not.toBe(waitingId);
    expect(result.notified).toEqual([seed.users.alice]);
    expect(result.attachments).toHaveLength(1);
    await expect.poll(() => emulator.message(waitingId), { timeout: 5_000 }).toBeUndefined();
    expect(emulator.messages(command.channelId).filter((message) => message.content.includes(jobId!))).toHaveLength(1);
  });

  it("GIVEN the new message's U1 THEN the upscale works and comes late as well, notifying the clicker", async () => {
    const { alice, bob } = e2e.seed.users;
    const command = await e2e.imagine(alice, 'a harbour in fog');
    const jobId = /Job `([a-z0-9]+)`/.exec(
      e2e.sandbox.emulator.message(command.originalMessageId!)?.content ?? '',
    )?.[1];
    const grid = await resultIn(command.channelId, jobId!);
    const click = await e2e.click(bob, grid, 'U1');
    expect(click.failed).toBe(false);
    const upscale = await e2e.sandbox.emulator.waitForMessage(
      command.channelId,
      (message) => message.id !== grid.id && message.content.includes('Image #1') && finished(message),
      { timeoutMs: 20_000 },
    );
    expect(upscale.notified).toEqual([bob]);
    // The grid itself is untouched and keeps its buttons.
    expect(e2e.sandbox.emulator.message(grid.id)?.components.length).toBeGreaterThan(0);
  });
  it('GIVEN a late result mirrored for moderators THEN the mirror links to it, and Delete removes the result itself', async () => {
    const { emulator } = e2e.sandbox;
    const { alice, mia } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { mod_channel: e2e.seed.channels.modLog });
    try {
      const command = await e2e.imagine(alice, 'a kite over dunes');
      const jobId = /Job `([a-z0-9]+)`/.exec(emulator.message(command.originalMessageId!)?.content ?? '')?.[1];
      const result = await resultIn(command.channelId, jobId!);
      const mirror = await emulator.waitForMessage(
        e2e.seed.channels.modLog,
        (message) => message.content.includes(`Job \`${jobId}\``) && message.components.length > 0,
        { timeoutMs: 20_000 },
      );
      expect(mirror.content).toContain(`/${command.channelId}/${result.id}`);
      await e2e.click(mia, mirror, 'Delete');
      await expect.poll(() => emulator.message(result.id), { timeout: 5_000 }).toBeUndefined();
    } finally {
      await e2e.slash(mia, 'settings', { clear: 'mod_channel' });
    }
  });
});

/**
 * The kill between posting the late result and recording it: after a restart there is still one
 * result per job (the nonce makes Discord return the first post), and no waiting message is left.
 */
describe('a late result and a crash', () => {
  let sandbox: Sandbox;
  let bot: BotProcess | undefined;
  const directory = mkdtempSync(join(tmpdir(), 'late-results-'));

  beforeAll(async () => {
    sandbox = await startCrashSandbox();
  });
  afterAll(async () => {
    await bot?.kill('SIGKILL');
    await sandbox?.stop();
  });

  it(
    'GIVEN SIGKILL right after the post THEN after a restart each job has one message, with its image, notified once',
    { timeout: 90_000 },
    async () => {
      const { emulator } = sandbox;
      const channelId = emulator.createChannel(emulator.seed.guildId, { name: 'late-crash' }).id;
      const environment = {
        ...sandbox.environment,
        STORE_URL: `sqlite://${join(directory, 'late.sqlite')}`,
        RESULT_PING_AFTER_MS: '0',
      };
      bot = await startBotProcess({ ...environment, FAILPOINTS: 'publish.after-post' });
      const command = await emulator.slashCommand(
        { userId: emulator.seed.users.alice, channelId, name: 'imagine', options: { prompt: '{a red, a blue} kite' } },
        { wait: 'ack' },
      );
      expect(command.failed).toBe(false);
      await bot.waitForLine('"failpoint":"publish.after-post"');
      await bot.kill('SIGKILL');
      bot = await startBotProcess(environment);
      const done = () => {
        const messages = emulator.messages(channelId).filter(isJobMessage);
        return messages.length === 2 && messages.every((message) => message.attachments.length === 1);
      };
      await expect.poll(done, { timeout: 60_000, interval: 100 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const messages = emulator.messages(channelId).filter(isJobMessage);
      expect(messages).toHaveLength(2);
      expect(emulator.message(command.originalMessageId!)).toBeUndefined();
      for (const message of messages) expect(message.notified).toEqual([emulator.seed.users.alice]);
    },
  );
});
