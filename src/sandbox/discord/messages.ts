import { MessageFlag } from './constants.js';
import type { EmulatorCore } from './core.js';
import { discordErrors } from './errors.js';
import { contentTypeFor, imageSize } from './media.js';
import type { UploadedFile } from './multipart.js';
import { storedComponents, richEmbeds } from './message-parts.js';
import { hasPermission, Permission } from './permissions.js';
import type { Channel, MessageInteraction, StoredAttachment, StoredMessage } from './state/types.js';
import { type FieldError, toFormErrors } from './validate/form-errors.js';
import { isEmptyMessage, type AllowedMentions, type MessageBody } from './validate/message.js';

/** Who a new message is from and what it answers; the body supplies the rest. */
export interface MessageOrigin {
  channelId: string;
  guildId: string;
  authorId: string;
  type: number;
  webhookId?: string | null;
  applicationId?: string | null;
  interaction?: MessageInteraction | null;
  /** Ephemeral messages are visible to this user only. */
  visibleTo?: string | null;
  /** Flags the emulator sets itself, such as LOADING for a deferred response. */
  extraFlags?: number;
}

/** Flags a sender may set when creating a message; everything else is Discord's to set. */
const CREATE_FLAGS =
  MessageFlag.SuppressEmbeds |
  MessageFlag.SuppressNotifications |
  MessageFlag.IsComponentsV2 |
  MessageFlag.IsVoiceMessage;

/** The bot must see the channel (else 50001) and hold every permission in `needed` (else 50013). */
export function requireBotPermissions(core: EmulatorCore, channel: Channel, needed: readonly bigint[]): void {
  const bits = core.store.channelPermissions(channel, core.botUserId);
  if (!hasPermission(bits, Permission.ViewChannel)) throw discordErrors.missingAccess();
  if (needed.some((permission) => !hasPermission(bits, permission))) throw discordErrors.missingPermissions();
}

export function postMessage(
  core: EmulatorCore,
  origin: MessageOrigin,
  body: MessageBody,
  files: readonly UploadedFile[],
  root: readonly PropertyKey[] = [],
): StoredMessage {
  const ephemeral = Boolean(origin.visibleTo);
  const attachments = resolveAttachments(core, body, files, {
    channelId: origin.channelId,
    ephemeral,
    existing: [],
    root,
  });
  const loading = ((origin.extraFlags ?? 0) & MessageFlag.Loading) !== 0;
  if (!loading && isEmptyMessage({ ...body, attachmentCount: attachments.length })) throw discordErrors.emptyMessage();
  const message: StoredMessage = {
    id: core.ids.next(),
    channelId: origin.channelId,
    guildId: origin.guildId,
    authorId: origin.authorId,
    content: body.content ?? '',
    embeds: richEmbeds(body.embeds ?? []),
    components: storedComponents(body.components ?? []),
    attachments,
    flags: ((body.flags ?? 0) & CREATE_FLAGS) | (ephemeral ? MessageFlag.Ephemeral : 0) | (origin.extraFlags ?? 0),
    type: body.message_reference?.message_id ? 19 : origin.type,
    tts: body.tts ?? false,
    createdAt: core.clock.now(),
    editedAt: null,
    webhookId: origin.webhookId ?? null,
    applicationId: origin.applicationId ?? null,
    interaction: origin.interaction ?? null,
    referencedMessageId: body.message_reference?.message_id ?? null,
    nonce: body.nonce ?? null,
    visibleTo: origin.visibleTo ?? null,
    mentions: [],
    notified: [],
  };
  message.mentions = mentionedUsers(core, message.content, body.allowed_mentions);
  if (!loading) message.notified = notifiedBy(message);
  core.store.addMessage(message);
  core.events.emit('message.create', { message });
  return message;
}

/**
 * Applies an edit: fields present in the body replace the old ones. Filling a deferred ("thinking")
 * response clears LOADING and, like Discord, does not mark the message edited.
 */
