import { GatewayIntent } from '../constants.js';
import type { EmulatorCore } from '../core.js';
import { serializeContext } from '../core.js';
import type { EmulatorEventMap } from '../events.js';
import {
  channelJson,
  guildCreateJson,
  memberJson,
  type MessageJson,
  messageJson,
  roleJson,
} from '../state/serialize.js';
import type { StoredMessage } from '../state/types.js';

/** Which sessions, by their intents, receive a dispatch. */
export type IntentFilter = (intents: number) => boolean;
export type Dispatch = (type: string, data: unknown, guildId: string | null, filter?: IntentFilter) => void;

const needs =
  (...required: number[]): IntentFilter =>
  (intents) =>
    required.every((intent) => (intents & intent) !== 0);

/**
 * Turns emulator events into gateway dispatches. Ephemeral messages are never dispatched; message
 * content is emptied for sessions without the Message Content intent, as Discord does for messages
 * the bot did not write (developers/events/gateway.mdx, "Message Content Intent").
 */
export function subscribeDispatches(core: EmulatorCore, dispatch: Dispatch): () => void {
  const messageData = (message: StoredMessage) => messageJson(message, serializeContext(core));
  const handlers: { [K in keyof EmulatorEventMap]?: (...args: EmulatorEventMap[K]) => void } = {
    'message.create': ({ message }) => dispatchMessage(core, dispatch, 'MESSAGE_CREATE', message, messageData),
    'message.update': ({ message }) => dispatchMessage(core, dispatch, 'MESSAGE_UPDATE', message, messageData),
    'message.delete': ({ message }) => {
      if (message.visibleTo === null && message.guildId === '') {
        const data = { id: message.id, channel_id: message.channelId };
        dispatch('MESSAGE_DELETE', data, null, needs(GatewayIntent.DirectMessages));
      } else if (message.visibleTo === null) {
        const data = { id: message.id, channel_id: message.channelId, guild_id: message.guildId };
        dispatch('MESSAGE_DELETE', data, message.guildId, needs(GatewayIntent.GuildMessages));
      }
    },
    'interaction.create': ({ interaction, payload }) => dispatch('INTERACTION_CREATE', payload, interaction.guildId),
    'guild.create': ({ guild }) =>
      dispatch(
        'GUILD_CREATE',
        guildCreateJson(guild, core.store, core.botUserId),
        guild.id,
        needs(GatewayIntent.Guilds),
      ),
    'channel.create': ({ channel }) =>
      dispatch('CHANNEL_CREATE', channelJson(channel, core.store), channel.guildId, needs(GatewayIntent.Guilds)),
    'role.create': ({ role }) =>
      dispatch(
        'GUILD_ROLE_CREATE',
        { guild_id: role.guildId, role: roleJson(role) },
        role.guildId,
        needs(GatewayIntent.Guilds),
      ),
    'member.add': ({ member }) => {
      const data = { ...memberJson(member, core.store), guild_id: member.guildId };
      dispatch('GUILD_MEMBER_ADD', data, member.guildId, needs(GatewayIntent.GuildMembers));
    },
  };
  const entries = Object.entries(handlers) as [keyof EmulatorEventMap, (...args: unknown[]) => void][];
  for (const [event, handler] of entries) core.events.on(event, handler);
  return () => {
    for (const [event, handler] of entries) core.events.off(event, handler);
  };
}

function dispatchMessage(
  core: EmulatorCore,
  dispatch: Dispatch,
  type: string,
  message: StoredMessage,
  toJson: (message: StoredMessage) => MessageJson,
): void {
  if (message.visibleTo !== null) return;
  const data = toJson(message);
  // A DM: no guild, and only sessions that asked for Direct Messages hear of it.
  if (message.guildId === '') {
    dispatch(type, data, null, needs(GatewayIntent.DirectMessages));
    return;
  }
  if (message.authorId === core.botUserId) {
    dispatch(type, data, message.guildId, needs(GatewayIntent.GuildMessages));
    return;
  }
  // Two audiences: sessions with Message Content see everything, the others an emptied message.
  dispatch(type, data, message.guildId, needs(GatewayIntent.GuildMessages, GatewayIntent.MessageContent));
  const emptied = { ...data, content: '', embeds: [], attachments: [], components: [] };
  dispatch(
    type,
    emptied,
    message.guildId,
    (intents) => needs(GatewayIntent.GuildMessages)(intents) && !needs(GatewayIntent.MessageContent)(intents),
  );
}
