import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotEnvironment,
  type DiscordHarness,
  startDiscordHarness,
  type StartedBot,
} from '../../../src/sandbox/discord/index.js';
import { expectConformingAnswers } from './support/discord-client.js';

/** A stand-in for the real bot: it reads only the environment the harness provides. */
async function startTestBot(env: BotEnvironment): Promise<StartedBot> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env.DISCORD_API_URL } });
  client.on(Events.InteractionCreate, async (interaction) => {
    if (interaction.isChatInputCommand() && interaction.commandName === 'imagine') {
      const prompt = interaction.options.getString('prompt', true);
      const file = interaction.options.getAttachment('reference');
      await interaction.deferReply();
      await interaction.editReply({
        content: `${prompt}${file ? ` (like ${file.name})` : ''}`,
        components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Upscale', custom_id: 'job.1.upscale' }] }],
      });
    } else if (interaction.isChatInputCommand() && interaction.commandName === 'feedback') {
      await interaction.showModal({
        custom_id: 'feedback',
        title: 'Feedback',
        components: [{ type: 1, components: [{ type: 4, custom_id: 'text', label: 'Text', style: 2 }] }],
      });
    } else if (interaction.isModalSubmit()) {
      await interaction.reply({
        content: `noted: ${interaction.fields.getTextInputValue('text')}`,
        flags: MessageFlags.Ephemeral,
      });
    } else if (interaction.isButton()) {
      await interaction.update({ content: `upscaled by ${interaction.user.username}`, components: [] });
    } else if (interaction.isAutocomplete()) {
      await interaction.respond([{ name: 'photo', value: 'photo' }]);
    }
  });
  const ready = once(client, Events.ClientReady);
  await client.login(env.DISCORD_TOKEN);
  await ready;
  await client.application?.commands.set(
    [
      {
        name: 'imagine',
        description: 'Draw',
        options: [
          { name: 'prompt', description: 'p', type: 3, required: true },
          { name: 'reference', description: 'r', type: 11 },
          { name: 'style', description: 's', type: 3, autocomplete: true },
        ],
      },
      { name: 'feedback', description: 'Tell us' },
    ],
    env.DISCORD_GUILD_ID ?? '',
  );
  return { stop: () => client.destroy() };
}

describe('startDiscordHarness', () => {
  let harness: DiscordHarness;

  beforeAll(async () => {
    harness = await startDiscordHarness({ startBot: startTestBot });
  });

  afterAll(async () => {
    expectConformingAnswers(harness.emulator);
    await harness.stop();
  });

  it('hands the bot the emulator’s token, application id and REST URL', () => {
    expect(harness.env).toEqual({
      DISCORD_TOKEN: harness.emulator.token,
      DISCORD_APPLICATION_ID: harness.emulator.applicationId,
      DISCORD_API_URL: harness.emulator.restUrl,
      DISCORD_GUILD_ID: harness.emulator.seed.guildId,
    });
  });

  it('runs a slash command as a user, waits for the result, and clicks a button by its label', async () => {
    const alice = harness.as(harness.emulator.seed.users.alice);
    const bob = harness.as(harness.emulator.seed.users.bob);
    const record = await alice.slash(
      'imagine',
      { prompt: 'a lighthouse' },
      { filename: 'ref.png', bytes: Buffer.from('png') },
    );
    expect(record.callbackType).toBe(5);
    const channel = harness.channel(harness.emulator.seed.channels.imagine);
    const message = await channel.waitFor((candidate) => candidate.content === 'a lighthouse (like ref.png)');
    const click = await bob.click(message, 'Upscale');
    expect(click.state).toBe('acknowledged');
    expect(channel.messages().find((candidate) => candidate.id === message.id)?.content).toBe('upscaled by bob');
    expect(await alice.autocomplete('imagine', { prompt: 'x', style: 'ph' }, 'style')).toEqual([
      { name: 'photo', value: 'photo' },
    ]);
  });

  it('submits the modal a command showed, and the reply is visible to that user only', async () => {
    const mia = harness.as(harness.emulator.seed.users.mia);
    const shown = await mia.slash('feedback');
    expect(shown.modal?.title).toBe('Feedback');
    await mia.submitModal(shown, { text: 'lovely' });
    expect(mia.messages().at(-1)).toMatchObject({ content: 'noted: lovely', visible_to: mia.userId });
    expect(
      harness
        .channel(mia.channelId)
        .messages()
        .some((message) => message.content === 'noted: lovely'),
    ).toBe(false);
  });

  it('fails clearly when a button label does not exist', async () => {
    const message = harness.emulator.messages(harness.emulator.seed.channels.imagine).at(-1)!;
    await expect(harness.as(harness.emulator.seed.users.alice).click(message, 'Nope')).rejects.toThrow(
      /has no button "Nope"/,
    );
  });
});
