import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { DiscordEmulator, type InteractionRecord } from '../../src/sandbox/discord/index.js';
import { startSimulator, type ProviderSimulator } from '../../src/sandbox/providers/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/run.js';
import { refusals } from '../../src/discord/text.js';

const STORE_UNAVAILABLE_MESSAGE = refusals('en').storeUnavailable;
import { openKeyv } from '../../src/store/keyv.js';
import { createStores } from '../../src/store/stores.js';
import { FaultyStore } from '../store/faulty-store.js';
import { finished, TIME_SCALE } from './support.js';

const logger = createLogger({ level: 'silent' });

/**
 * The store fails chosen reads and writes (SQLITE_BUSY) under the real bot. Afterwards no setting
 * or list is lost, the gate refused rather than admitted, and no job is stuck.
 */
describe('GIVEN a store that fails chosen reads and writes', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'store-faults-')), 'bot.sqlite');
  let emulator: DiscordEmulator;
  let kie: ProviderSimulator;
  let sandbox: Sandbox | undefined;
  const faults = new FaultyStore();

  const start = async (wrap?: FaultyStore) => {
    sandbox = await startSandbox({
      logger,
      providers: ['kie'],
      defaultProvider: 'kie',
      timeScale: TIME_SCALE,
      existingEmulator: emulator,
      existingSimulators: new Map([['kie', kie]]),
      environment: { STORE_URL: `sqlite://${path}` },
      ...(wrap ? { wrapStore: wrap.wrap } : {}),
    });
    return sandbox;
  };
  const slash = (userId: string, name: string, options: Record<string, unknown> = {}) =>
    emulator.slashCommand({ userId, channelId: emulator.seed.channels.imagine, name, options }, { wait: 'ack' });
  const privately = (interaction: InteractionRecord) =>
    emulator.message(interaction.originalMessageId ?? interaction.responseMessageIds[0] ?? '')?.content ?? '';

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    kie = await startSimulator('kie', { key: 'sandbox-key', timeScale: TIME_SCALE, imageEdge: 64 });
    // A server configured and moderated by a healthy bot: a moderation channel, an allowance, a blocked member.
    await start();
    const { mia, bob } = emulator.seed.users;
    expect(
      privately(await slash(mia, 'settings', { mod_channel: emulator.seed.channels.modLog, daily_limit: 5 })),
    ).toContain('Settings saved');
    expect(privately(await slash(mia, 'mod block', { user: bob }))).toContain('can no longer make images');
    await sandbox!.stop();
    // The same store, reopened by a new process whose store misbehaves.
    await start(faults);
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
    await kie?.stop();
    await emulator?.stop();
  });

  it('THEN a failed read of the block list refuses a blocked member ("try again"), never lets them through, and is not remembered', async () => {
    const { bob } = emulator.seed.users;
    const submitsBefore = kie.requests.filter((request) => request.kind === 'submit').length;
    faults.failNext('read', /^blocked:/);
    const first = await slash(bob, 'imagine', { prompt: 'a quiet harbour' });
    expect(first.ephemeral).toBe(true);
    expect(privately(first)).toBe(STORE_UNAVAILABLE_MESSAGE);
    const second = await slash(bob, 'imagine', { prompt: 'a quiet harbour' });
    expect(privately(second)).toMatch(/blocked from making images/);
    expect(kie.requests.filter((request) => request.kind === 'submit').length).toBe(submitsBefore);
    expect(faults.failed).toContain(`read blocked:${emulator.seed.guildId}`);
  });

  it(
    'THEN failed reads and writes of settings and lists keep every earlier decision',
    { timeout: 60_000 },
    async () => {
      const { mia, alice } = emulator.seed.users;
      // A new process: nothing is cached, so the first reads of settings and lists reach the store.
      await sandbox!.stop();
      await start(faults);
      faults.failNext('read', /^guild:/);
      expect(privately(await slash(mia, 'mod block', { user: alice }))).toBe(STORE_UNAVAILABLE_MESSAGE);
      faults.failNext('write', /^guild:/);
      expect(privately(await slash(mia, 'settings', { daily_limit: 7 }))).toBe(STORE_UNAVAILABLE_MESSAGE);
      // The failed write is not taken for the truth: the allowance is still the stored one.
      expect(privately(await slash(mia, 'settings'))).toContain('**Daily limit:** 5');
      faults.failNext('read', /^blocked:/);
      expect(privately(await slash(mia, 'mod block', { user: alice }))).toBe(STORE_UNAVAILABLE_MESSAGE);
      expect(privately(await slash(mia, 'mod block', { user: alice }))).toContain('can no longer make images');

      // What a new process would read: both blocks, the moderation channel, the allowance.
      const keyv = await openKeyv(`sqlite://${path}`, logger);
      try {
        const stores = createStores(keyv, logger);
        expect(new Set(await stores.moderation.blockedUsers(emulator.seed.guildId))).toEqual(
          new Set([emulator.seed.users.bob, alice]),
        );
        expect(await stores.guilds.get(emulator.seed.guildId)).toMatchObject({
          modChannelId: emulator.seed.channels.modLog,
          dailyLimit: 5,
        });
      } finally {
        await keyv.disconnect();
      }
    },
  );

  it('THEN job steps whose reads and writes fail are retried: the job finishes, is submitted once, and nothing is left open', async () => {
    const { owner } = emulator.seed.users;
    const submitsBefore = kie.requests.filter((request) => request.kind === 'submit').length;
    const command = await slash(owner, 'imagine', { prompt: 'a lighthouse in fog' });
    expect(command.ephemeral).toBe(false);
    // The step's first read, its write of the task id, and a status read all fail once.
    faults.failNext('read', /^job:/);
    faults.failNext('write', /^job:/);
    faults.failNext('read', /^job:/);
    const result = await emulator.waitForMessage(
      command.channelId,
      (message) => message.id === command.originalMessageId && finished(message),
      { timeoutMs: 30_000 },
    );
    expect(result.attachments).toHaveLength(1);
    expect(kie.requests.filter((request) => request.kind === 'submit').length).toBe(submitsBefore + 1);
    expect(faults.failed.filter((call) => call.includes('job:')).length).toBeGreaterThanOrEqual(2);
    await expect
      .poll(async () => (await sandbox!.bot!.context.stores.jobs.openIn(emulator.seed.guildId)).length, {
        timeout: 10_000,
      })
      .toBe(0);
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
  }, 60_000);

  it('THEN a store that holds a job write for 2.5 s still lets the command be answered in time, by a placeholder its message replaces', async () => {
    const { owner } = emulator.seed.users;
    faults.delayNext('write', /^job:/, 2_500);
    const command = await slash(owner, 'imagine', { prompt: 'a slow harbour' });
    expect(command.failed).toBe(false);
    expect(command.callbackType).toBe(5);
    const result = await emulator.waitForMessage(
      command.channelId,
      (message) => message.id === command.originalMessageId && finished(message),
      { timeoutMs: 30_000 },
    );
    expect(result.attachments).toHaveLength(1);
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
  }, 60_000);

  // The button reads its job before anything else, so no handler's own placeholder can start in
  // time: the router's net answers privately, and the upscale's message is then posted publicly.
  it('THEN a store that holds the read of a button’s job for 4 s still lets U1 be answered in time, and the upscale is posted in the channel', async () => {
    const { owner } = emulator.seed.users;
    const command = await slash(owner, 'imagine', { prompt: 'a held lighthouse' });
    const grid = await emulator.waitForMessage(
      command.channelId,
      (message) => message.id === command.originalMessageId && finished(message),
      { timeoutMs: 30_000 },
    );
    const u1 = grid.components
      .flatMap((row) => (row as { components: { label?: string; custom_id?: string }[] }).components)
      .find((button) => button.label === 'U1');
    faults.delayNext('read', /^job:/, 4_000);
    const click = await emulator.clickButton(
      { userId: owner, messageId: grid.id, customId: u1!.custom_id! },
      { wait: 'ack' },
    );
    expect(click.failed).toBe(false);
    expect(click.acknowledgedAt! - click.dispatchedAt).toBeLessThan(3_000);
    const upscale = await emulator.waitForMessage(
      command.channelId,
      (message) =>
        /Image #1/.test(message.content) && message.content.includes('a held lighthouse') && finished(message),
      { timeoutMs: 30_000 },
    );
    expect(upscale.attachments).toHaveLength(1);
    expect(upscale.flags ?? 0).toBe(0);
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
  }, 60_000);
});
