import { InteractionType, MessageType } from '../constants.js';
import type { EmulatorCore } from '../core.js';
import type { MessageOrigin } from '../messages.js';
import type { InteractionRecord } from '../state/types.js';

export interface ResponseOptions {
  ephemeral: boolean;
  /** Set for follow-ups: the original response they follow. */
  originalResponseMessageId?: string | null;
  extraFlags?: number;
}

/**
 * Who a message answering an interaction is from, as Discord records it: the bot, through the
 * application's webhook, with `interaction_metadata` naming the interaction and its user.
 */
export function responseOrigin(core: EmulatorCore, record: InteractionRecord, options: ResponseOptions): MessageOrigin {
  // A modal submit's messages name the command or component whose modal it was, as Discord's do.
  const source =
    record.kind === 'modal_submit'
      ? [...core.store.interactions.values()].find((candidate) => candidate.modalSubmittedBy === record.id)
      : undefined;
  const command = record.type === InteractionType.ApplicationCommand;
  const targetMessageId = command && typeof record.data.target_id === 'string' ? record.data.target_id : null;
  return {
    channelId: record.channelId,
    guildId: record.guildId,
    authorId: core.botUserId,
    type: targetMessageId
      ? MessageType.ContextMenuCommand
      : command
        ? MessageType.ChatInputCommand
        : MessageType.Default,
    webhookId: core.applicationId,
    applicationId: core.applicationId,
    interaction: {
      id: record.id,
      type: record.type,
      name: record.kind === 'command' ? record.name : undefined,
      userId: record.userId,
      originalResponseMessageId: options.originalResponseMessageId ?? null,
      interactedMessageId: record.messageId,
      ...(source
        ? {
            triggering: {
              id: source.id,
              type: source.type,
              name: source.kind === 'command' ? source.name : undefined,
              userId: source.userId,
              interactedMessageId: source.messageId,
            },
          }
        : {}),
      ...(targetMessageId ? { targetMessageId } : {}),
    },
    visibleTo: options.ephemeral ? record.userId : null,
    extraFlags: options.extraFlags ?? 0,
  };
}
