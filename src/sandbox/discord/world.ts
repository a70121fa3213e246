import type { EmulatorCore } from './core.js';
import { EmulatorUsageError } from './errors.js';
import type { Locale } from './locales.js';
import { type PermissionName, type PermissionOverwrite, permissionsOf } from './permissions.js';
import type { Channel, Guild, Member, Role, User } from './state/types.js';

/**
 * Building the emulated world at run time (users, roles, channels, guilds). Each change is announced
 * on the event bus so connected bots receive the matching gateway event and keep their caches right.
 */
export interface CreateUserInput {
  username: string;
  globalName?: string | null;
  /** The client's language, sent as the interaction's `locale`; `en-US` when omitted. */
  locale?: Locale;
  /** Guild to join; the seeded guild when omitted. `null` creates a user outside any guild. */
  guildId?: string | null;
  roleIds?: string[];
  /** Shortcuts that give the member a role with Manage Server / Manage Messages. */
  manageGuild?: boolean;
  manageMessages?: boolean;
}

export interface CreateRoleInput {
  name: string;
  /** Permission names, or a bitfield as a decimal string. */
  permissions?: PermissionName[] | string;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export interface OverwriteInput {
  id: string;
  type: 'role' | 'member';
  allow?: PermissionName[];
  deny?: PermissionName[];
}

export interface CreateChannelInput {
  name: string;
  topic?: string | null;
  overwrites?: OverwriteInput[];
}

export function createUser(
  core: EmulatorCore,
  input: CreateUserInput,
  defaultGuildId: string | null,
): { user: User; member: Member | null } {
  const user = core.store.createUser({
    username: input.username,
    globalName: input.globalName ?? null,
    ...(input.locale ? { locale: input.locale } : {}),
  });
  const guildId = input.guildId === undefined ? defaultGuildId : input.guildId;
  if (guildId === null) return { user, member: null };
  const roleIds = [...(input.roleIds ?? [])];
  if (input.manageGuild) roleIds.push(permissionRole(core, guildId, 'Manage Server', 'ManageGuild').id);
  if (input.manageMessages) roleIds.push(permissionRole(core, guildId, 'Manage Messages', 'ManageMessages').id);
  const guild = core.store.requireGuild(guildId);
  const unknown = roleIds.find((id) => !guild.roles.has(id));
  if (unknown) throw new EmulatorUsageError(400, 'unknown_role', `Guild ${guildId} has no role ${unknown}`);
  const member = core.store.addMember(guildId, user.id, [...new Set(roleIds)]);
  core.events.emit('member.add', { member });
  return { user, member };
}

/**
 * A member switched their client's language. Discord tells the bot nothing until the member's next
 * interaction, which carries the new `locale`; so no event is emitted.
 */
export function setUserLocale(core: EmulatorCore, userId: string, locale: Locale): User {
  const user = core.store.requireUser(userId);
  user.locale = locale;
  return user;
}

/** One shared role per permission shortcut, made the first time it is asked for. */
function permissionRole(core: EmulatorCore, guildId: string, name: string, permission: PermissionName): Role {
  const guild = core.store.requireGuild(guildId);
  const existing = [...guild.roles.values()].find((role) => role.name === name);
  return existing ?? createRole(core, guildId, { name, permissions: [permission] });
}

export function createRole(core: EmulatorCore, guildId: string, input: CreateRoleInput): Role {
  const permissions =
    typeof input.permissions === 'string' ? BigInt(input.permissions) : permissionsOf(input.permissions ?? []);
  const role = core.store.createRole(guildId, {
    name: input.name,
    permissions,
    ...(input.color !== undefined ? { color: input.color } : {}),
    ...(input.hoist !== undefined ? { hoist: input.hoist } : {}),
    ...(input.mentionable !== undefined ? { mentionable: input.mentionable } : {}),
  });
  core.events.emit('role.create', { role });
  return role;
}

export function createChannel(core: EmulatorCore, guildId: string, input: CreateChannelInput): Channel {
  const overwrites: PermissionOverwrite[] = (input.overwrites ?? []).map((overwrite) => ({
    id: overwrite.id,
    type: overwrite.type === 'role' ? 0 : 1,
    allow: permissionsOf(overwrite.allow ?? []),
    deny: permissionsOf(overwrite.deny ?? []),
  }));
  const channel = core.store.createChannel(guildId, { name: input.name, topic: input.topic ?? null, overwrites });
  core.events.emit('channel.create', { channel });
  return channel;
}

/** A guild the bot has joined, with a `#general` channel; `shard` picks an id that shard owns. */
export function createGuild(
  core: EmulatorCore,
  input: { name: string; ownerId?: string; shard?: [number, number] },
): { guild: Guild; generalChannelId: string } {
  const ownerId =
    input.ownerId ?? core.store.createUser({ username: `${input.name.toLowerCase().replace(/\W+/g, '-')}-owner` }).id;
  const guild = core.store.createGuild({ name: input.name, ownerId, ...(input.shard ? { shard: input.shard } : {}) });
  core.store.addMember(guild.id, core.botUserId, []);
  const general = core.store.createChannel(guild.id, { name: 'general' });
  core.events.emit('guild.create', { guild });
  return { guild, generalChannelId: general.id };
}
