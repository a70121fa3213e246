import type { Client, TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import { connectClient, expectConformingAnswers, expectDiscordError } from './support/discord-client.js';

/**
 * Who a message notifies, as Discord decides it: the users its content mentions, kept by
 * `allowed_mentions`, when it is sent. An edit that adds a mention notifies no one.
 */
describe('Discord mentions and notifications', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  let channel: TextChannel;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    client = await connectClient(emulator);
    channel = client.channels.cache.get(emulator.seed.channels.imagine) as TextChannel;
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  const notified = (id: string) => emulator.message(id)?.notified;

  it('notifies a mentioned user on send, and lists them in mentions', async () => {
    const { alice } = emulator.seed.users;
    const sent = await channel.send({ content: `done <@${alice}>`, allowedMentions: { users: [alice] } });
    expect(sent.mentions.users.map((user) => user.id)).toEqual([alice]);
    expect(notified(sent.id)).toEqual([alice]);
  });

  it('notifies no one a mention allowed_mentions leaves out, or a message sent with SUPPRESS_NOTIFICATIONS', async () => {
    const { alice, bob } = emulator.seed.users;
    const quiet = await channel.send({ content: `<@${alice}> <@${bob}>`, allowedMentions: { users: [bob] } });
    expect(notified(quiet.id)).toEqual([bob]);
    const none = await channel.send({ content: `<@${alice}>`, allowedMentions: { parse: [] } });
    expect(notified(none.id)).toEqual([]);
    const suppressed = await channel.send({ content: `<@${alice}>`, flags: 1 << 12 });
    expect(notified(suppressed.id)).toEqual([]);
  });

  it('never notifies on an edit, even one that adds a mention', async () => {
    const { alice } = emulator.seed.users;
    const sent = await channel.send({ content: 'working…', allowedMentions: { parse: [] } });
    const edited = await sent.edit({ content: `finished <@${alice}>`, allowedMentions: { users: [alice] } });
    expect(edited.mentions.users.map((user) => user.id)).toEqual([alice]);
    expect(notified(sent.id)).toEqual([]);
  });

  it('refuses parse:["users"] together with a users list, as Discord does', async () => {
    const { alice } = emulator.seed.users;
    await expectDiscordError(
      channel.send({ content: `<@${alice}>`, allowedMentions: { parse: ['users'], users: [alice] } }),
      { status: 400, code: 50035, path: 'allowed_mentions.parse' },
    );
  });
});
