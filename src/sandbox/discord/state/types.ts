import type { Locale } from '../locales.js';
import type { PermissionOverwrite } from '../permissions.js';
import type { ModalData } from '../validate/callback.js';
import type { CommandOption } from '../validate/commands.js';
import type { Localizations } from '../validate/localizations.js';

/** The emulator's own model of Discord state; serialize.ts turns it into Discord's JSON. */
export interface User {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  /** The language the user's client is set to; interactions carry it as `locale`. */
  locale: Locale;
  /**
   * Whether the user lets server members and apps message them directly (Discord's privacy
   * setting); when not, a bot's DM fails with 50007.
   */
  acceptsDirectMessages: boolean;
}

/** A DM channel between the bot and one user (`POST /users/@me/channels` makes or returns it). */
export interface DmChannel {
  id: string;
  userId: string;
}

export interface Role {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
}

export interface Member {
  userId: string;
  guildId: string;
  roleIds: string[];
  joinedAt: number;
  nick: string | null;
}

export interface Guild {
  id: string;
  name: string;
  ownerId: string;
  /** Keyed by role id; @everyone's id is the guild id. */
  roles: Map<string, Role>;
  members: Map<string, Member>;
  channelIds: string[];
}

export interface Channel {
  id: string;
  guildId: string;
  name: string;
  type: number;
  position: number;
  parentId: string | null;
  topic: string | null;
  overwrites: PermissionOverwrite[];
}

export interface StoredAttachment {
  id: string;
  channelId: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
  description: string | null;
  title: string | null;
  /** Only the interaction user can see attachments of an ephemeral message. */
  ephemeral: boolean;
  width: number | null;
  height: number | null;
}

/** What a message says about the interaction that produced it (`interaction_metadata`). */
export interface MessageInteraction {
  id: string;
  type: number;
  /** Full command name for application commands ("config set"); undefined for components. */
  name: string | undefined;
  userId: string;
  originalResponseMessageId: string | null;
  interactedMessageId: string | null;
  /** For a modal's submit: the command or component interaction that showed the modal. */
  triggering?: Omit<MessageInteraction, 'triggering' | 'originalResponseMessageId'>;
  /** For a message command: the message it was used on (`target_message_id`). */
  targetMessageId?: string | null;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  /** Empty for a message in a DM channel, which belongs to no guild. */
  guildId: string;
  authorId: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: StoredAttachment[];
  flags: number;
  type: number;
  tts: boolean;
  createdAt: number;
  editedAt: number | null;
  webhookId: string | null;
  applicationId: string | null;
  interaction: MessageInteraction | null;
  referencedMessageId: string | null;
  nonce: string | number | null;
  /** Set for ephemeral messages: the only user who sees them. */
  visibleTo: string | null;
  /** Users the content mentions and `allowed_mentions` lets through (Discord's `mentions`). */
  mentions: string[];
  /** Users notified by this message: mentioned when it was sent. Discord never notifies on an edit. */
  notified: string[];
}

export interface ApplicationCommand {
  id: string;
  applicationId: string;
  guildId: string | null;
  version: string;
  type: number;
  name: string;
  nameLocalizations: Localizations | null;
  description: string;
  descriptionLocalizations: Localizations | null;
  options: CommandOption[];
  defaultMemberPermissions: string | null;
  nsfw: boolean;
  contexts: number[] | null;
  integrationTypes: number[];
}

export type InteractionKind = 'command' | 'autocomplete' | 'component' | 'modal_submit';
export type InteractionState = 'pending' | 'acknowledged' | 'failed';

/** An interaction and everything that happened to it; the control API returns it as is. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  kind: InteractionKind;
  /** Full command name for commands and autocomplete; custom_id for components and modals. */
  name: string;
  commandId: string | null;
  userId: string;
  guildId: string;
  channelId: string;
  /** The message whose component was used (components, and modals opened from one). */
  messageId: string | null;
  data: Record<string, unknown>;
  dispatchedAt: number;
  state: InteractionState;
  acknowledgedAt: number | null;
  callbackType: number | null;
  /** True once the 3 seconds ran out without an acknowledgement ("This interaction failed"). */
  failed: boolean;
  failedAt: number | null;
  /** What the Discord client shows when the bot did not answer in time. */
  failureReason: string | null;
  ephemeral: boolean;
  originalMessageId: string | null;
  /** The original response and follow-ups, in order. */
  responseMessageIds: string[];
  modal: ModalData | null;
  /** Id of the MODAL_SUBMIT interaction once the user submitted this interaction's modal. */
  modalSubmittedBy: string | null;
  autocompleteChoices: { name: string; value: string | number }[] | null;
}
