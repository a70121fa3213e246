import { type Client, Events, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DiscordEmulator,
  type InteractionRecord,
  ManualClock,
  type MessageView,
} from '../../../src/sandbox/discord/index.js';
import { connectClient, expectConformingAnswers } from './support/discord-client.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d494844520000000400000004080600000000', 'hex');

/** The control API over HTTP, as the playground page and other processes use it. */
describe('control API', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  const clock = new ManualClock();
  const downloaded: Buffer[] = [];

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ clock });
    client = await connectClient(emulator);
    await client.application.commands.set(
      [
        {
          name: 'imagine',
          description: 'Draw',
          options: [
            { name: 'prompt', description: 'p', type: 3, required: true },
            { name: 'style', description: 's', type: 3, autocomplete: true },
          ],
        },
        {
          name: 'describe',
          description: 'Describe',
          options: [{ name: 'image', description: 'i', type: 11, required: true }],
        },
        { name: 'report', description: 'Report' },
        { name: 'silent', description: 'Never answered' },
      ],
      emulator.seed.guildId,
    );
    // A small bot: enough behaviour to drive every control endpoint.
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isAutocomplete())
        await interaction.respond([{ name: `${interaction.options.getFocused()}!`, value: 'x' }]);
      else if (interaction.isChatInputCommand() && interaction.commandName === 'imagine') {
        await interaction.reply({
          content: `prompt: ${interaction.options.getString('prompt') ?? ''}`,
          components: [
            {
              type: 1,
              components: [
                { type: 2, style: 1, label: 'Again', custom_id: 'again' },
                { type: 2, style: 2, label: 'Off', custom_id: 'off', disabled: true },
              ],
            },
          ],
        });
        await interaction.followUp({ content: 'only for you', flags: MessageFlags.Ephemeral });
      } else if (interaction.isChatInputCommand() && interaction.commandName === 'describe') {
        const attachment = interaction.options.getAttachment('image', true);
        downloaded.push(Buffer.from(await (await fetch(attachment.url)).arrayBuffer()));
        await interaction.reply({ content: 'described', files: [{ attachment: PNG, name: 'copy.png' }] });
      } else if (interaction.isChatInputCommand() && interaction.commandName === 'report') {
        await interaction.showModal({
          custom_id: 'report',
          title: 'Report',
          components: [{ type: 1, components: [{ type: 4, custom_id: 'why', label: 'Why', style: 1 }] }],
        });
      } else if (interaction.isModalSubmit()) {
        await interaction.reply({ content: `reported: ${interaction.fields.getTextInputValue('why')}` });
      } else if (interaction.isButton()) {
        await interaction.update({ content: 'again!' });
      }
    });
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${emulator.controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    return { status: response.status, body: (await response.json()) as T };
  }

  it('describes itself: URLs, token, seeded ids, clock', async () => {
    const { body } = await call<{
      restUrl: string;
      token: string;
      seed: { guildId: string };
      clock: { manual: boolean };
    }>('GET', '/');
    expect(body).toMatchObject({
      restUrl: emulator.restUrl,
      token: emulator.token,
      seed: { guildId: emulator.seed.guildId },
      clock: { manual: true },
    });
    const state = await call<{ guilds: { name: string; channels: { name: string }[] }[] }>('GET', '/state');
    expect(state.body.guilds[0]?.channels.map((channel) => channel.name)).toEqual(['imagine', 'mod-log']);
  });

  it('creates members with or without Manage Server / Manage Messages and rejects invalid bodies', async () => {
    const created = await call<{ id: string; roleIds: string[] }>('POST', '/users', {
      username: 'carol',
      manageMessages: true,
    });
    expect(created.status).toBe(201);
    const state = await call<{ guilds: { roles: { id: string; name: string; permissions: string }[] }[] }>(
      'GET',
      '/state',
    );
    const roles = state.body.guilds[0]?.roles.filter((role) => created.body.roleIds.includes(role.id));
    expect(roles?.map((role) => role.name)).toEqual(['Manage Messages']);
    expect(BigInt(roles?.[0]?.permissions ?? '0') & (1n << 13n)).toBe(1n << 13n);
    const invalid = await call<{ error: { code: string } }>('POST', '/users', { username: '' });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'invalid_body' } } });
    const role = await call<{ id: string }>('POST', `/guilds/${emulator.seed.guildId}/roles`, {
      name: 'Artists',
      permissions: ['AttachFiles'],
    });
    const dave = await call<{ roleIds: string[] }>('POST', '/users', { username: 'dave', roleIds: [role.body.id] });
    expect(dave.body.roleIds).toEqual([role.body.id]);
  });

  it('runs a command, waits for the acknowledgement, and shows messages per viewer', async () => {
    const { users, channels } = emulator.seed;
    const { status, body } = await call<{ interaction: InteractionRecord }>('POST', '/interactions/command?wait=ack', {
      userId: users.alice,
      channelId: channels.imagine,
      name: 'imagine',
      options: { prompt: 'fox' },
    });
    expect(status).toBe(200);
    expect(body.interaction).toMatchObject({
      state: 'acknowledged',
      callbackType: 4,
      name: 'imagine',
      userId: users.alice,
    });
    const reply = await emulator.waitForMessage(channels.imagine, (message) => message.content === 'only for you', {
      as: users.alice,
    });
    const asAlice = await call<MessageView[]>('GET', `/channels/${channels.imagine}/messages?as=${users.alice}`);
    const asBob = await call<MessageView[]>('GET', `/channels/${channels.imagine}/messages?as=${users.bob}`);
    expect(asAlice.body.map((message) => message.id)).toContain(reply.id);
    expect(asBob.body.map((message) => message.id)).not.toContain(reply.id);
    expect(asBob.body.map((message) => message.content)).toContain('prompt: fox');
    const record = await call<InteractionRecord>('GET', `/interactions/${body.interaction.id}`);
    expect(record.body.responseMessageIds).toHaveLength(2);
  });

  it('clicks buttons, refusing disabled and unknown ones with 400', async () => {
    const message = await emulator.waitForMessage(
      emulator.seed.channels.imagine,
      (candidate) => candidate.content === 'prompt: fox',
    );
    const click = await call<{ interaction: InteractionRecord }>('POST', '/interactions/button?wait=ack', {
      userId: emulator.seed.users.bob,
      messageId: message.id,
      customId: 'again',
    });
    expect(click.body.interaction.callbackType).toBe(7);
    expect(emulator.message(message.id)?.content).toBe('again!');
    const disabled = await call<{ error: { code: string } }>('POST', '/interactions/button', {
      userId: emulator.seed.users.bob,
      messageId: message.id,
      customId: 'off',
    });
    expect(disabled).toMatchObject({ status: 400, body: { error: { code: 'component_disabled' } } });
    const unknown = await call<{ error: { code: string } }>('POST', '/interactions/button', {
      userId: emulator.seed.users.bob,
      messageId: message.id,
      customId: 'nope',
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'unknown_component' } } });
  });

  it('submits a modal by its custom_id and returns autocomplete choices', async () => {
    const shown = await call<{ interaction: InteractionRecord }>('POST', '/interactions/command?wait=ack', {
      userId: emulator.seed.users.bob,
      channelId: emulator.seed.channels.imagine,
      name: 'report',
    });
    expect(shown.body.interaction.modal?.custom_id).toBe('report');
    const submitted = await call<{ interaction: InteractionRecord }>('POST', '/interactions/modal?wait=ack', {
      userId: emulator.seed.users.bob,
      customId: 'report',
      values: { why: 'spam' },
    });
    expect(submitted.body.interaction).toMatchObject({ kind: 'modal_submit', state: 'acknowledged' });
    expect(emulator.messages(emulator.seed.channels.imagine).at(-1)?.content).toBe('reported: spam');
    const again = await call<{ error: { code: string } }>('POST', '/interactions/modal', {
      userId: emulator.seed.users.bob,
      customId: 'report',
      values: { why: 'x' },
    });
    expect(again).toMatchObject({ status: 404, body: { error: { code: 'unknown_modal' } } });
    const choices = await call<{ choices: unknown[] }>('POST', '/interactions/autocomplete', {
      userId: emulator.seed.users.bob,
      channelId: emulator.seed.channels.imagine,
      name: 'imagine',
      options: { style: 'oil' },
      focused: 'style',
    });
    expect(choices.body.choices).toEqual([{ name: 'oil!', value: 'x' }]);
  });

  it('passes an uploaded attachment to the bot and serves the bot’s files back', async () => {
    const result = await call<{ interaction: InteractionRecord }>('POST', '/interactions/command?wait=ack', {
      userId: emulator.seed.users.alice,
      channelId: emulator.seed.channels.imagine,
      name: 'describe',
      attachment: { filename: 'in.png', contentType: 'image/png', base64: PNG.toString('base64') },
    });
    expect(result.body.interaction.state).toBe('acknowledged');
    expect(downloaded.at(-1)).toEqual(PNG);
    const message = emulator.message(result.body.interaction.originalMessageId ?? '');
    const attachmentId = message?.attachments[0]?.id ?? '';
    const bytes = await fetch(`${emulator.controlUrl}/attachments/${attachmentId}`);
    expect(bytes.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(PNG);
  });

  it('advances the manual clock, after which unanswered interactions are listed as failed', async () => {
    client.removeAllListeners(Events.InteractionCreate);
    const silent = await call<{ interaction: InteractionRecord }>('POST', '/interactions/command', {
      userId: emulator.seed.users.alice,
      channelId: emulator.seed.channels.imagine,
      name: 'silent',
    });
    expect(silent.body.interaction.state).toBe('pending');
    const advanced = await call<{ now: number }>('POST', '/clock/advance', { ms: 3001 });
    expect(advanced.body.now).toBe(clock.now());
    const failed = await call<InteractionRecord[]>('GET', '/interactions?state=failed');
    expect(failed.body.map((record) => record.id)).toEqual([silent.body.interaction.id]);
  });

  it('lists the REST requests the bot made and the 429s it got', async () => {
    const requests = await call<{ method: string; route: string | null; status: number }[]>('GET', '/requests');
    expect(requests.body).toContainEqual(
      expect.objectContaining({ method: 'PUT', route: '/applications/:app/guilds/:guild/commands', status: 200 }),
    );
    expect(requests.body).toContainEqual(
      expect.objectContaining({ method: 'POST', route: '/interactions/:interaction/:token/callback', status: 204 }),
    );
    const limited = await call<unknown[]>('GET', '/rate-limits');
    expect(limited.body).toEqual([]);
  });

  it('streams changes as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${emulator.controlUrl}/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    await reader.read();
    emulator.postMessage({
      userId: emulator.seed.users.alice,
      channelId: emulator.seed.channels.imagine,
      content: 'streamed',
    });
    let text = '';
    while (!text.includes('\n\n') || !text.includes('message.create'))
      text += new TextDecoder().decode((await reader.read()).value as Uint8Array);
    expect(text).toContain('event: message.create');
    const data = JSON.parse(/data: (.*)/.exec(text)?.[1] ?? '{}') as { message: MessageView };
    expect(data.message).toMatchObject({ content: 'streamed', visible_to: null });
    controller.abort();
  });

  it('tells gateway clients to reconnect and reports 404 for unknown routes', async () => {
    const reconnect = await call<{ sockets: number }>('POST', '/gateway/reconnect');
    expect(reconnect.body.sockets).toBe(1);
    const missing = await call<{ error: { code: string } }>('GET', '/nope');
    expect(missing.status).toBe(404);
  });
});
