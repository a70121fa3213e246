import { z } from 'zod';
import { MessageType } from '../constants.js';
import type { EmulatorCore } from '../core.js';
import { serializeContext } from '../core.js';
import { discordErrors } from '../errors.js';
import { deleteMessage, editMessage, postMessage, requireBotPermissions } from '../messages.js';
import { hasPermission, Permission } from '../permissions.js';
import { channelJson, messageJson, privateChannelJson } from '../state/serialize.js';
import type { Channel, DmChannel, StoredMessage } from '../state/types.js';
import { parseForm } from '../validate/form-errors.js';
import { parseMessageBody } from '../validate/message.js';
import {
  majorParameter,
  messageEditBucket,
  noContent,
  ok,
  type RestContext,
  type RestResult,
  type RestRoute,
} from './route.js';

/**
 * Channel and channel-message routes, with the bot's computed channel permissions enforced. A DM
 * channel has no permissions: the bot may write there when its user takes direct messages.
 */
function channelOf({ core, params }: RestContext): Channel {
  return core.store.requireChannel(params.channel ?? '');
}

/** The DM channel the route names, when it names one. */
function dmOf({ core, params }: RestContext): DmChannel | undefined {
  return core.store.dmChannels.get(params.channel ?? '');
}

/** Ephemeral messages are not part of the channel for anyone but their user, bots included. */
function requireChannelMessage(context: RestContext, channel: { id: string }): StoredMessage {
  const message = context.core.store.messages.get(context.params.message ?? '');
  if (!message || message.channelId !== channel.id || message.visibleTo !== null) throw discordErrors.unknownMessage();
  return message;
}

/**
 * Whether a user takes the bot's DM: a person (not a bot), sharing a server with the bot, who has
 * not turned off direct messages from server members and apps. Otherwise Discord answers 50007.
 */
function takesDirectMessages(core: EmulatorCore, userId: string): boolean {
  const user = core.store.requireUser(userId);
  const sharesGuild = [...core.store.guilds.values()].some(
    (guild) => guild.members.has(userId) && guild.members.has(core.botUserId),
  );
  return !user.bot && user.acceptsDirectMessages && sharesGuild;
}

function createDirectMessage(context: RestContext, dm: DmChannel): RestResult {
  const { core, body } = context;
  if (!takesDirectMessages(core, dm.userId)) throw discordErrors.cannotMessageUser();
  const payload = parseMessageBody(body.json);
  const repeated = payload.enforce_nonce ? recentWithNonce(context, payload.nonce) : undefined;
  if (repeated) return ok(messageJson(repeated, serializeContext(core)));
  const message = postMessage(
    core,
    { channelId: dm.id, guildId: '', authorId: core.botUserId, type: MessageType.Default },
    payload,
    body.files,
  );
  return ok(messageJson(message, serializeContext(core)));
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.string().regex(/^\d+$/).optional(),
  after: z.string().regex(/^\d+$/).optional(),
  around: z.string().regex(/^\d+$/).optional(),
});

function listMessages(context: RestContext): RestResult {
  const { core } = context;
  const dm = dmOf(context);
  if (dm) {
    const query = parseForm(listQuery, Object.fromEntries(context.query));
    const page = pageOf(core.store.messagesIn(dm.id), query);
    return ok(page.map((message) => messageJson(message, serializeContext(core))));
  }
  const channel = channelOf(context);
  requireBotPermissions(core, channel, []);
  const query = parseForm(listQuery, Object.fromEntries(context.query));
  // Without Read Message History Discord answers with an empty list, not an error.
  if (!hasPermission(core.store.channelPermissions(channel, core.botUserId), Permission.ReadMessageHistory))
    return ok([]);
  const visible = core.store.messagesIn(channel.id).filter((message) => message.visibleTo === null);
  return ok(pageOf(visible, query).map((message) => messageJson(message, serializeContext(core))));
}

/** Newest first, like Discord; `before`/`after`/`around` are message ids (snowflakes sort by time). */
function pageOf(messages: StoredMessage[], query: z.infer<typeof listQuery>): StoredMessage[] {
  const id = (message: StoredMessage) => BigInt(message.id);
  if (query.after)
    return messages
      .filter((message) => id(message) > BigInt(query.after ?? 0))
      .slice(0, query.limit)
      .reverse();
  if (query.around) {
    const pivot = BigInt(query.around);
    const half = Math.floor(query.limit / 2);
    const older = messages.filter((message) => id(message) <= pivot).slice(-(query.limit - half));
    const newer = messages.filter((message) => id(message) > pivot).slice(0, half);
    return [...older, ...newer].reverse();
  }
  const before = query.before ? messages.filter((message) => id(message) < BigInt(query.before ?? 0)) : messages;
  return before.slice(-query.limit).reverse();
}

