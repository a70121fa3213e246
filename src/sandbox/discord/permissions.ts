/** Discord's permission bits (developers/topics/permissions.mdx). */
export const Permission = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewAuditLog: 1n << 7n,
  PrioritySpeaker: 1n << 8n,
  Stream: 1n << 9n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  SendTTSMessages: 1n << 12n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  ViewGuildInsights: 1n << 19n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  MuteMembers: 1n << 22n,
  DeafenMembers: 1n << 23n,
  MoveMembers: 1n << 24n,
  UseVAD: 1n << 25n,
  ChangeNickname: 1n << 26n,
  ManageNicknames: 1n << 27n,
  ManageRoles: 1n << 28n,
  ManageWebhooks: 1n << 29n,
  ManageGuildExpressions: 1n << 30n,
  UseApplicationCommands: 1n << 31n,
  RequestToSpeak: 1n << 32n,
  ManageEvents: 1n << 33n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  UseExternalStickers: 1n << 37n,
  SendMessagesInThreads: 1n << 38n,
  UseEmbeddedActivities: 1n << 39n,
  ModerateMembers: 1n << 40n,
  ViewCreatorMonetizationAnalytics: 1n << 41n,
  UseSoundboard: 1n << 42n,
  CreateGuildExpressions: 1n << 43n,
  CreateEvents: 1n << 44n,
  UseExternalSounds: 1n << 45n,
  SendVoiceMessages: 1n << 46n,
  SetVoiceChannelStatus: 1n << 48n,
  SendPolls: 1n << 49n,
  UseExternalApps: 1n << 50n,
  PinMessages: 1n << 51n,
  BypassSlowmode: 1n << 52n,
} as const;

export type PermissionName = keyof typeof Permission;
export const PERMISSION_NAMES = Object.keys(Permission) as [PermissionName, ...PermissionName[]];

export const ALL_PERMISSIONS = Object.values(Permission).reduce((all, bit) => all | bit, 0n);

/** What @everyone gets in a new Discord server, roughly: read, write, react, use apps. */
export const DEFAULT_EVERYONE_PERMISSIONS = permissionsOf([
  'CreateInstantInvite',
  'AddReactions',
  'Stream',
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'AttachFiles',
  'ReadMessageHistory',
  'MentionEveryone',
  'UseExternalEmojis',
  'Connect',
  'Speak',
  'UseVAD',
  'ChangeNickname',
  'UseApplicationCommands',
  'RequestToSpeak',
  'CreatePublicThreads',
  'CreatePrivateThreads',
  'UseExternalStickers',
  'SendMessagesInThreads',
  'UseEmbeddedActivities',
  'SendVoiceMessages',
  'SendPolls',
  'UseExternalApps',
]);

export function permissionsOf(names: readonly PermissionName[]): bigint {
  return names.reduce((bits, name) => bits | Permission[name], 0n);
}

export function hasPermission(bits: bigint, permission: bigint): boolean {
  return (bits & permission) === permission;
}

export interface PermissionOverwrite {
  id: string;
  /** 0 = role, 1 = member. */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

/** The facts permission computation needs, so it stays a pure function. */
export interface PermissionSubject {
  guildId: string;
  ownerId: string;
  userId: string;
  /** Permissions of @everyone (the role whose id is the guild id). */
  everyone: bigint;
  /** The member's roles other than @everyone. */
  roles: readonly { id: string; permissions: bigint }[];
}

/** Guild-level permissions (permissions.mdx, "Permission Hierarchy"). */
export function basePermissions(subject: PermissionSubject): bigint {
  if (subject.userId === subject.ownerId) return ALL_PERMISSIONS;
  const bits = subject.roles.reduce((all, role) => all | role.permissions, subject.everyone);
  return hasPermission(bits, Permission.Administrator) ? ALL_PERMISSIONS : bits;
}

/**
 * Channel permissions: base, then the @everyone overwrite, then all role overwrites together,
 * then the member overwrite. Without View Channel nothing else applies, and without Send Messages
 * the permissions that only make sense when sending are implicitly denied too.
 */
export function channelPermissions(subject: PermissionSubject, overwrites: readonly PermissionOverwrite[]): bigint {
  let bits = basePermissions(subject);
  if (hasPermission(bits, Permission.Administrator)) return ALL_PERMISSIONS;
  const everyone = overwrites.find((overwrite) => overwrite.type === 0 && overwrite.id === subject.guildId);
  if (everyone) bits = (bits & ~everyone.deny) | everyone.allow;
  const roleIds = new Set(subject.roles.map((role) => role.id));
  let roleDeny = 0n;
  let roleAllow = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 0 && roleIds.has(overwrite.id)) {
      roleDeny |= overwrite.deny;
      roleAllow |= overwrite.allow;
    }
  }
  bits = (bits & ~roleDeny) | roleAllow;
  const member = overwrites.find((overwrite) => overwrite.type === 1 && overwrite.id === subject.userId);
  if (member) bits = (bits & ~member.deny) | member.allow;
  if (!hasPermission(bits, Permission.ViewChannel)) return 0n;
  if (!hasPermission(bits, Permission.SendMessages)) {
    bits &= ~(Permission.SendTTSMessages | Permission.MentionEveryone | Permission.AttachFiles | Permission.EmbedLinks);
  }
  return bits;
}
