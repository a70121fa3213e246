import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  Routes,
  type TextChannel,
  TextInputStyle,
  type ModalSubmitInteraction,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator, ManualClock } from '../../../src/sandbox/discord/index.js';
import {
  connectClient,
  dispatchAndReceive,
  expectConformingAnswers,
  expectDiscordError,
  nextInteraction,
} from './support/discord-client.js';

const FIFTEEN_MINUTES = 15 * 60_000;

/** Interaction timing and acknowledgement rules, driven by a manual clock instead of sleeping. */
describe('interaction rules', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  const clock = new ManualClock();

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ clock });
    client = await connectClient(emulator);
    await client.application.commands.set(
      [
        { name: 'go', description: 'Go' },
        {
          name: 'pick',
          description: 'Pick',
          options: [{ name: 'style', description: 's', type: 3, autocomplete: true }],
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

  async function freshCommand() {
    const received = await dispatchAndReceive(client, () =>
      emulator.slashCommand({
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        name: 'go',
      }),
    );
    return { record: received.record, command: received.interaction as ChatInputCommandInteraction };
  }

  const callback = (interaction: { id: string; token: string }, body: unknown) =>
    client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });

  it('fails an interaction not acknowledged within 3 s: marked when the clock passes, 10062 on a late reply', async () => {
    const { record, command } = await freshCommand();
    clock.advance(3000);
    expect(emulator.interaction(record.id)?.state).toBe('pending');
    clock.advance(1);
    expect(emulator.interaction(record.id)).toMatchObject({
      state: 'failed',
      failed: true,
      failureReason: 'This interaction failed',
    });
    await expectDiscordError(command.reply({ content: 'too late' }), { status: 404, code: 10062 });
    expect(emulator.interactions({ state: 'failed' }).map((failed) => failed.id)).toContain(record.id);
    expect(emulator.messages(emulator.seed.channels.imagine).some((message) => message.content === 'too late')).toBe(
      false,
    );
  });

  it('accepts a reply at exactly 3000 ms', async () => {
    const { record, command } = await freshCommand();
    clock.advance(3000);
    await command.reply({ content: 'just in time' });
    expect(emulator.interaction(record.id)?.state).toBe('acknowledged');
  });

  it('answers a second acknowledgement with 40060', async () => {
    const { command } = await freshCommand();
    await command.deferReply();
    await expectDiscordError(callback(command, { type: 4, data: { content: 'again' } }), { status: 400, code: 40060 });
    await expectDiscordError(callback(command, { type: 5 }), { status: 400, code: 40060 });
  });

  it('invalidates the interaction token after 15 minutes (401 50027) without costing the bot its token', async () => {
    const { command } = await freshCommand();
    await command.reply({ content: 'first' });
    clock.advance(FIFTEEN_MINUTES - 60_000);
    await command.editReply({ content: 'still editable' });
    clock.advance(60_001);
    await expectDiscordError(command.editReply({ content: 'too late' }), { status: 401, code: 50027 });
    await expectDiscordError(command.followUp({ content: 'too late' }), { status: 401, code: 50027 });
    await expectDiscordError(command.fetchReply(), { status: 401, code: 50027 });
    // The 401 came from an auth:false route, so @discordjs/rest kept the bot token.
    const sent = await (client.channels.cache.get(emulator.seed.channels.imagine) as TextChannel).send({
      content: 'bot still authenticated',
    });
    expect(sent.id).toMatch(/^\d+$/);
  });

  it('rejects callback types that do not fit the interaction with 400 50035 at type', async () => {
    const { command } = await freshCommand();
    await expectDiscordError(callback(command, { type: 6 }), {
      status: 400,
      code: 50035,
      path: 'type',
      errorCode: 'BASE_TYPE_CHOICES',
    });
    await expectDiscordError(callback(command, { type: 7, data: { content: 'x' } }), {
      status: 400,
      code: 50035,
      path: 'type',
    });
    await expectDiscordError(callback(command, { type: 8, data: { choices: [] } }), {
      status: 400,
      code: 50035,
      path: 'type',
    });

    const autocomplete = nextInteraction(client);
    const pending = emulator.autocomplete({
      userId: emulator.seed.users.alice,
      channelId: emulator.seed.channels.imagine,
      name: 'pick',
      options: { style: 'a' },
      focused: 'style',
    });
    const focused = await autocomplete;
    await expectDiscordError(callback(focused, { type: 4, data: { content: 'x' } }), {
      status: 400,
      code: 50035,
      path: 'type',
    });
    const tooMany = Array.from({ length: 26 }, (_, index) => ({ name: `c${index}`, value: `c${index}` }));
    await expectDiscordError(callback(focused, { type: 8, data: { choices: tooMany } }), {
      status: 400,
      code: 50035,
      path: 'data.choices',
    });
    await callback(focused, { type: 8, data: { choices: tooMany.slice(0, 25) } });
    expect((await pending).choices).toHaveLength(25);

    await command.showModal({
      custom_id: 'm',
      title: 'M',
      components: [{ type: 1, components: [{ type: 4, custom_id: 'f', label: 'F', style: TextInputStyle.Short }] }],
    });
    const submitted = await dispatchAndReceive(client, () =>
      emulator.submitModal({ userId: emulator.seed.users.alice, customId: 'm', values: { f: 'v' } }),
    );
    const modal = submitted.interaction as ModalSubmitInteraction;
    const modalCallback = {
      type: 9,
      data: {
        custom_id: 'again',
        title: 'Again',
        components: [{ type: 1, components: [{ type: 4, custom_id: 'g', label: 'G', style: 1 }] }],
      },
    };
    await expectDiscordError(callback(modal, modalCallback), { status: 400, code: 50035, path: 'type' });
    await expectDiscordError(callback(modal, { type: 6 }), { status: 400, code: 50035, path: 'type' });
    await modal.reply({ content: 'modal answered' });
    // A modal has no message: its interaction's @original does not exist.
    await expectDiscordError(command.fetchReply(), { status: 404, code: 10008 });
  });

  it('validates a modal: title length and duplicate custom_ids', async () => {
    const { command } = await freshCommand();
    const input = (customId: string) => ({
      type: 1,
      components: [{ type: 4, custom_id: customId, label: 'L', style: 1 }],
    });
    await expectDiscordError(
      callback(command, { type: 9, data: { custom_id: 'm', title: 't'.repeat(46), components: [input('a')] } }),
      { status: 400, code: 50035, path: 'data.title' },
    );
    await expectDiscordError(
      callback(command, { type: 9, data: { custom_id: 'm', title: 'T', components: [input('a'), input('a')] } }),
      {
        status: 400,
        code: 50035,
        path: 'data.components.1.components.0.custom_id',
        errorCode: 'COMPONENT_CUSTOM_ID_DUPLICATED',
      },
    );
  });

  it('lets a component interaction defer its update and edit the message it came from', async () => {
    const { command } = await freshCommand();
    await command.reply({
      content: 'with button',
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Go', custom_id: 'go' }] }],
    });
    const message = await command.fetchReply();
    const click = await dispatchAndReceive(client, () =>
      emulator.clickButton({ userId: emulator.seed.users.bob, messageId: message.id, customId: 'go' }),
    );
    const button = click.interaction as ButtonInteraction;
    await button.deferUpdate();
    await button.editReply({ content: 'edited after deferUpdate' });
    expect(emulator.message(message.id)?.content).toBe('edited after deferUpdate');
    expect(emulator.interaction(click.record.id)?.callbackType).toBe(6);
  });

  it('answers 10062 for an unknown interaction or a wrong token, and 10015 for a follow-up before any acknowledgement', async () => {
    const { command } = await freshCommand();
    await expectDiscordError(
      callback({ id: '1234567890123456789', token: command.token }, { type: 4, data: { content: 'x' } }),
      { status: 404, code: 10062 },
    );
    await expectDiscordError(
      callback({ id: command.id, token: 'not-the-token' }, { type: 4, data: { content: 'x' } }),
      { status: 404, code: 10062 },
    );
    await expectDiscordError(
      client.rest.post(Routes.webhook(emulator.applicationId, command.token), {
        body: { content: 'early' },
        auth: false,
      }),
      { status: 404, code: 10015 },
    );
    await expectDiscordError(
      client.rest.post(Routes.webhook('1234567890123456789', command.token), { body: { content: 'x' }, auth: false }),
      { status: 404, code: 10015 },
    );
    await expectDiscordError(
      client.rest.get(Routes.webhookMessage(emulator.applicationId, 'unknown-token', '@original'), { auth: false }),
      { status: 401, code: 50027 },
    );
    await command.reply({ content: 'acknowledged now' });
  });
});

