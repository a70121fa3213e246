import {
  type ApplicationCommandDataResolvable,
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
  type Client,
  MessageFlags,
  TextInputStyle,
  type ButtonInteraction,
  type ModalSubmitInteraction,
  type AutocompleteInteraction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import {
  connectClient,
  dispatchAndReceive,
  expectConformingAnswers,
  nextInteraction,
} from './support/discord-client.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000030806000000', 'hex');

const COMMANDS: ApplicationCommandDataResolvable[] = [
  {
    name: 'imagine',
    description: 'Make a picture',
    options: [
      { name: 'prompt', description: 'What to draw', type: ApplicationCommandOptionType.String, required: true },
      {
        name: 'count',
        description: 'How many',
        type: ApplicationCommandOptionType.Integer,
        min_value: 1,
        max_value: 4,
      },
      { name: 'for', description: 'Who for', type: ApplicationCommandOptionType.User },
      { name: 'style', description: 'Style', type: ApplicationCommandOptionType.String, autocomplete: true },
    ],
  },
  {
    name: 'describe',
    description: 'Describe an image',
    options: [
      { name: 'image', description: 'The image', type: ApplicationCommandOptionType.Attachment, required: true },
    ],
  },
  { name: 'form', description: 'Open a form' },
  {
    name: 'config',
    description: 'Settings',
    options: [
      {
        name: 'set',
        description: 'Set a value',
        type: ApplicationCommandOptionType.Subcommand,
        options: [{ name: 'value', description: 'v', type: ApplicationCommandOptionType.String, required: true }],
      },
    ],
  },
];

