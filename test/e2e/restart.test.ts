import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/run.js';
import { registerCommands, startBotProcess, type BotProcess } from './bot-process.js';
import { describeViolation, finished } from './support.js';

describe('the bot process is killed mid-job and started again', () => {
  let sandbox: Sandbox;
  let bot: BotProcess | undefined;
  beforeAll(async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'restart-')), 'bot.sqlite');
    sandbox = await startSandbox({
      logger: createLogger({ level: 'silent' }),
      providers: ['kie'],
      defaultProvider: 'kie',
      timeScale: 0.05,
      simulator: { imageEdge: 64 },
      startBot: false,
      environment: { STORE_URL: `sqlite://${store}` },
    });
    await registerCommands(sandbox.emulator);
  });
  afterAll(async () => {
    await bot?.kill('SIGKILL');
    await sandbox?.stop();
  });

  it('GIVEN a kill -9 while a job runs THEN after a restart the job completes, its message updates, and old buttons work', async () => {
    const { emulator } = sandbox;
    const { alice } = emulator.seed.users;
    const channelId = emulator.seed.channels.imagine;
    bot = await startBotProcess(sandbox.environment);

    const before = await emulator.slashCommand(
      { userId: alice, channelId, name: 'imagine', options: { prompt: 'an old harbour' } },
      { wait: 'ack' },
    );
    const oldGrid = await emulator.waitForMessage(
      channelId,
      (message) => message.id === before.originalMessageId && finished(message),
      { timeoutMs: 30_000 },
    );
    expect(oldGrid.attachments).toHaveLength(1);

    const during = await emulator.slashCommand(
      { userId: alice, channelId, name: 'imagine', options: { prompt: 'a long voyage --relax' } },
      { wait: 'ack' },
    );
    const kie = sandbox.simulators.get('kie')!;
    // Kill only once the provider has the task and the bot has recorded it (the message has left
    // "Waiting to start"), so the restarted bot must resume the task, not submit it again.
    await waitUntil(() => kie.requests.filter((request) => request.kind === 'submit').length >= 2, 10_000);
    await waitUntil(
      () => emulator.message(during.originalMessageId!)?.content.includes('(Waiting to start)') === false,
      10_000,
    );
    await bot.kill('SIGKILL');
    expect(finished(emulator.message(during.originalMessageId!)!)).toBe(false);

    bot = await startBotProcess(sandbox.environment);
    const resumed = await emulator.waitForMessage(
      channelId,
      (message) => message.id === during.originalMessageId && finished(message),
      { timeoutMs: 30_000 },
    );
    expect(resumed.attachments).toHaveLength(1);
    expect(resumed.content).toContain('(relax)');
    // Resumed by polling the existing task: no second submit for it.
    expect(kie.requests.filter((request) => request.kind === 'submit')).toHaveLength(2);

    const button = (oldGrid.components[0] as { components: { label: string; custom_id: string }[] }).components.find(
      (candidate) => candidate.label === 'U1',
    )!;
    const click = await emulator.clickButton(
      { userId: alice, messageId: oldGrid.id, customId: button.custom_id },
      { wait: 'ack' },
    );
    expect(click.ephemeral).toBe(false);
    const upscale = await emulator.waitForMessage(
      channelId,
      (message) => message.id === click.originalMessageId && finished(message),
      { timeoutMs: 30_000 },
    );
    expect(upscale.content).toContain('Image #1');
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
    expect(emulator.specReport().violations.map(describeViolation)).toEqual([]);
  }, 120_000);
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
  }
}
