import {
  type ChatInputCommandInteraction,
  type Client,
  PermissionFlagsBits,
  Routes,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import {
  ALL_PERMISSIONS,
  basePermissions,
  channelPermissions,
  Permission,
  type PermissionSubject,
} from '../../../src/sandbox/discord/permissions.js';
import {
  connectClient,
  dispatchAndReceive,
  expectConformingAnswers,
  expectDiscordError,
} from './support/discord-client.js';

describe('permission computation (Discord’s hierarchy)', () => {
  const everyone = Permission.ViewChannel | Permission.SendMessages | Permission.AttachFiles;
  const subject = (roles: PermissionSubject['roles'], userId = 'u'): PermissionSubject => ({
    guildId: 'g',
    ownerId: 'owner',
    userId,
    everyone,
    roles,
  });

  it('GIVEN the owner or an administrator THEN every permission', () => {
    expect(basePermissions(subject([], 'owner'))).toBe(ALL_PERMISSIONS);
    expect(
      channelPermissions(subject([{ id: 'admin', permissions: Permission.Administrator }]), [
        { id: 'g', type: 0, allow: 0n, deny: everyone },
      ]),
    ).toBe(ALL_PERMISSIONS);
  });

  it('GIVEN roles THEN their permissions add to @everyone', () => {
    expect(basePermissions(subject([{ id: 'mod', permissions: Permission.ManageMessages }]))).toBe(
      everyone | Permission.ManageMessages,
    );
  });

  it('GIVEN @everyone denied View Channel THEN nothing, unless a role or member overwrite allows it', () => {
    const hidden = [{ id: 'g', type: 0 as const, allow: 0n, deny: Permission.ViewChannel }];
    expect(channelPermissions(subject([]), hidden)).toBe(0n);
    expect(
      channelPermissions(subject([{ id: 'mod', permissions: 0n }]), [
        ...hidden,
        { id: 'mod', type: 0, allow: Permission.ViewChannel, deny: 0n },
      ]),
    ).toBe(everyone);
    expect(
      channelPermissions(subject([]), [...hidden, { id: 'u', type: 1, allow: Permission.ViewChannel, deny: 0n }]),
    ).toBe(everyone);
  });

  it('GIVEN one role denies and another allows THEN allow wins; a member overwrite beats both', () => {
    const roles = [
      { id: 'a', permissions: 0n },
      { id: 'b', permissions: 0n },
    ];
    const overwrites = [
      { id: 'a', type: 0 as const, allow: 0n, deny: Permission.SendMessages },
      { id: 'b', type: 0 as const, allow: Permission.SendMessages, deny: 0n },
    ];
    expect(channelPermissions(subject(roles), overwrites) & Permission.SendMessages).toBe(Permission.SendMessages);
    const memberDeny = [...overwrites, { id: 'u', type: 1 as const, allow: 0n, deny: Permission.SendMessages }];
    expect(channelPermissions(subject(roles), memberDeny) & Permission.SendMessages).toBe(0n);
  });

  it('GIVEN no Send Messages THEN Attach Files is implicitly denied too', () => {
    const muted = [{ id: 'g', type: 0 as const, allow: 0n, deny: Permission.SendMessages }];
    expect(channelPermissions(subject([]), muted)).toBe(Permission.ViewChannel);
  });
});

describe('permissions enforced on the bot and on users', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    client = await connectClient(emulator);
    await client.application.commands.set(
      [
        { name: 'go', description: 'Go' },
        {
          name: 'settings',
          description: 'Server settings',
          default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
        },
      ],
      emulator.seed.guildId,
    );
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  it('lets the bot post in #mod-log, which @everyone cannot read, and hides it from plain members', async () => {
    const modLog = client.channels.cache.get(emulator.seed.channels.modLog) as TextChannel;
    await modLog.send({ content: 'bob was warned' });
    expect(
      emulator
        .messages(emulator.seed.channels.modLog, { as: emulator.seed.users.mia })
        .map((message) => message.content),
    ).toEqual(['bob was warned']);
    expect(() => emulator.messages(emulator.seed.channels.modLog, { as: emulator.seed.users.alice })).toThrow(
      /cannot see/,
    );
  });

  it('answers 50013 where the bot may view but not send, and 50001 where it cannot view', async () => {
    const { guildId, roles } = emulator.seed;
    const readOnly = emulator.createChannel(guildId, {
      name: 'announcements',
      overwrites: [{ id: roles.bot, type: 'role', deny: ['SendMessages'] }],
    });
    const hidden = emulator.createChannel(guildId, {
      name: 'staff',
      overwrites: [{ id: guildId, type: 'role', deny: ['ViewChannel'] }],
    });
    const noFiles = emulator.createChannel(guildId, {
      name: 'text-only',
      overwrites: [{ id: roles.bot, type: 'role', deny: ['AttachFiles'] }],
    });
    await expectDiscordError(client.rest.post(Routes.channelMessages(readOnly.id), { body: { content: 'hi' } }), {
      status: 403,
      code: 50013,
    });
    await expectDiscordError(
      client.rest.patch(Routes.channelMessage(readOnly.id, '1234567890123456789'), { body: { content: 'hi' } }),
      { status: 403, code: 50013 },
    );
    await expectDiscordError(client.rest.post(Routes.channelMessages(hidden.id), { body: { content: 'hi' } }), {
      status: 403,
      code: 50001,
    });
    await expectDiscordError(client.rest.get(Routes.channelMessages(hidden.id)), { status: 403, code: 50001 });
    const textOnly = await client.channels.fetch(noFiles.id);
    await expectDiscordError(
      (textOnly as TextChannel).send({ files: [{ attachment: Buffer.from('x'), name: 'x.txt' }] }),
      { status: 403, code: 50013 },
    );
    await (textOnly as TextChannel).send({ content: 'text is fine' });
  });

  it('refuses edits of another author’s message (50005) and its deletion without Manage Messages (50013)', async () => {
    const imagine = client.channels.cache.get(emulator.seed.channels.imagine) as TextChannel;
    const written = emulator.postMessage({
      userId: emulator.seed.users.alice,
      channelId: imagine.id,
      content: 'hello bot',
    });
    const fetched = await imagine.messages.fetch(written.id);
    expect(fetched.author.username).toBe('alice');
    await expectDiscordError(fetched.edit({ content: 'hacked' }), { status: 403, code: 50005 });
    await expectDiscordError(fetched.delete(), { status: 403, code: 50013 });
    expect(emulator.message(written.id)?.content).toBe('hello bot');
  });

  it('offers a command with default_member_permissions only to members who hold them', async () => {
    const { users, channels } = emulator.seed;
    await expect(
      emulator.slashCommand({ userId: users.alice, channelId: channels.imagine, name: 'settings' }),
    ).rejects.toMatchObject({ status: 403, code: 'missing_permissions' });
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({ userId: users.mia, channelId: channels.imagine, name: 'settings' }),
    );
    const command = interaction as ChatInputCommandInteraction;
    expect(command.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(command.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(true);
    expect(command.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    await command.reply({ content: 'settings' });
  });

  it('creates members with Manage Server or Manage Messages on request', async () => {
    const manager = emulator.createUser({ username: 'manager', manageGuild: true });
    const plain = emulator.createUser({ username: 'plain' });
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({ userId: manager.id, channelId: emulator.seed.channels.imagine, name: 'settings' }),
    );
    expect((interaction as ChatInputCommandInteraction).memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(
      true,
    );
    expect(
      (interaction as ChatInputCommandInteraction).memberPermissions?.has(PermissionFlagsBits.ManageMessages),
    ).toBe(false);
    await (interaction as ChatInputCommandInteraction).reply({ content: 'ok' });
    const plainRun = await dispatchAndReceive(client, () =>
      emulator.slashCommand({ userId: plain.id, channelId: emulator.seed.channels.imagine, name: 'go' }),
    );
    expect(
      (plainRun.interaction as ChatInputCommandInteraction).memberPermissions?.has(PermissionFlagsBits.ManageGuild),
    ).toBe(false);
    await (plainRun.interaction as ChatInputCommandInteraction).reply({ content: 'ok' });
    // The GUILD_MEMBER_ADD / GUILD_ROLE_CREATE dispatches kept the client's role cache complete.
    const role = client.guilds.cache
      .get(emulator.seed.guildId)
      ?.roles.cache.find((candidate) => candidate.name === 'Manage Server');
    expect(role?.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
  });
});
