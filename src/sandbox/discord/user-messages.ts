import { MessageType } from './constants.js';
import type { EmulatorCore } from './core.js';
import { DiscordApiError, EmulatorUsageError } from './errors.js';
import { postMessage } from './messages.js';
import { hasPermission, Permission } from './permissions.js';
import type { StoredMessage } from './state/types.js';
import { parseMessageBody } from './validate/message.js';

export interface UserMessageInput {
  userId: string;
  channelId: string;
  content: string;
  /** Reply to this message. */
  replyTo?: string;
}

/** A message written by an emulated user, under the same rules a Discord client faces. */
export function postUserMessage(core: EmulatorCore, input: UserMessageInput): StoredMessage {
  const channel = core.store.requireChannel(input.channelId);
  if (
    !hasPermission(
      core.store.channelPermissions(channel, input.userId),
      Permission.ViewChannel | Permission.SendMessages,
    )
  ) {
    throw new EmulatorUsageError(
      403,
      'missing_permissions',
      `User ${input.userId} cannot send messages in channel ${input.channelId}`,
    );
  }
  try {
    const body = parseMessageBody({
      content: input.content,
      ...(input.replyTo ? { message_reference: { message_id: input.replyTo } } : {}),
    });
    return postMessage(
      core,
      { channelId: channel.id, guildId: channel.guildId, authorId: input.userId, type: MessageType.Default },
      body,
      [],
    );
  } catch (error) {
    if (error instanceof DiscordApiError)
      throw new EmulatorUsageError(400, 'invalid_message', `${error.message} (${error.code})`);
    throw error;
  }
}
