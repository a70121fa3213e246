import { type Client, Events } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, DiscordEmulator, type InteractionRecord } from '../../../src/sandbox/discord/index.js';
import { connectClient, expectConformingAnswers } from './support/discord-client.js';

/**
 * Real time, with timers that fire 20 ms before their time, as Node's do on a busy event loop:
 * they are scheduled against the loop's cached time, which lags behind `Date.now()`.
 */
class EarlyTimerClock implements Clock {
  now(): number {
    return Date.now();
  }

  at(at: number, callback: () => void): () => void {
    const timer = setTimeout(callback, Math.max(0, at - Date.now() - 20));
    return () => clearTimeout(timer);
  }
}

/** `?wait=ack` on the control API resolves once the interaction is acknowledged or failed. */
describe('control API ?wait=ack', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ clock: new EarlyTimerClock(), limits: { initialResponseMs: 300 } });
    client = await connectClient(emulator);
    await client.application.commands.set(
      [
        { name: 'post', description: 'Posts a button nobody answers' },
        { name: 'silent', description: 'Never answered' },
      ],
      emulator.seed.guildId,
    );
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand() && interaction.commandName === 'post') {
        await interaction.reply({
          content: 'press',
          components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Press', custom_id: 'press' }] }],
        });
      }
    });
  });

  afterAll(async () => {
    expectConformingAnswers(emulator);
    await client.destroy();
    await emulator.stop();
  });

  async function call(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: { interaction?: InteractionRecord; error?: { code: string } } }> {
    const response = await fetch(`${emulator.controlUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { interaction?: InteractionRecord; error?: { code: string } },
    };
  }

  it('GIVEN a command nobody answers and a deadline timer that fires early THEN wait=ack answers 200 with the failed interaction', async () => {
    const started = Date.now();
    const { status, body } = await call('/interactions/command?wait=ack&timeout_ms=5000', {
      userId: emulator.seed.users.alice,
      channelId: emulator.seed.channels.imagine,
      name: 'silent',
    });
    expect(status).toBe(200);
    expect(body.interaction).toMatchObject({ state: 'failed', failed: true, failureReason: 'This interaction failed' });
    // At the deadline, not at the wait's own timeout.
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('GIVEN a button nobody answers THEN wait=ack answers 200 with the failed interaction too', async () => {
    const posted = await call('/interactions/command?wait=ack', {
      userId: emulator.seed.users.alice,
      channelId: emulator.seed.channels.imagine,
      name: 'post',
    });
    expect(posted.body.interaction?.state).toBe('acknowledged');
    const messageId = posted.body.interaction?.originalMessageId ?? '';
    const { status, body } = await call('/interactions/button?wait=ack&timeout_ms=5000', {
      userId: emulator.seed.users.bob,
      messageId,
      customId: 'press',
    });
    expect(status).toBe(200);
    expect(body.interaction).toMatchObject({ kind: 'component', state: 'failed' });
  });

  it('GIVEN a wait shorter than the deadline THEN 504 wait_timeout, not 500', async () => {
    const { status, body } = await call('/interactions/command?wait=ack&timeout_ms=50', {
      userId: emulator.seed.users.alice,
      channelId: emulator.seed.channels.imagine,
      name: 'silent',
    });
    expect(status).toBe(504);
    expect(body.error?.code).toBe('wait_timeout');
  });
});
