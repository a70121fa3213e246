import { ChannelType } from '../constants.js';
import type { Locale } from '../locales.js';
import type { CommandOption } from '../validate/commands.js';
import type { Localizations } from '../validate/localizations.js';
import type { Store } from './store.js';
import type {
  ApplicationCommand,
  Channel,
  DmChannel,
  Guild,
  Member,
  Role,
  StoredAttachment,
  StoredMessage,
  User,
} from './types.js';

/** Discord JSON for the emulator's state. Field sets follow what discord.js reads (see the notes, §2). */
export interface SerializeContext {
  store: Store;
  /** `http://127.0.0.1:PORT`, where attachments are served. */
  baseUrl: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface UserJson {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: null;
  bot: boolean;
  system: boolean;
  public_flags: number;
  flags: number;
  banner: null;
  accent_color: null;
  avatar_decoration_data: null;
  collectibles: null;
  primary_guild: null;
}

export interface AttachmentJson {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  description?: string;
  title?: string;
  width?: number;
  height?: number | null;
  ephemeral?: boolean;
}

export interface MessageInteractionMetadataJson {
  id: string;
  type: number;
  user: UserJson;
  authorizing_integration_owners: Record<string, string>;
  name?: string;
  original_response_message_id?: string;
  interacted_message_id?: string;
  triggering_interaction_metadata?: Omit<MessageInteractionMetadataJson, 'triggering_interaction_metadata'>;
  target_message_id?: string;
}

/** A message as Discord's REST API and gateway return it (the fields the emulator produces). */
export interface MessageJson {
  id: string;
  type: number;
  channel_id: string;
  /** Absent in DMs. */
  guild_id?: string;
  author: UserJson;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: string[];
  attachments: AttachmentJson[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  flags: number;
  nonce?: string | number;
  webhook_id?: string;
  application_id?: string;
  message_reference?: { type: number; message_id: string; channel_id: string; guild_id?: string };
  interaction_metadata?: MessageInteractionMetadataJson;
  interaction?: { id: string; type: number; name: string; user: UserJson };
}

export function userJson(user: User): UserJson {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: null,
    bot: user.bot,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    // Required (nullable) in Discord's spec: the server tag a user shows, none here.
    primary_guild: null,
  };
}

/** GET /users/@me adds the private fields of the current user (UserPIIResponse in the spec). */
export function currentUserJson(
  user: User,
): UserJson & { mfa_enabled: boolean; locale: string; verified: boolean; email: null } {
  return { ...userJson(user), mfa_enabled: false, locale: user.locale, verified: true, email: null };
}

export function roleJson(role: Role): Record<string, unknown> {
  return {
    id: role.id,
    name: role.name,
    permissions: role.permissions.toString(),
    position: role.position,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    managed: role.managed,
    mentionable: role.mentionable,
    icon: null,
    unicode_emoji: null,
    flags: 0,
  };
}

export function memberJson(member: Member, store: Store): Record<string, unknown> {
  return {
    user: userJson(store.requireUser(member.userId)),
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: member.roleIds,
    joined_at: iso(member.joinedAt),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A DM channel as `POST /users/@me/channels` and `GET /channels/{id}` return it (PrivateChannelResponse). */
export function privateChannelJson(channel: DmChannel, store: Store): Record<string, unknown> {
  return {
    id: channel.id,
    type: ChannelType.DM,
    last_message_id: store.lastPublicMessageId(channel.id),
    flags: 0,
    recipients: [userJson(store.requireUser(channel.userId))],
  };
}

export function channelJson(channel: Channel, store: Store): Record<string, unknown> {
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    parent_id: channel.parentId,
    topic: channel.topic,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: store.lastPublicMessageId(channel.id),
    flags: 0,
    permission_overwrites: channel.overwrites.map((overwrite) => ({
      id: overwrite.id,
      type: overwrite.type,
      allow: overwrite.allow.toString(),
      deny: overwrite.deny.toString(),
    })),
  };
}

export function guildJson(guild: Guild): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    description: null,
    home_header: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    owner_id: guild.ownerId,
    application_id: null,
    // Voice regions moved to channels; Discord still sends the field with this value.
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [...guild.roles.values()].map(roleJson),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    preferred_locale: 'en-US',
    premium_tier: 0,
    premium_subscription_count: 0,
    nsfw: false,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    widget_enabled: false,
    widget_channel_id: null,
    vanity_url_code: null,
    max_presences: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    incidents_data: null,
  };
}

