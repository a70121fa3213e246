import { ComponentType } from './constants.js';
import { DiscordEmulator, type EmulatorOptions } from './emulator.js';
import type { AttachmentInput } from './interactions/options.js';
import type { InteractionRecord } from './state/types.js';
import { type Component, walkComponents } from './validate/components.js';
import type { MessageView, ViewOptions } from './message-views.js';

/** What a bot reads from its environment to run against the emulator instead of Discord. */
export interface BotEnvironment {
  DISCORD_TOKEN: string;
  DISCORD_APPLICATION_ID: string;
  /** discord.js `rest.api`, e.g. `http://127.0.0.1:PORT/api`. */
  DISCORD_API_URL: string;
  /** The seeded guild, for guild-scoped command registration. */
  DISCORD_GUILD_ID?: string;
}

export interface StartedBot {
  stop(): Promise<void> | void;
}

export interface DiscordHarnessOptions {
  emulator?: EmulatorOptions;
  /** Starts the bot; must resolve once the bot is ready (connected and commands registered). */
  startBot?: (environment: BotEnvironment, emulator: DiscordEmulator) => Promise<StartedBot>;
}

export interface ActorOptions {
  /** Where the actor runs commands; the seeded `#imagine` by default. */
  channelId?: string;
  /** `ack` (default) resolves actions once the bot acknowledged them (or they failed). */
  wait?: 'ack' | 'none';
  timeoutMs?: number;
}

/** An emulated user acting through the Discord client. */
export interface UserActor {
  readonly userId: string;
  readonly channelId: string;
  slash(name: string, options?: Record<string, unknown>, attachment?: AttachmentInput): Promise<InteractionRecord>;
  autocomplete(
    name: string,
    options: Record<string, unknown>,
    focused: string,
  ): Promise<{ name: string; value: string | number }[]>;
  /** Clicks the button whose custom_id, or else label, is `customIdOrLabel`. */
  click(message: MessageView | string, customIdOrLabel: string): Promise<InteractionRecord>;
  select(message: MessageView | string, customId: string, values: string[]): Promise<InteractionRecord>;
  /** Submits the modal shown by `modal` (the interaction that showed it) or the latest one with that custom_id. */
  submitModal(modal: InteractionRecord | string, values: Record<string, string | string[]>): Promise<InteractionRecord>;
  say(content: string): MessageView;
  /** The actor's channel as this user sees it (their ephemeral messages included). */
  messages(): MessageView[];
}

export interface ChannelHandle {
  readonly id: string;
  messages(options?: ViewOptions): MessageView[];
  waitFor(
    predicate: (message: MessageView) => boolean,
    timeoutMs?: number,
    options?: ViewOptions,
  ): Promise<MessageView>;
}

export interface DiscordHarness {
  readonly emulator: DiscordEmulator;
  readonly env: BotEnvironment;
  readonly bot: StartedBot | null;
  as(userId: string, options?: ActorOptions): UserActor;
  channel(id: string): ChannelHandle;
  stop(): Promise<void>;
}

/** Starts the emulator (and the bot, when `startBot` is given) and returns handles to drive both. */
export async function startDiscordHarness(options: DiscordHarnessOptions = {}): Promise<DiscordHarness> {
  const emulator = await DiscordEmulator.start(options.emulator);
  const env: BotEnvironment = {
    DISCORD_TOKEN: emulator.token,
    DISCORD_APPLICATION_ID: emulator.applicationId,
    DISCORD_API_URL: emulator.restUrl,
    ...(emulator.seeded ? { DISCORD_GUILD_ID: emulator.seed.guildId } : {}),
  };
  let bot: StartedBot | null = null;
  try {
    bot = options.startBot ? await options.startBot(env, emulator) : null;
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  return {
    emulator,
    env,
    bot,
    as: (userId, actorOptions = {}) => userActor(emulator, userId, actorOptions),
    channel: (id) => ({
      id,
      messages: (viewOptions) => emulator.messages(id, viewOptions),
      waitFor: (predicate, timeoutMs, viewOptions) =>
        emulator.waitForMessage(id, predicate, { ...viewOptions, ...(timeoutMs ? { timeoutMs } : {}) }),
    }),
    stop: async () => {
      await bot?.stop();
      await emulator.stop();
    },
  };
}

function userActor(emulator: DiscordEmulator, userId: string, options: ActorOptions): UserActor {
  const channelId = options.channelId ?? emulator.seed.channels.imagine;
  const wait = { wait: options.wait ?? 'ack', ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) } as const;
  const messageOf = (message: MessageView | string): MessageView => {
    const view = typeof message === 'string' ? emulator.message(message) : message;
    if (!view) throw new Error(`Unknown message ${typeof message === 'string' ? message : message.id}`);
    return view;
  };
  return {
    userId,
    channelId,
    slash: (name, commandOptions = {}, attachment) =>
      emulator.slashCommand(
        { userId, channelId, name, options: commandOptions, ...(attachment ? { attachment } : {}) },
        wait,
      ),
    autocomplete: async (name, commandOptions, focused) => {
      const result = await emulator.autocomplete({ userId, channelId, name, options: commandOptions, focused }, wait);
      return result.choices;
    },
    click: async (message, customIdOrLabel) => {
      const view = messageOf(message);
      return emulator.clickButton(
        { userId, messageId: view.id, customId: buttonCustomId(view, customIdOrLabel) },
        wait,
      );
    },
    select: async (message, customId, values) =>
      emulator.selectMenu({ userId, messageId: messageOf(message).id, customId, values }, wait),
    submitModal: (modal, values) =>
      emulator.submitModal(
        typeof modal === 'string' ? { userId, customId: modal, values } : { userId, interactionId: modal.id, values },
        wait,
      ),
    say: (content) => emulator.postMessage({ userId, channelId, content }),
    messages: () => emulator.messages(channelId, { as: userId }),
  };
}

/** Buttons are found by custom_id first, then by label, as a person would look for them. */
function buttonCustomId(message: MessageView, customIdOrLabel: string): string {
  const buttons: Component[] = [];
  walkComponents(message.components, (component) => {
    if (component.type === ComponentType.Button) buttons.push(component);
  });
  const match =
    buttons.find((button) => button.custom_id === customIdOrLabel) ??
    buttons.find((button) => button.label === customIdOrLabel);
  if (!match || typeof match.custom_id !== 'string') {
    const available = buttons.map((button) => `${String(button.label)} (${String(button.custom_id)})`).join(', ');
    throw new Error(`Message ${message.id} has no button "${customIdOrLabel}"; buttons: ${available || 'none'}`);
  }
  return match.custom_id;
}
