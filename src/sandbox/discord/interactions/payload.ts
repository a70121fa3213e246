import type { EmulatorCore } from '../core.js';
import { serializeContext } from '../core.js';
import { EmulatorUsageError } from '../errors.js';
import { DEFAULT_LOCALE } from '../locales.js';
import { channelJson, memberJson, messageJson } from '../state/serialize.js';
import type { InteractionKind, InteractionRecord, StoredMessage } from '../state/types.js';
import { randomToken } from '../snowflake.js';
import { InteractionType } from '../constants.js';

const TYPE_OF: Record<InteractionKind, number> = {
  command: InteractionType.ApplicationCommand,
  autocomplete: InteractionType.Autocomplete,
  component: InteractionType.MessageComponent,
  modal_submit: InteractionType.ModalSubmit,
};

export interface NewInteraction {
  kind: InteractionKind;
  name: string;
  commandId?: string | null;
  userId: string;
  channelId: string;
  data: Record<string, unknown>;
  message?: StoredMessage;
}

/** A fresh pending record for an interaction the emulated user is about to trigger. */
export function newInteractionRecord(core: EmulatorCore, input: NewInteraction): InteractionRecord {
  const channel = core.store.requireChannel(input.channelId);
  if (!core.store.member(channel.guildId, input.userId)) {
    throw new EmulatorUsageError(
      400,
      'not_a_member',
      `User ${input.userId} is not a member of guild ${channel.guildId}`,
    );
  }
  return {
    id: core.ids.next(),
    token: randomToken(),
    type: TYPE_OF[input.kind],
    kind: input.kind,
    name: input.name,
    commandId: input.commandId ?? null,
    userId: input.userId,
    guildId: channel.guildId,
    channelId: channel.id,
    messageId: input.message?.id ?? null,
    data: input.data,
    dispatchedAt: core.clock.now(),
    state: 'pending',
    acknowledgedAt: null,
    callbackType: null,
    failed: false,
    failedAt: null,
    failureReason: null,
    ephemeral: false,
    originalMessageId: null,
    responseMessageIds: [],
    modal: null,
    modalSubmittedBy: null,
    autocompleteChoices: null,
  };
}

/**
 * INTERACTION_CREATE as Discord sends it. `entitlements` and `authorizing_integration_owners` are
 * required by discord.js (an absent one crashes the client, see the notes §2).
 */
export function interactionPayload(
  core: EmulatorCore,
  record: InteractionRecord,
  message?: StoredMessage,
): Record<string, unknown> {
  const { store } = core;
  const channel = store.requireChannel(record.channelId);
  const member = store.member(record.guildId, record.userId);
  if (!member)
    throw new EmulatorUsageError(
      400,
      'not_a_member',
      `User ${record.userId} is not a member of guild ${record.guildId}`,
    );
  const userPermissions = store.channelPermissions(channel, record.userId).toString();
  return {
    id: record.id,
    application_id: core.applicationId,
    type: record.type,
    token: record.token,
    version: 1,
    guild_id: record.guildId,
    guild: { id: record.guildId, locale: DEFAULT_LOCALE, features: [] },
    channel_id: channel.id,
    channel: { ...channelJson(channel, store), permissions: userPermissions },
    member: { ...memberJson(member, store), permissions: userPermissions },
    app_permissions: store.channelPermissions(channel, core.botUserId).toString(),
    // The invoking user's client language; the guild's own stays the community default.
    locale: store.requireUser(record.userId).locale,
    guild_locale: DEFAULT_LOCALE,
    entitlements: [],
    authorizing_integration_owners: { '0': record.guildId },
    context: 0,
    attachment_size_limit: core.limits.attachmentBytesPerFile,
    data: record.data,
    ...(message ? { message: messageJson(message, serializeContext(core)) } : {}),
  };
}
