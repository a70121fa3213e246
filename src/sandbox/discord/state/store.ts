import type { Clock } from '../clock.js';
import { ChannelType } from '../constants.js';
import { discordErrors } from '../errors.js';
import { DEFAULT_LOCALE, type Locale } from '../locales.js';
import {
  type PermissionOverwrite,
  type PermissionSubject,
  basePermissions,
  channelPermissions,
  DEFAULT_EVERYONE_PERMISSIONS,
} from '../permissions.js';
import type { SnowflakeGenerator } from '../snowflake.js';
import type {
  ApplicationCommand,
  Channel,
  DmChannel,
  Guild,
  InteractionRecord,
  Member,
  Role,
  StoredAttachment,
  StoredMessage,
  User,
} from './types.js';

export interface NewRole {
  name: string;
  permissions: bigint;
  color?: number;
  hoist?: boolean;
  managed?: boolean;
  mentionable?: boolean;
}

export interface NewChannel {
  name: string;
  type?: number;
  topic?: string | null;
  parentId?: string | null;
  overwrites?: PermissionOverwrite[];
}

/**
 * Everything the emulated Discord knows, in memory. The store holds data and answers lookups;
 * it emits nothing. Operations that other parties must hear about live in the emulator's services.
 */
export class Store {
  readonly users = new Map<string, User>();
  readonly guilds = new Map<string, Guild>();
  readonly channels = new Map<string, Channel>();
  /** DM channels by id; one per user. */
  readonly dmChannels = new Map<string, DmChannel>();
  readonly messages = new Map<string, StoredMessage>();
  readonly attachments = new Map<string, StoredAttachment>();
  readonly commands = new Map<string, ApplicationCommand>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly #channelMessages = new Map<string, string[]>();
  readonly #interactionByToken = new Map<string, string>();

  constructor(
    private readonly ids: SnowflakeGenerator,
    private readonly clock: Clock,
  ) {}