function createMessage(context: RestContext): RestResult {
  const { core, body } = context;
  const dm = dmOf(context);
  if (dm) return createDirectMessage(context, dm);
  const channel = channelOf(context);
  requireBotPermissions(
    core,
    channel,
    body.files.length > 0 ? [Permission.SendMessages, Permission.AttachFiles] : [Permission.SendMessages],
  );
  const payload = parseMessageBody(body.json);
  const reference = payload.message_reference?.message_id;
  if (reference && core.store.messages.get(reference)?.channelId !== channel.id) {
    throw discordErrors.invalidFormBody({
      message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] },
    });
  }
  const repeated = payload.enforce_nonce ? recentWithNonce(context, payload.nonce) : undefined;
  if (repeated) return ok(messageJson(repeated, serializeContext(core)));
  const message = postMessage(
    core,
    { channelId: channel.id, guildId: channel.guildId, authorId: core.botUserId, type: MessageType.Default },
    payload,
    body.files,
  );
  return ok(messageJson(message, serializeContext(core)));
}

/**
 * Discord: "If true and nonce is present, it will be checked for uniqueness in the past few
 * minutes. If another message was created by the same author with the same nonce, that message
 * will be returned and no new message will be created." How many minutes is not documented; five
 * here (docs/emulator.md).
 */
const NONCE_WINDOW_MS = 5 * 60_000;

function recentWithNonce(context: RestContext, nonce: string | number | null | undefined) {
  if (nonce === null || nonce === undefined) return undefined;
  const since = context.core.clock.now() - NONCE_WINDOW_MS;
  for (const message of context.core.store.messages.values()) {
    if (message.authorId === context.core.botUserId && message.nonce === nonce && message.createdAt >= since)
      return message;
  }
  return undefined;
}

function getMessage(context: RestContext): RestResult {
  const dm = dmOf(context);
  if (dm) return ok(messageJson(requireChannelMessage(context, dm), serializeContext(context.core)));
  const channel = channelOf(context);
  requireBotPermissions(context.core, channel, [Permission.ReadMessageHistory]);
  return ok(messageJson(requireChannelMessage(context, channel), serializeContext(context.core)));
}

function patchMessage(context: RestContext): RestResult {
  const { core } = context;
  const channel = dmOf(context) ?? channelOf(context);
  // Editing is treated like posting: View Channel and Send Messages (50001 / 50013).
  if (!dmOf(context)) requireBotPermissions(core, channelOf(context), [Permission.SendMessages]);
  const message = requireChannelMessage(context, channel);
  if (message.authorId !== core.botUserId) throw discordErrors.cannotEditOthersMessage();
  const edited = editMessage(core, message, parseMessageBody(context.body.json, [], message.flags), context.body.files);
  return ok(messageJson(edited, serializeContext(core)));
}

function removeMessage(context: RestContext): RestResult {
  const { core } = context;
  const dm = dmOf(context);
  if (dm) {
    const message = requireChannelMessage(context, dm);
    // In a DM there is no Manage Messages: only the bot's own messages are its to delete.
    if (message.authorId !== core.botUserId) throw discordErrors.cannotActInDm();
    deleteMessage(core, message);
    return noContent();
  }
  const channel = channelOf(context);
  requireBotPermissions(core, channel, []);
  const message = requireChannelMessage(context, channel);
  if (message.authorId !== core.botUserId) requireBotPermissions(core, channel, [Permission.ManageMessages]);
  deleteMessage(core, message);
  return noContent();
}

function getChannel(context: RestContext): RestResult {
  const dm = dmOf(context);
  if (dm) return ok(privateChannelJson(dm, context.core.store));
  const channel = channelOf(context);
  requireBotPermissions(context.core, channel, []);
  return ok(channelJson(channel, context.core.store));
}

function typing(context: RestContext): RestResult {
  requireBotPermissions(context.core, channelOf(context), [Permission.SendMessages]);
  return noContent();
}

const createBucket = (core: EmulatorCore, params: Record<string, string>) => [
  {
    name: 'POST /channels/:channel/messages',
    major: majorParameter(params),
    window: core.limits.messageCreate,
    scope: 'user' as const,
  },
];

export const channelRoutes: readonly RestRoute[] = [
  { method: 'GET', template: '/channels/:channel', auth: 'bot', handle: getChannel },
  { method: 'GET', template: '/channels/:channel/messages', auth: 'bot', handle: listMessages },
  {
    method: 'POST',
    template: '/channels/:channel/messages',
    auth: 'bot',
    buckets: createBucket,
    handle: createMessage,
  },
  { method: 'GET', template: '/channels/:channel/messages/:message', auth: 'bot', handle: getMessage },
  {
    method: 'PATCH',
    template: '/channels/:channel/messages/:message',
    auth: 'bot',
    buckets: (core, params) => [messageEditBucket(core, params.channel ?? '')],
    handle: patchMessage,
  },
  { method: 'DELETE', template: '/channels/:channel/messages/:message', auth: 'bot', handle: removeMessage },
  { method: 'POST', template: '/channels/:channel/typing', auth: 'bot', handle: typing },
];