describe('an unmodified discord.js client against the emulator', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    client = await connectClient(emulator);
    await client.application.commands.set([{ name: 'ping', description: 'Global ping' }]);
    await client.application.commands.set(COMMANDS, emulator.seed.guildId);
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  const user = () => emulator.seed.users.alice;
  const imagineChannel = () => emulator.seed.channels.imagine;

  it('reaches ready with the seeded guild available and its channels cached', () => {
    const guild = client.guilds.cache.get(emulator.seed.guildId);
    expect(guild?.name).toBe('Playground');
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.map((channel) => channel.name).sort()).toEqual(['imagine', 'mod-log']);
    expect(guild?.members.cache.has(emulator.seed.users.mia)).toBe(true);
    expect(client.user.id).toBe(emulator.botUserId);
    expect(client.application.id).toBe(emulator.applicationId);
  });

  it('registers global and guild commands, and a second overwrite keeps the ids', async () => {
    const global = emulator.commands().filter((command) => command.guild_id === undefined);
    expect(global.map((command) => command.name)).toEqual(['ping']);
    const before = await client.application.commands.fetch({ guildId: emulator.seed.guildId });
    expect([...before.values()].map((command) => command.name).sort()).toEqual([
      'config',
      'describe',
      'form',
      'imagine',
    ]);
    const after = await client.application.commands.set(COMMANDS, emulator.seed.guildId);
    expect(after.find((command) => command.name === 'imagine')?.id).toBe(
      before.find((command) => command.name === 'imagine')?.id,
    );
  });

  it('delivers a slash command with typed options and records the reply like Discord', async () => {
    const { record, interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: user(),
        channelId: imagineChannel(),
        name: 'imagine',
        options: { prompt: 'a red fox', count: 2, for: emulator.seed.users.bob },
      }),
    );
    const command = interaction as ChatInputCommandInteraction;
    expect(command.commandName).toBe('imagine');
    expect(command.options.getString('prompt')).toBe('a red fox');
    expect(command.options.getInteger('count')).toBe(2);
    expect(command.options.getUser('for')?.username).toBe('bob');
    expect(command.user.username).toBe('alice');
    expect(command.channel?.id).toBe(imagineChannel());
    await command.reply({ content: `Drawing ${command.options.getString('prompt') ?? ''}` });
    const message = await emulator.waitForMessage(
      imagineChannel(),
      (candidate) => candidate.content === 'Drawing a red fox',
    );
    expect(message.author.id).toBe(emulator.botUserId);
    expect(message.webhook_id).toBe(emulator.applicationId);
    expect(message.application_id).toBe(emulator.applicationId);
    expect(message.interaction_metadata).toMatchObject({ id: record.id, user: { id: user() }, name: 'imagine' });
    expect(emulator.interaction(record.id)).toMatchObject({
      state: 'acknowledged',
      callbackType: 4,
      originalMessageId: message.id,
      failed: false,
    });
  });

  it('runs subcommands by their full name', async () => {
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: user(),
        channelId: imagineChannel(),
        name: 'config set',
        options: { value: 'x' },
      }),
    );
    const command = interaction as ChatInputCommandInteraction;
    expect(command.options.getSubcommand()).toBe('set');
    expect(command.options.getString('value')).toBe('x');
    await command.reply({ content: 'saved', flags: MessageFlags.Ephemeral });
  });

  it('hands the bot an attachment option it can download from the emulator', async () => {
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: user(),
        channelId: imagineChannel(),
        name: 'describe',
        attachment: { filename: 'fox.png', bytes: PNG },
      }),
    );
    const attachment = (interaction as ChatInputCommandInteraction).options.getAttachment('image', true);
    expect(attachment.name).toBe('fox.png');
    expect(attachment.contentType).toBe('image/png');
    expect(attachment.width).toBe(2);
    expect(attachment.height).toBe(3);
    const download = await fetch(attachment.url);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
    await (interaction as ChatInputCommandInteraction).reply({ content: `${attachment.size} bytes` });
  });

  it('shows a deferred ephemeral reply as "thinking" to its user only, then fills it', async () => {
    const { record, interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: user(),
        channelId: imagineChannel(),
        name: 'imagine',
        options: { prompt: 'slow' },
      }),
    );
    const command = interaction as ChatInputCommandInteraction;
    await command.deferReply({ flags: MessageFlags.Ephemeral });
    const thinking = emulator.message(emulator.interaction(record.id)?.originalMessageId ?? '');
    expect(thinking?.flags).toBe(MessageFlags.Loading | MessageFlags.Ephemeral);
    expect(thinking?.visible_to).toBe(user());
    expect(emulator.messages(imagineChannel()).some((message) => message.id === thinking?.id)).toBe(false);
    expect(
      emulator
        .messages(imagineChannel(), { as: emulator.seed.users.bob })
        .some((message) => message.id === thinking?.id),
    ).toBe(false);
    await command.editReply({ content: 'done' });
    const filled = emulator.messages(imagineChannel(), { as: user() }).find((message) => message.id === thinking?.id);
    expect(filled).toMatchObject({ content: 'done', flags: MessageFlags.Ephemeral, edited_timestamp: null });
    const fetched = await command.fetchReply();
    expect(fetched.content).toBe('done');
  });

  it('follows up with a file whose bytes the emulator serves back', async () => {
    const { record, interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: user(),
        channelId: imagineChannel(),
        name: 'imagine',
        options: { prompt: 'files' },
      }),
    );
    const command = interaction as ChatInputCommandInteraction;
    await command.reply({ content: 'here it comes' });
    const followUp = await command.followUp({ content: 'result', files: [{ attachment: PNG, name: 'result.png' }] });
    expect(followUp.attachments.first()?.name).toBe('result.png');
    const view = emulator.message(followUp.id);
    expect(view?.interaction_metadata?.original_response_message_id).toBe(
      emulator.interaction(record.id)?.originalMessageId,
    );
    const url = view?.attachments[0]?.url ?? '';
    expect(emulator.attachmentBytes(url)).toEqual(PNG);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(PNG);
    expect(emulator.interaction(record.id)?.responseMessageIds).toEqual([
      emulator.interaction(record.id)?.originalMessageId,
      followUp.id,
    ]);
  });

  it('answers with_response=true with the created message', async () => {
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: user(),
        channelId: imagineChannel(),
        name: 'imagine',
        options: { prompt: 'with response' },
      }),
    );
    const response = await (interaction as ChatInputCommandInteraction).reply({
      content: 'with response',
      withResponse: true,
    });
    expect(response.resource?.message?.content).toBe('with response');
    expect(response.interaction.responseMessageId).toBe(response.resource?.message?.id);
  });

  it('delivers a button click, and the bot updates the clicked message', async () => {
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: user(),
        channelId: imagineChannel(),
        name: 'imagine',
        options: { prompt: 'buttons' },
      }),
    );
    await (interaction as ChatInputCommandInteraction).reply({
      content: 'pick one',
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, label: 'Upscale', custom_id: 'upscale:1' },
            { type: 2, style: 2, label: 'Gone', custom_id: 'gone', disabled: true },
            { type: 2, style: 5, label: 'Docs', url: 'https://example.com' },
          ],
        },
      ],
    });
    const message = await emulator.waitForMessage(imagineChannel(), (candidate) => candidate.content === 'pick one');
    const click = await dispatchAndReceive(client, () =>
      emulator.clickButton({ userId: emulator.seed.users.bob, messageId: message.id, customId: 'upscale:1' }),
    );
    const button = click.interaction as ButtonInteraction;
    expect(button.customId).toBe('upscale:1');
    expect(button.user.username).toBe('bob');
    expect(button.message.id).toBe(message.id);
    await button.update({ content: 'upscaling', components: [] });
    expect(emulator.message(message.id)).toMatchObject({ content: 'upscaling', components: [] });
    expect(emulator.message(message.id)?.edited_timestamp).not.toBeNull();
    expect(emulator.interaction(click.record.id)?.originalMessageId).toBe(message.id);
  });

  it('refuses to click a disabled button or one the message does not have', async () => {
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: user(),
        channelId: imagineChannel(),
        name: 'imagine',
        options: { prompt: 'disabled' },
      }),
    );
    await (interaction as ChatInputCommandInteraction).reply({
      content: 'disabled one',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'No', custom_id: 'no', disabled: true }] }],
    });
    const message = await emulator.waitForMessage(
      imagineChannel(),
      (candidate) => candidate.content === 'disabled one',
    );
    await expect(emulator.clickButton({ userId: user(), messageId: message.id, customId: 'no' })).rejects.toMatchObject(
      { status: 400, code: 'component_disabled' },
    );
    await expect(
      emulator.clickButton({ userId: user(), messageId: message.id, customId: 'missing' }),
    ).rejects.toMatchObject({ status: 400, code: 'unknown_component' });
    expect(emulator.interactions().filter((record) => record.messageId === message.id)).toEqual([]);
  });

  it('shows a modal and delivers its submission', async () => {
    const { record, interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({ userId: user(), channelId: imagineChannel(), name: 'form' }),
    );
    await (interaction as ChatInputCommandInteraction).showModal({
      custom_id: 'modal:report',
      title: 'Report',
      components: [
        {
          type: 1,
          components: [
            { type: 4, custom_id: 'reason', label: 'Reason', style: TextInputStyle.Paragraph, required: true },
          ],
        },
      ],
    });
    expect(emulator.interaction(record.id)?.modal?.custom_id).toBe('modal:report');
    await expect(emulator.submitModal({ userId: user(), interactionId: record.id, values: {} })).rejects.toThrow(
      /required/,
    );
    await expect(
      emulator.submitModal({ userId: emulator.seed.users.bob, interactionId: record.id, values: { reason: 'x' } }),
    ).rejects.toMatchObject({ code: 'not_your_modal' });
    const submitted = await dispatchAndReceive(client, () =>
      emulator.submitModal({ userId: user(), interactionId: record.id, values: { reason: 'spam' } }),
    );
    const modal = submitted.interaction as ModalSubmitInteraction;
    expect(modal.customId).toBe('modal:report');
    expect(modal.fields.getTextInputValue('reason')).toBe('spam');
    await modal.reply({ content: 'thanks', flags: MessageFlags.Ephemeral });
    expect(emulator.interaction(record.id)?.modalSubmittedBy).toBe(submitted.record.id);
    expect(emulator.messages(imagineChannel(), { as: user() }).at(-1)).toMatchObject({
      content: 'thanks',
      visible_to: user(),
    });
  });

  it('returns the choices the bot answers to an autocomplete', async () => {
    const answer = (async () => {
      const interaction = (await nextInteraction(client)) as AutocompleteInteraction;
      expect(interaction.options.getFocused()).toBe('wat');
      await interaction.respond([{ name: 'Watercolor', value: 'watercolor' }]);
    })();
    const result = await emulator.autocomplete({
      userId: user(),
      channelId: imagineChannel(),
      name: 'imagine',
      options: { style: 'wat' },
      focused: 'style',
    });
    await answer;
    expect(result.choices).toEqual([{ name: 'Watercolor', value: 'watercolor' }]);
    expect(result.interaction.callbackType).toBe(8);
  });

  it('creates and edits channel messages with attachments, keeping the ones the edit lists', async () => {
    const channel = client.channels.cache.get(imagineChannel()) as TextChannel;
    const sent = await channel.send({
      content: 'with files',
      files: [
        { attachment: PNG, name: 'one.png' },
        { attachment: Buffer.from('two'), name: 'two.txt' },
      ],
    });
    expect(sent.attachments.map((attachment) => attachment.name)).toEqual(['one.png', 'two.txt']);
    const kept = sent.attachments.first();
    const edited = await sent.edit({
      content: 'edited',
      attachments: kept ? [kept] : [],
      files: [{ attachment: Buffer.from('three'), name: 'three.txt' }],
    });
    expect(edited.attachments.map((attachment) => attachment.name)).toEqual(['one.png', 'three.txt']);
    const view = emulator.message(sent.id);
    expect(view?.content).toBe('edited');
    expect(emulator.attachmentBytes(view?.attachments[0]?.url ?? '')).toEqual(PNG);
    expect(emulator.attachmentBytes(view?.attachments[1]?.url ?? '')?.toString()).toBe('three');
    const fetched = await channel.messages.fetch({ limit: 5 });
    expect(fetched.first()?.id).toBe(sent.id);
    await sent.delete();
    expect(emulator.message(sent.id)).toBeUndefined();
  });
});