/** GUILD_CREATE: `unavailable: false` must be explicit, or discord.js keeps `guild.available === false`. */
export function guildCreateJson(guild: Guild, store: Store, botUserId: string): Record<string, unknown> {
  const members = [...guild.members.values()];
  return {
    ...guildJson(guild),
    unavailable: false,
    joined_at: iso(guild.members.get(botUserId)?.joinedAt ?? 0),
    large: false,
    member_count: members.length,
    members: members.map((member) => memberJson(member, store)),
    channels: guild.channelIds.flatMap((id) => {
      const channel = store.channels.get(id);
      return channel ? [channelJson(channel, store)] : [];
    }),
    threads: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function attachmentUrl(attachment: StoredAttachment, baseUrl: string): string {
  return `${baseUrl}/attachments/${attachment.channelId}/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
}

export function attachmentJson(attachment: StoredAttachment, baseUrl: string): AttachmentJson {
  const url = attachmentUrl(attachment, baseUrl);
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.bytes.length,
    url,
    proxy_url: url,
    content_type: attachment.contentType,
    ...(attachment.description !== null ? { description: attachment.description } : {}),
    ...(attachment.title !== null ? { title: attachment.title } : {}),
    ...(attachment.width !== null ? { width: attachment.width, height: attachment.height } : {}),
    ...(attachment.ephemeral ? { ephemeral: true } : {}),
  };
}

export function messageJson(message: StoredMessage, context: SerializeContext): MessageJson {
  const { store, baseUrl } = context;
  const interaction = message.interaction;
  const guildOwners = { '0': message.guildId };
  return {
    id: message.id,
    type: message.type,
    channel_id: message.channelId,
    ...(message.guildId ? { guild_id: message.guildId } : {}),
    author: userJson(store.requireUser(message.authorId)),
    content: message.content,
    timestamp: iso(message.createdAt),
    edited_timestamp: message.editedAt === null ? null : iso(message.editedAt),
    tts: message.tts,
    mention_everyone: false,
    mentions: message.mentions.map((id) => userJson(store.requireUser(id))),
    mention_roles: [],
    attachments: message.attachments.map((attachment) => attachmentJson(attachment, baseUrl)),
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    flags: message.flags,
    ...(message.nonce !== null ? { nonce: message.nonce } : {}),
    ...(message.webhookId ? { webhook_id: message.webhookId } : {}),
    ...(message.applicationId ? { application_id: message.applicationId } : {}),
    ...(message.referencedMessageId
      ? {
          message_reference: {
            type: 0,
            message_id: message.referencedMessageId,
            channel_id: message.channelId,
            ...(message.guildId ? { guild_id: message.guildId } : {}),
          },
        }
      : {}),
    ...(interaction
      ? {
          interaction_metadata: {
            id: interaction.id,
            type: interaction.type,
            user: userJson(store.requireUser(interaction.userId)),
            authorizing_integration_owners: guildOwners,
            ...(interaction.name !== undefined ? { name: interaction.name } : {}),
            ...(interaction.originalResponseMessageId
              ? { original_response_message_id: interaction.originalResponseMessageId }
              : {}),
            ...(interaction.interactedMessageId ? { interacted_message_id: interaction.interactedMessageId } : {}),
            ...(interaction.triggering
              ? {
                  triggering_interaction_metadata: {
                    id: interaction.triggering.id,
                    type: interaction.triggering.type,
                    user: userJson(store.requireUser(interaction.triggering.userId)),
                    authorizing_integration_owners: guildOwners,
                    ...(interaction.triggering.name !== undefined ? { name: interaction.triggering.name } : {}),
                    ...(interaction.triggering.interactedMessageId
                      ? { interacted_message_id: interaction.triggering.interactedMessageId }
                      : {}),
                  },
                }
              : {}),
            ...(interaction.targetMessageId ? { target_message_id: interaction.targetMessageId } : {}),
          },
          interaction: {
            id: interaction.id,
            type: interaction.type,
            name: interaction.name ?? '',
            user: userJson(store.requireUser(interaction.userId)),
          },
        }
      : {}),
  };
}

/** A command as Discord returns it, localization dictionaries included. */
export function commandJson(command: ApplicationCommand): Record<string, unknown> {
  return commandBody(command);
}

/**
 * A command as the batch GET without `with_localizations` returns it: no dictionaries, only
 * `name_localized`/`description_localized` in the requester's locale.
 */
export function localizedCommandJson(command: ApplicationCommand, locale: Locale | null): Record<string, unknown> {
  return commandBody(command, { locale });
}

function commandBody(command: ApplicationCommand, localized?: { locale: Locale | null }): Record<string, unknown> {
  const options = localized
    ? command.options.map((option) => localizedOption(option, localized.locale))
    : command.options;
  return {
    id: command.id,
    application_id: command.applicationId,
    version: command.version,
    default_member_permissions: command.defaultMemberPermissions,
    type: command.type,
    name: command.name,
    ...(localized
      ? localizedText('name', command.nameLocalizations, localized.locale)
      : { name_localizations: command.nameLocalizations }),
    description: command.description,
    ...(localized
      ? localizedText('description', command.descriptionLocalizations, localized.locale)
      : { description_localizations: command.descriptionLocalizations }),
    ...(command.guildId ? { guild_id: command.guildId } : {}),
    ...(options.length > 0 ? { options } : {}),
    dm_permission: true,
    contexts: command.contexts,
    integration_types: command.integrationTypes,
    nsfw: command.nsfw,
  };
}

/** `name_localized` when the dictionary has the locale; nothing otherwise. */
function localizedText(
  field: 'name' | 'description',
  localizations: Localizations | null | undefined,
  locale: Locale | null,
): Record<string, string> {
  const text = locale ? localizations?.[locale] : undefined;
  return text === undefined ? {} : { [`${field}_localized`]: text };
}

function localizedOption(option: CommandOption, locale: Locale | null): Record<string, unknown> {
  const { name_localizations, description_localizations, choices, options, ...rest } = option;
  return {
    ...rest,
    ...localizedText('name', name_localizations, locale),
    ...localizedText('description', description_localizations, locale),
    ...(choices
      ? {
          choices: choices.map(({ name_localizations: choiceLocalizations, ...choice }) => ({
            ...choice,
            ...localizedText('name', choiceLocalizations, locale),
          })),
        }
      : {}),
    ...(options ? { options: options.map((child) => localizedOption(child, locale)) } : {}),
  };
}
