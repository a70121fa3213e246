import { Events, MessageFlags, type Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext, SlashCommand } from '../../src/discord/context.js';
import { buildCustomId } from '../../src/discord/custom-id.js';
import { createRouter } from '../../src/discord/router.js';
import { createLogger } from '../../src/logger.js';
import { DiscordEmulator, type InteractionRecord } from '../../src/sandbox/discord/index.js';
import { refusals } from '../../src/discord/text.js';
import { StoreUnavailableError } from '../../src/store/errors.js';

const STORE_UNAVAILABLE_MESSAGE = refusals('en').storeUnavailable;
import { connectClient } from '../sandbox/discord/support/discord-client.js';

/** Commands that fail the way handlers do, so that the router's one catch is what is tested. */
function command(
  name: string,
  execute: SlashCommand['execute'],
  autocomplete?: SlashCommand['autocomplete'],
): SlashCommand {
  return {
    definition: {
      name,
      description: name,
      options: [{ type: 3, name: 'text', description: 'text', autocomplete: Boolean(autocomplete) }],
    },
    execute,
    ...(autocomplete ? { autocomplete } : {}),
  };
}

const SECRET = 'db password hunter2 at /var/lib/secret';

const COMMANDS: SlashCommand[] = [
  command('store-down', () => Promise.reject(new StoreUnavailableError('read', 'guild:1', new Error('SQLITE_BUSY')))),
  command('crash', () => Promise.reject(new Error(SECRET))),
  command('defer-crash', async (interaction) => {
    await interaction.deferReply();
    throw new Error(SECRET);
  }),
  command(
    'suggest',
    () => Promise.resolve(),
    () => Promise.reject(new Error('autocomplete store down')),
  ),
];

describe('the interaction router', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  const logged: string[] = [];

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    client = await connectClient(emulator);
    await client.application.commands.set(
      [
        ...COMMANDS.map((entry) => entry.definition),
        { name: 'unregistered-here', description: 'known to Discord, not to the bot' },
      ],
      emulator.seed.guildId,
    );
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logged.push(line) } });
    // The router reads only the logger from its context; the commands above need nothing else.
    const context = { logger } as unknown as BotContext;
    const route = createRouter(COMMANDS, context);
    client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  });
  afterAll(async () => {
    await client.destroy();
    await emulator.stop();
  });

  const slash = (name: string, options: Record<string, unknown> = {}) =>
    emulator.slashCommand(
      { userId: emulator.seed.users.alice, channelId: emulator.seed.channels.imagine, name, options },
      { wait: 'ack' },
    );
  /** The private answers the member saw, newest last. */
  const privately = (interaction: InteractionRecord) =>
    emulator
      .messages(interaction.channelId, { as: interaction.userId })
      .filter(
        (message) =>
          (message.flags & MessageFlags.Ephemeral) !== 0 && message.interaction_metadata?.id === interaction.id,
      )
      .map((message) => message.content);

  it('GIVEN a command the bot does not know THEN the member is told so, privately', async () => {
    const answered = await slash('unregistered-here');
    expect(answered.ephemeral).toBe(true);
    expect(privately(answered)).toEqual(["I don't know the command /unregistered-here."]);
  });

  it('GIVEN a handler whose store is down THEN the member reads "try again in a moment", not a generic failure', async () => {
    const answered = await slash('store-down');
    expect(privately(answered)).toEqual([STORE_UNAVAILABLE_MESSAGE]);
  });

  it('GIVEN a handler that throws THEN the member gets a reference and no detail; the log gets the detail and the same reference', async () => {
    const answered = await slash('crash');
    const [content = ''] = privately(answered);
    const reference = /reference `([0-9a-f]{6})`/.exec(content)?.[1];
    expect(reference).toBeDefined();
    expect(content).not.toContain('hunter2');
    expect(content).not.toMatch(/at .*\.ts:\d+/);
    expect(logged.some((line) => line.includes(reference!) && line.includes('hunter2'))).toBe(true);
  });

  it('GIVEN a handler that deferred publicly and then threw THEN the "thinking…" placeholder is removed and the failure is told privately', async () => {
    const answered = await slash('defer-crash');
    await expect.poll(() => privately(answered).length, { timeout: 5_000 }).toBe(1);
    expect(emulator.message(answered.originalMessageId!)).toBeUndefined();
    expect(privately(answered)[0]).toMatch(/Something went wrong on my side/);
  });

  it('GIVEN a button whose custom ID is not ours or is malformed THEN the member is told it no longer works', async () => {
    const message = (await client.rest.post(`/channels/${emulator.seed.channels.imagine}/messages`, {
      body: {
        content: 'old buttons',
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 2, label: 'Old', custom_id: 'mj0:u:abcdef12:1:default' },
              {
                type: 2,
                style: 2,
                label: 'Broken',
                custom_id: `${buildCustomId({ kind: 'follow-up', jobId: 'abcdef12', followUp: { action: 'upscale', index: 1, type: 'default' } })}:extra`,
              },
            ],
          },
        ],
      },
    })) as { id: string };
    for (const customId of ['mj0:u:abcdef12:1:default', 'mj1:u:abcdef12:1:default:extra']) {
      const click = await emulator.clickButton(
        { userId: emulator.seed.users.alice, messageId: message.id, customId },
        { wait: 'ack' },
      );
      expect(click.ephemeral).toBe(true);
      expect(privately(click)[0]).toMatch(/older version of the bot and no longer works/);
    }
  });

  it('GIVEN an autocomplete handler that throws THEN the member gets an empty list at once, not a menu that keeps loading', async () => {
    const result = await emulator.autocomplete(
      {
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        name: 'suggest',
        options: { text: 'a' },
        focused: 'text',
      },
      { wait: 'ack' },
    );
    expect(result.interaction.failed).toBe(false);
    expect(result.choices).toEqual([]);
  });
});