describe('interaction deadline on the system clock', () => {
  it('refuses a command that is not registered, as the Discord client would not offer it', async () => {
    const emulator = await DiscordEmulator.start();
    try {
      await expect(
        emulator.slashCommand({
          userId: emulator.seed.users.alice,
          channelId: emulator.seed.channels.imagine,
          name: 'nothing',
        }),
      ).rejects.toMatchObject({ code: 'unknown_command' });
    } finally {
      await emulator.stop();
    }
  });

  it('marks an unanswered interaction failed once real time passes the (tightened) deadline', async () => {
    const emulator = await DiscordEmulator.start({ limits: { initialResponseMs: 50 } });
    try {
      const failed = new Promise<string>((resolve) =>
        emulator.events.once('interaction.fail', ({ interaction }) => resolve(interaction.id)),
      );
      const record = await runUnansweredCommand(emulator, emulator.seed.users.bob);
      expect(record.state).toBe('pending');
      expect(await failed).toBe(record.id);
      expect(emulator.interaction(record.id)?.failed).toBe(true);
      expect((await emulator.waitForAck(record.id)).state).toBe('failed');
    } finally {
      await emulator.stop();
    }
  });
});

/** Registers a command over plain HTTP (no bot connected) and runs it; nobody will answer. */
async function runUnansweredCommand(emulator: DiscordEmulator, userId: string) {
  const response = await fetch(`${emulator.restUrl}/v10/applications/${emulator.applicationId}/commands`, {
    method: 'POST',
    headers: { authorization: `Bot ${emulator.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'quiet', description: 'Nobody answers' }),
  });
  expect(response.status).toBe(201);
  expect(response.headers.get('content-type')).toBe('application/json');
  return emulator.slashCommand({ userId, channelId: emulator.seed.channels.imagine, name: 'quiet' });
}
