import { type ChatInputCommandInteraction, type Client, Routes, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import {
  connectClient,
  dispatchAndReceive,
  expectConformingAnswers,
  expectDiscordError,
} from './support/discord-client.js';

const button = (customId: string, label = 'Go') => ({ type: 2, style: 1, label, custom_id: customId });
const row = (...components: unknown[]) => ({ type: 1, components });

/**
 * Every Discord payload limit, broken through the real client: the rejection must carry Discord's
 * status, code and error path, since that is what a bot's error handling sees.
 */
describe('Discord message limits', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  let channel: TextChannel;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({
      limits: { attachmentBytesPerFile: 1024, attachmentBytesPerRequest: 1536 },
    });
    client = await connectClient(emulator);
    await client.application.commands.set([{ name: 'go', description: 'Go' }], emulator.seed.guildId);
    channel = client.channels.cache.get(emulator.seed.channels.imagine) as TextChannel;
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  /** A fresh slash command the bot has not answered yet. */
  async function freshCommand(): Promise<ChatInputCommandInteraction> {
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        name: 'go',
      }),
    );
    return interaction as ChatInputCommandInteraction;
  }

  it('rejects content over 2000 characters, at data.content for a reply and at content for a channel message', async () => {
    const command = await freshCommand();
    const error = await expectDiscordError(command.reply({ content: 'x'.repeat(2001) }), {
      status: 400,
      code: 50035,
      path: 'data.content',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    expect(error.message).toContain('data.content[BASE_TYPE_MAX_LENGTH]');
    await expectDiscordError(channel.send({ content: 'x'.repeat(2001) }), {
      status: 400,
      code: 50035,
      path: 'content',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    // The failed reply did not acknowledge the interaction: the bot can still answer.
    await command.reply({ content: 'x'.repeat(2000) });
  });

  it('rejects more than 10 embeds, a field over its limit, and more than 6000 characters of embed text', async () => {
    const command = await freshCommand();
    const embeds = Array.from({ length: 11 }, (_, index) => ({ title: `embed ${index}` }));
    await expectDiscordError(command.reply({ embeds }), {
      status: 400,
      code: 50035,
      path: 'data.embeds',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    await expectDiscordError(command.reply({ embeds: [{ title: 't'.repeat(257) }] }), {
      status: 400,
      code: 50035,
      path: 'data.embeds.0.title',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    const big = Array.from({ length: 2 }, () => ({ description: 'd'.repeat(3500) }));
    await expectDiscordError(command.reply({ embeds: big }), {
      status: 400,
      code: 50035,
      path: 'data.embeds',
      errorCode: 'MAX_EMBED_SIZE_EXCEEDED',
    });
    await command.reply({ embeds: [{ description: 'd'.repeat(4096) }] });
  });

  it('rejects 6 action rows and 6 buttons in a row', async () => {
    const command = await freshCommand();
    const rows = Array.from({ length: 6 }, (_, index) => row(button(`b${index}`)));
    await expectDiscordError(command.reply({ content: 'rows', components: rows }), {
      status: 400,
      code: 50035,
      path: 'data.components',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    const buttons = Array.from({ length: 6 }, (_, index) => button(`b${index}`));
    await expectDiscordError(command.reply({ content: 'buttons', components: [row(...buttons)] as never }), {
      status: 400,
      code: 50035,
      path: 'data.components.0.components',
      errorCode: 'BASE_TYPE_MAX_LENGTH',
    });
    await command.reply({ content: 'five', components: [row(...buttons.slice(0, 5))] as never });
  });

  it('rejects a custom_id of 101 characters at its exact path', async () => {
    const command = await freshCommand();
    const error = await expectDiscordError(
      command.reply({ content: 'id', components: [row(button('c'.repeat(101)))] as never }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.0.components.0.custom_id',
        errorCode: 'BASE_TYPE_MAX_LENGTH',
      },
    );
    expect(error.message).toContain('data.components[0].components[0].custom_id[BASE_TYPE_MAX_LENGTH]');
    await command.reply({ content: 'id', components: [row(button('c'.repeat(100)))] as never });
  });

  it('rejects a duplicate custom_id, a label of 81 characters, and malformed buttons', async () => {
    const command = await freshCommand();
    await expectDiscordError(
      command.reply({ content: 'dup', components: [row(button('same'), button('same'))] as never }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.0.components.1.custom_id',
        errorCode: 'COMPONENT_CUSTOM_ID_DUPLICATED',
      },
    );
    await expectDiscordError(
      command.reply({ content: 'dup', components: [row(button('a')), row(button('a'))] as never }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.1.components.0.custom_id',
        errorCode: 'COMPONENT_CUSTOM_ID_DUPLICATED',
      },
    );
    await expectDiscordError(
      command.reply({ content: 'label', components: [row(button('l', 'l'.repeat(81)))] as never }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.0.components.0.label',
        errorCode: 'BASE_TYPE_MAX_LENGTH',
      },
    );
    await expectDiscordError(
      command.reply({ content: 'link', components: [row({ type: 2, style: 5, label: 'Docs' })] as never }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.0.components.0.url',
        errorCode: 'BASE_TYPE_REQUIRED',
      },
    );
    await expectDiscordError(
      command.reply({
        content: 'link',
        components: [row({ type: 2, style: 5, label: 'Docs', url: 'https://x.test', custom_id: 'x' })] as never,
      }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.0.components.0.custom_id',
      },
    );
    await expectDiscordError(
      command.reply({ content: 'plain', components: [row({ type: 2, style: 1, label: 'No id' })] as never }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.0.components.0.custom_id',
        errorCode: 'BASE_TYPE_REQUIRED',
      },
    );
    await expectDiscordError(
      command.reply({
        content: 'style',
        components: [row({ type: 2, style: 7, label: 'x', custom_id: 's' })] as never,
      }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.0.components.0.style',
      },
    );
    const select = { type: 3, custom_id: 'pick', options: [{ label: 'A', value: 'a' }] };
    await expectDiscordError(command.reply({ content: 'width', components: [row(select, button('b'))] as never }), {
      status: 400,
      code: 50035,
      path: 'data.components.0.components',
      errorCode: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
    });
    await command.reply({
      content: 'fine',
      components: [row(select), row({ ...button('e'), emoji: { name: '🦊' }, disabled: true })] as never,
    });
  });

  it('rejects an empty message with 50006', async () => {
    await expectDiscordError(channel.send({ content: '' }), { status: 400, code: 50006 });
    const command = await freshCommand();
    await expectDiscordError(command.reply({ content: '   ' }), { status: 400, code: 50006 });
    await command.reply({ content: 'not empty' });
  });

  it('rejects files over the per-file and per-request limits with 413 40005, and announces the limit', async () => {
    const command = await freshCommand();
    expect(command.attachmentSizeLimit).toBe(1024);
    await command.deferReply();
    await expectDiscordError(command.followUp({ files: [{ attachment: Buffer.alloc(1025), name: 'big.bin' }] }), {
      status: 413,
      code: 40005,
    });
    await expectDiscordError(channel.send({ files: [{ attachment: Buffer.alloc(1025), name: 'big.bin' }] }), {
      status: 413,
      code: 40005,
    });
    const twoFiles = [Buffer.alloc(800), Buffer.alloc(800)].map((attachment, index) => ({
      attachment,
      name: `part${index}.bin`,
    }));
    await expectDiscordError(channel.send({ files: twoFiles }), { status: 413, code: 40005 });
    const ok = await command.followUp({ files: [{ attachment: Buffer.alloc(1024), name: 'fits.bin' }] });
    expect(ok.attachments.first()?.size).toBe(1024);
  });

  it('rejects an attachments entry that names no uploaded file', async () => {
    const body = { content: 'pairing', attachments: [{ id: '3', filename: 'ghost.png' }] };
    await expectDiscordError(client.rest.post(Routes.channelMessages(channel.id), { body }), {
      status: 400,
      code: 50035,
      path: 'attachments.0.id',
    });
  });

  it('answers 10008 for an unknown message and 10003 for an unknown channel', async () => {
    await expectDiscordError(channel.messages.fetch('1234567890123456789'), { status: 404, code: 10008 });
    await expectDiscordError(
      client.rest.patch(Routes.channelMessage(channel.id, '1234567890123456789'), { body: { content: 'x' } }),
      { status: 404, code: 10008 },
    );
    await expectDiscordError(
      client.rest.post(Routes.channelMessages('1234567890123456789'), { body: { content: 'x' } }),
      { status: 404, code: 10003 },
    );
    await expectDiscordError(client.channels.fetch('1234567890123456789'), { status: 404, code: 10003 });
  });
});

describe('message nonces', () => {
  it('GIVEN enforce_nonce and a nonce used in the last minutes THEN the earlier message comes back and no second one is made; without it, both are made', async () => {
    const emulator = await DiscordEmulator.start();
    const client = await connectClient(emulator);
    try {
      const route = Routes.channelMessages(emulator.seed.channels.imagine);
      const first = (await client.rest.post(route, {
        body: { content: 'one', nonce: 'job12345', enforce_nonce: true },
      })) as { id: string };
      const again = (await client.rest.post(route, {
        body: { content: 'two', nonce: 'job12345', enforce_nonce: true },
      })) as { id: string; content: string };
      expect(again).toMatchObject({ id: first.id, content: 'one' });
      const loose = (await client.rest.post(route, { body: { content: 'three', nonce: 'job12345' } })) as {
        id: string;
      };
      expect(loose.id).not.toBe(first.id);
      expect(emulator.messages(emulator.seed.channels.imagine).map((message) => message.content)).toEqual([
        'one',
        'three',
      ]);
    } finally {
      await client.destroy();
      await emulator.stop();
    }
  });
});
