import {
  ApplicationCommandType,
  type Client,
  DiscordAPIError,
  MessageFlags,
  type MessageContextMenuCommandInteraction,
  type TextChannel,
} from 'discord.js';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import {
  connectClient,
  dispatchAndReceive,
  expectConformingAnswers,
  expectDiscordError,
} from './support/discord-client.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000030806000000', 'hex');

describe('DMs and message context-menu commands, with an unmodified discord.js client', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    client = await connectClient(emulator);
    await client.application.commands.set(
      [
        { name: 'imagine', description: 'Make a picture' },
        { name: 'Send to me', type: ApplicationCommandType.Message },
        { name: 'Show seed', type: ApplicationCommandType.Message, defaultMemberPermissions: ['ManageMessages'] },
      ],
      emulator.seed.guildId,
    );
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    expect(emulator.specReport().violations).toEqual([]);
    await emulator.stop();
  });

  it('GIVEN a message command in the bulk overwrite THEN it is stored as type 3 with no description, beside the slash command', () => {
    const registered = emulator.commands(emulator.seed.guildId);
    expect(registered.map((command) => [command.name, command.type, command.description])).toEqual([
      ['imagine', 1, 'Make a picture'],
      ['Send to me', 3, ''],
      ['Show seed', 3, ''],
    ]);
  });

  it('GIVEN a description on a message command THEN Discord refuses the overwrite', async () => {
    await expectDiscordError(
      client.rest.put(`/applications/${emulator.applicationId}/guilds/${emulator.seed.guildId}/commands`, {
        body: [{ name: 'Send to me', type: 3, description: 'not allowed' }],
      }),
      { status: 400, code: 50035, path: '0.description', errorCode: 'APPLICATION_COMMAND_DESCRIPTION_NOT_ALLOWED' },
    );
  });

  it('GIVEN Apps → "Send to me" on a message THEN the bot receives type 2, data.type 3, target_id and resolved.messages, and discord.js sees the target', async () => {
    const channel = client.channels.cache.get(emulator.seed.channels.imagine) as TextChannel;
    const target = await channel.send({ content: 'a red fox', files: [{ name: 'fox.png', attachment: PNG }] });
    const { record, interaction } = await dispatchAndReceive(client, () =>
      emulator.messageCommand({ userId: emulator.seed.users.alice, messageId: target.id, name: 'Send to me' }),
    );
    expect(record.type).toBe(2);
    expect(record.data).toMatchObject({ name: 'Send to me', type: 3, target_id: target.id });
    const resolved = (record.data.resolved as { messages: Record<string, { content: string }> }).messages;
    expect(Object.keys(resolved)).toEqual([target.id]);
    expect(resolved[target.id]?.content).toBe('a red fox');
    expect(interaction.isMessageContextMenuCommand()).toBe(true);
    const command = interaction as MessageContextMenuCommandInteraction;
    expect(command.commandName).toBe('Send to me');
    expect(command.targetMessage.id).toBe(target.id);
    expect(command.targetMessage.attachments.first()?.name).toBe('fox.png');
    await command.reply({ content: 'Sent.', flags: MessageFlags.Ephemeral });
    const answered = emulator.interaction(record.id)!;
    expect(answered.ephemeral).toBe(true);
    const reply = emulator.message(answered.originalMessageId!)!;
    expect(reply.type).toBe(23);
    expect(reply.interaction_metadata?.target_message_id).toBe(target.id);
  });

  it('GIVEN an unknown message command, or one the member lacks the permissions for THEN the client does not send it', async () => {
    const target = emulator.postMessage({
      userId: emulator.seed.users.bob,
      channelId: emulator.seed.channels.imagine,
      content: 'hi',
    });
    await expect(
      emulator.messageCommand({ userId: emulator.seed.users.alice, messageId: target.id, name: 'Nope' }),
    ).rejects.toThrow(/No message command "Nope"/);
    await expect(
      emulator.messageCommand({ userId: emulator.seed.users.alice, messageId: target.id, name: 'Show seed' }),
    ).rejects.toThrow(/lacks the permissions/);
    // A moderator has them.
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.messageCommand({ userId: emulator.seed.users.mia, messageId: target.id, name: 'Show seed' }),
    );
    expect((interaction as MessageContextMenuCommandInteraction).targetMessage.content).toBe('hi');
    await (interaction as MessageContextMenuCommandInteraction).reply({ content: 'ok', flags: MessageFlags.Ephemeral });
  });

  it('GIVEN user.send THEN a DM channel is made once and the message, file included, is in it', async () => {
    const alice = await client.users.fetch(emulator.seed.users.alice);
    const sent = await alice.send({ content: 'your image', files: [{ name: 'fox.png', attachment: PNG }] });
    expect(sent.channel.isDMBased()).toBe(true);
    expect(sent.guildId).toBeNull();
    await alice.send('and its seed');
    const dms = emulator.directMessages(emulator.seed.users.alice);
    expect(dms.map((message) => message.content)).toEqual(['your image', 'and its seed']);
    expect(dms[0]?.attachments.map((attachment) => attachment.filename)).toEqual(['fox.png']);
    expect(dms[0]?.guild_id).toBeUndefined();
    // The same channel both times.
    expect(new Set(dms.map((message) => message.channel_id)).size).toBe(1);
    const again = (await client.rest.post('/users/@me/channels', {
      body: { recipient_id: emulator.seed.users.alice },
    })) as { id: string; type: number; recipients: { id: string }[] };
    expect(again).toMatchObject({ id: dms[0]?.channel_id, type: 1, recipients: [{ id: emulator.seed.users.alice }] });
  });

  it('GIVEN a member who closed their DMs THEN the send fails with 50007, and opening them again lets it through', async () => {
    const bob = await client.users.fetch(emulator.seed.users.bob);
    emulator.setDirectMessages(emulator.seed.users.bob, false);
    const error = await expectDiscordError(bob.send('hello'), { status: 403, code: 50007 });
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error.message).toBe('Cannot send messages to this user');
    expect(emulator.directMessages(emulator.seed.users.bob)).toEqual([]);
    emulator.setDirectMessages(emulator.seed.users.bob, true);
    await bob.send('hello');
    expect(emulator.directMessages(emulator.seed.users.bob).map((message) => message.content)).toEqual(['hello']);
  });

  it('GIVEN another bot, or an unknown user THEN a DM is refused as Discord refuses it', async () => {
    const self = await client.rest.post('/users/@me/channels', { body: { recipient_id: emulator.botUserId } });
    await expectDiscordError(
      client.rest.post(`/channels/${(self as { id: string }).id}/messages`, { body: { content: 'me' } }),
      { status: 403, code: 50007 },
    );
    await expectDiscordError(client.rest.post('/users/@me/channels', { body: { recipient_id: '123' } }), {
      status: 404,
      code: 10013,
    });
  });

  it('GIVEN the control API THEN DMs can be closed and read, and a message command dispatched, over HTTP', async () => {
    const { lucia } = emulator.seed.users;
    const closed = await request(`${emulator.controlUrl}/users/${lucia}/direct-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ open: false }),
    });
    expect(await closed.body.json()).toEqual({ id: lucia, acceptsDirectMessages: false });
    const luciaUser = await client.users.fetch(lucia);
    await expectDiscordError(luciaUser.send('hola'), { status: 403, code: 50007 });
    emulator.setDirectMessages(lucia, true);
    await luciaUser.send('hola');
    const read = await request(`${emulator.controlUrl}/users/${lucia}/direct-messages`);
    expect(((await read.body.json()) as { content: string }[]).map((message) => message.content)).toEqual(['hola']);

    const target = emulator.postMessage({ userId: lucia, channelId: emulator.seed.channels.imagine, content: 'mira' });
    const received = new Promise<MessageContextMenuCommandInteraction>((resolve) =>
      client.once('interactionCreate', (interaction) => resolve(interaction as MessageContextMenuCommandInteraction)),
    );
    const dispatched = await request(`${emulator.controlUrl}/interactions/message-command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: lucia, messageId: target.id, name: 'Send to me' }),
    });
    expect(dispatched.statusCode).toBe(200);
    const interaction = await received;
    expect(interaction.targetId).toBe(target.id);
    await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
  });
});
