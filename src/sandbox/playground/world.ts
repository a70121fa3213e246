import type { DiscordEmulator } from '../discord/index.js';
import { Permission, hasPermission } from '../discord/permissions.js';

/** A member the page can act as. */
export interface PlaygroundMember {
  id: string;
  username: string;
  displayName: string;
  /** Names of the member's roles other than @everyone ("Moderator"). */
  roles: string[];
  /** Guild permissions as a decimal bit field, to hide commands whose `default_member_permissions` they lack. */
  permissions: string;
  /** Channels the member can view. */
  viewableChannelIds: string[];
}

export interface PlaygroundChannel {
  id: string;
  name: string;
  topic: string | null;
  /** Names of the roles a permission overwrite lets in, for a channel hidden from @everyone. */
  openTo: string[] | null;
}

/** Everything the page needs to know about the seeded guild, in one answer (`GET /api/world`). */
export interface PlaygroundWorld {
  guild: { id: string; name: string };
  botUserId: string;
  /** Where the emulator serves attachments; the page fetches them through the playground instead. */
  emulatorOrigin: string;
  channels: PlaygroundChannel[];
  members: PlaygroundMember[];
  /** Display names by id, for `<@id>`, `<@&id>` and `<#id>` in messages. */
  names: { users: Record<string, string>; roles: Record<string, string>; channels: Record<string, string> };
}

/** The page acts as these seeded members, in this order: two plain members and a moderator. */
const ACTORS = ['alice', 'bob', 'mia'] as const;

export function playgroundWorld(emulator: DiscordEmulator): PlaygroundWorld {
  const { seed } = emulator;
  const { store } = emulator.core;
  const guild = store.requireGuild(seed.guildId);
  const channels = guild.channelIds.map((id) => store.requireChannel(id));
  const displayName = (userId: string) => {
    const user = store.requireUser(userId);
    return user.globalName ?? user.username;
  };
  const roleName = (roleId: string) => guild.roles.get(roleId)?.name ?? 'unknown role';
  return {
    guild: { id: guild.id, name: guild.name },
    botUserId: emulator.botUserId,
    emulatorOrigin: emulator.baseUrl,
    channels: channels.map((channel) => {
      const everyone = channel.overwrites.find((overwrite) => overwrite.type === 0 && overwrite.id === guild.id);
      const hidden = everyone !== undefined && hasPermission(everyone.deny, Permission.ViewChannel);
      // Managed roles (the bot's own) are no way in for a member, so they are not named.
      const openTo = channel.overwrites
        .filter(
          (overwrite) =>
            overwrite.type === 0 &&
            hasPermission(overwrite.allow, Permission.ViewChannel) &&
            !guild.roles.get(overwrite.id)?.managed,
        )
        .map((overwrite) => roleName(overwrite.id));
      return { id: channel.id, name: channel.name, topic: channel.topic, openTo: hidden ? openTo : null };
    }),
    members: ACTORS.map((actor) => {
      const userId = seed.users[actor];
      const member = guild.members.get(userId);
      return {
        id: userId,
        username: store.requireUser(userId).username,
        displayName: displayName(userId),
        roles: (member?.roleIds ?? []).filter((id) => id !== guild.id).map(roleName),
        permissions: store.guildPermissions(guild.id, userId).toString(),
        viewableChannelIds: channels
          .filter((channel) => hasPermission(store.channelPermissions(channel, userId), Permission.ViewChannel))
          .map((channel) => channel.id),
      };
    }),
    names: {
      users: Object.fromEntries([...guild.members.keys()].map((userId) => [userId, displayName(userId)])),
      roles: Object.fromEntries([...guild.roles.values()].map((role) => [role.id, role.name])),
      channels: Object.fromEntries(channels.map((channel) => [channel.id, channel.name])),
    },
  };
}