export function editMessage(
  core: EmulatorCore,
  message: StoredMessage,
  body: MessageBody,
  files: readonly UploadedFile[],
  root: readonly PropertyKey[] = [],
): StoredMessage {
  const keepsAttachments = body.attachments === undefined && files.length === 0;
  const attachments = keepsAttachments
    ? message.attachments
    : resolveAttachments(core, body, files, {
        channelId: message.channelId,
        ephemeral: message.visibleTo !== null,
        existing: message.attachments,
        root,
      });
  const wasLoading = (message.flags & MessageFlag.Loading) !== 0;
  const next: StoredMessage = {
    ...message,
    content: body.content === undefined ? message.content : (body.content ?? ''),
    embeds: body.embeds === undefined ? message.embeds : richEmbeds(body.embeds ?? []),
    components: body.components === undefined ? message.components : storedComponents(body.components ?? []),
    attachments,
    flags: editedFlags(message.flags, body.flags),
    editedAt: wasLoading ? message.editedAt : core.clock.now(),
  };
  if (isEmptyMessage({ ...next, attachmentCount: next.attachments.length })) throw discordErrors.emptyMessage();
  if (body.content !== undefined) next.mentions = mentionedUsers(core, next.content, body.allowed_mentions);
  // Filling a deferred response is the message's real sending; any later edit notifies no one.
  if (wasLoading) next.notified = notifiedBy(next);
  Object.assign(message, next);
  for (const attachment of attachments) core.store.attachments.set(attachment.id, attachment);
  core.events.emit('message.update', { message });
  return message;
}

const USER_MENTION = /<@!?(\d{1,20})>/g;

/**
 * The users a message mentions: `<@id>` in its content, for users that exist, kept by
 * `allowed_mentions` (absent, everything is parsed; `parse` without "users" and no `users` list
 * mentions no one).
 */
function mentionedUsers(core: EmulatorCore, content: string, allowed: AllowedMentions | null | undefined): string[] {
  const ids = new Set([...content.matchAll(USER_MENTION)].map((match) => match[1]!));
  const existing = [...ids].filter((id) => core.store.users.has(id));
  if (!allowed) return existing;
  if (allowed.parse?.includes('users')) return existing;
  const listed = new Set(allowed.users ?? []);
  return existing.filter((id) => listed.has(id));
}

function notifiedBy(message: StoredMessage): string[] {
  if ((message.flags & MessageFlag.SuppressNotifications) !== 0) return [];
  return message.mentions.filter((id) => id !== message.authorId);
}

function editedFlags(current: number, requested: number | null | undefined): number {
  let flags = current & ~MessageFlag.Loading;
  if (requested == null) return flags;
  flags = (flags & ~MessageFlag.SuppressEmbeds) | (requested & MessageFlag.SuppressEmbeds);
  // A message can become a components v2 message, never the other way round.
  return flags | (requested & MessageFlag.IsComponentsV2);
}

export function deleteMessage(core: EmulatorCore, message: StoredMessage): void {
  core.store.removeMessage(message);
  core.events.emit('message.delete', { message });
}

interface AttachmentContext {
  channelId: string;
  ephemeral: boolean;
  existing: readonly StoredAttachment[];
  root: readonly PropertyKey[];
}

/**
 * Pairs `attachments[].id` with `files[n]` (message.mdx:679): an id names either a new upload or an
 * attachment the message already has. Files no entry names are attached as well, as Discord does.
 */
function resolveAttachments(
  core: EmulatorCore,
  body: MessageBody,
  files: readonly UploadedFile[],
  context: AttachmentContext,
): StoredAttachment[] {
  const filesByIndex = new Map(files.map((file) => [file.index, file]));
  const used = new Set<UploadedFile>();
  const problems: FieldError[] = [];
  const result: StoredAttachment[] = [];
  const entries =
    body.attachments === undefined
      ? context.existing.map((attachment) => ({ id: attachment.id }))
      : (body.attachments ?? []);
  entries.forEach((entry, position) => {
    const id = String(entry.id);
    const file = filesByIndex.get(id);
    const kept = context.existing.find((attachment) => attachment.id === id);
    const description = 'description' in entry ? (entry.description ?? null) : null;
    if (file && !used.has(file)) {
      used.add(file);
      const filename = 'filename' in entry && entry.filename ? entry.filename : file.filename;
      result.push(newAttachment(core, file, filename, description, context));
    } else if (kept) {
      result.push(description === null ? kept : { ...kept, description });
    } else {
      problems.push({
        path: [...context.root, 'attachments', position, 'id'],
        code: 'ATTACHMENT_NOT_FOUND',
        message: `Attachment with id ${id} was not found in the request or on the message`,
      });
    }
  });
  if (problems.length > 0) throw discordErrors.invalidFormBody(toFormErrors(problems));
  for (const file of files) if (!used.has(file)) result.push(newAttachment(core, file, file.filename, null, context));
  return result;
}

function newAttachment(
  core: EmulatorCore,
  file: UploadedFile,
  filename: string,
  description: string | null,
  context: AttachmentContext,
): StoredAttachment {
  const size = imageSize(file.bytes);
  return {
    id: core.ids.next(),
    channelId: context.channelId,
    filename,
    contentType: contentTypeFor(filename, file.contentType),
    bytes: file.bytes,
    description,
    title: null,
    ephemeral: context.ephemeral,
    width: size?.width ?? null,
    height: size?.height ?? null,
  };
}