  createUser(input: {
    username: string;
    globalName?: string | null;
    bot?: boolean;
    id?: string;
    locale?: Locale;
  }): User {
    const user: User = {
      id: input.id ?? this.ids.next(),
      username: input.username,
      globalName: input.globalName ?? null,
      bot: input.bot ?? false,
      locale: input.locale ?? DEFAULT_LOCALE,
      acceptsDirectMessages: true,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A guild with its @everyone role; `shard` picks an id that gateway shard owns. */
  createGuild(input: { name: string; ownerId: string; shard?: readonly [number, number] }): Guild {
    const id = input.shard ? this.ids.nextOnShard(input.shard[0], input.shard[1]) : this.ids.next();
    const guild: Guild = {
      id,
      name: input.name,
      ownerId: input.ownerId,
      roles: new Map(),
      members: new Map(),
      channelIds: [],
    };
    const everyone = { name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS, position: 0, color: 0 };
    guild.roles.set(id, { id, guildId: id, ...everyone, hoist: false, managed: false, mentionable: false });
    this.guilds.set(id, guild);
    this.addMember(id, input.ownerId, []);
    return guild;
  }

  createRole(guildId: string, input: NewRole): Role {
    const guild = this.requireGuild(guildId);
    const role: Role = {
      id: this.ids.next(),
      guildId,
      name: input.name,
      permissions: input.permissions,
      position: guild.roles.size,
      color: input.color ?? 0,
      hoist: input.hoist ?? false,
      managed: input.managed ?? false,
      mentionable: input.mentionable ?? false,
    };
    guild.roles.set(role.id, role);
    return role;
  }

  addMember(guildId: string, userId: string, roleIds: readonly string[]): Member {
    const guild = this.requireGuild(guildId);
    this.requireUser(userId);
    for (const roleId of roleIds)
      if (!guild.roles.has(roleId)) throw new Error(`Unknown role ${roleId} in guild ${guildId}`);
    const member: Member = { userId, guildId, roleIds: [...roleIds], joinedAt: this.clock.now(), nick: null };
    guild.members.set(userId, member);
    return member;
  }

  createChannel(guildId: string, input: NewChannel): Channel {
    const guild = this.requireGuild(guildId);
    const channel: Channel = {
      id: this.ids.next(),
      guildId,
      name: input.name,
      type: input.type ?? ChannelType.GuildText,
      position: guild.channelIds.length,
      parentId: input.parentId ?? null,
      topic: input.topic ?? null,
      overwrites: input.overwrites ?? [],
    };
    this.channels.set(channel.id, channel);
    guild.channelIds.push(channel.id);
    this.#channelMessages.set(channel.id, []);
    return channel;
  }

  /** The bot's DM channel with a user, made the first time it is asked for. */
  dmChannelWith(userId: string): DmChannel {
    this.requireUser(userId);
    for (const channel of this.dmChannels.values()) if (channel.userId === userId) return channel;
    const channel: DmChannel = { id: this.ids.next(), userId };
    this.dmChannels.set(channel.id, channel);
    this.#channelMessages.set(channel.id, []);
    return channel;
  }

  requireUser(id: string): User {
    const user = this.users.get(id);
    if (!user) throw discordErrors.unknownUser();
    return user;
  }

  requireGuild(id: string): Guild {
    const guild = this.guilds.get(id);
    if (!guild) throw discordErrors.unknownGuild();
    return guild;
  }

  requireChannel(id: string): Channel {
    const channel = this.channels.get(id);
    if (!channel) throw discordErrors.unknownChannel();
    return channel;
  }

  member(guildId: string, userId: string): Member | undefined {
    return this.guilds.get(guildId)?.members.get(userId);
  }

  guildPermissions(guildId: string, userId: string): bigint {
    const subject = this.#subject(guildId, userId);
    return subject ? basePermissions(subject) : 0n;
  }

  channelPermissions(channel: Channel, userId: string): bigint {
    const subject = this.#subject(channel.guildId, userId);
    return subject ? channelPermissions(subject, channel.overwrites) : 0n;
  }

  #subject(guildId: string, userId: string): PermissionSubject | undefined {
    const guild = this.guilds.get(guildId);
    const member = guild?.members.get(userId);
    if (!guild || !member) return undefined;
    const roles = member.roleIds.flatMap((id) => {
      const role = guild.roles.get(id);
      return role ? [role] : [];
    });
    return { guildId, ownerId: guild.ownerId, userId, everyone: guild.roles.get(guildId)?.permissions ?? 0n, roles };
  }

  /** A channel's messages, oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return (this.#channelMessages.get(channelId) ?? []).flatMap((id) => {
      const message = this.messages.get(id);
      return message ? [message] : [];
    });
  }

  /** The newest message everyone can see; walks back from the end, so usually one step. */
  lastPublicMessageId(channelId: string): string | null {
    const ids = this.#channelMessages.get(channelId) ?? [];
    for (let index = ids.length - 1; index >= 0; index -= 1) {
      const message = this.messages.get(ids[index] ?? '');
      if (message && message.visibleTo === null) return message.id;
    }
    return null;
  }

  addMessage(message: StoredMessage): void {
    this.messages.set(message.id, message);
    const list = this.#channelMessages.get(message.channelId) ?? [];
    list.push(message.id);
    this.#channelMessages.set(message.channelId, list);
    for (const attachment of message.attachments) this.attachments.set(attachment.id, attachment);
  }

  removeMessage(message: StoredMessage): void {
    this.messages.delete(message.id);
    const list = this.#channelMessages.get(message.channelId);
    if (list)
      this.#channelMessages.set(
        message.channelId,
        list.filter((id) => id !== message.id),
      );
    for (const attachment of message.attachments) this.attachments.delete(attachment.id);
  }

  addInteraction(record: InteractionRecord): void {
    this.interactions.set(record.id, record);
    this.#interactionByToken.set(record.token, record.id);
  }

  interactionByToken(token: string): InteractionRecord | undefined {
    const id = this.#interactionByToken.get(token);
    return id ? this.interactions.get(id) : undefined;
  }

  /** Commands a user sees in a guild: the guild's own first, then global ones. */
  commandsFor(guildId: string | null): ApplicationCommand[] {
    const all = [...this.commands.values()];
    return [
      ...all.filter((command) => command.guildId === guildId && guildId !== null),
      ...all.filter((command) => command.guildId === null),
    ];
  }
}
