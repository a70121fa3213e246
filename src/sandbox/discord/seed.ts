import { permissionsOf } from './permissions.js';
import type { Store } from './state/store.js';

/** Ids of the default "Playground" guild, for tests and the playground page. */
export interface Seed {
  guildId: string;
  channels: { imagine: string; modLog: string };
  roles: { everyone: string; moderator: string; bot: string };
  users: { owner: string; alice: string; bob: string; lucia: string; mia: string };
  botUserId: string;
  applicationId: string;
}

const BOT_PERMISSIONS = permissionsOf([
  'ViewChannel',
  'SendMessages',
  'EmbedLinks',
  'AttachFiles',
  'ReadMessageHistory',
  'AddReactions',
  'UseExternalEmojis',
]);

/**
 * The playground guild: `#imagine` open to everyone, `#mod-log` hidden from @everyone but open to
 * moderators (read) and the bot (read and post); alice and bob are plain members, and so is lucia,
 * whose client speaks Spanish (`es-ES`); mia moderates (Manage Messages + Manage Server). The owner is a separate user so nobody else gets owner rights.
 */
export function seedPlayground(store: Store, bot: { userId: string; applicationId: string }): Seed {
  const owner = store.createUser({ username: 'owner', globalName: 'Server Owner' });
  const guild = store.createGuild({ name: 'Playground', ownerId: owner.id });
  const moderator = store.createRole(guild.id, {
    name: 'Moderator',
    permissions: permissionsOf(['ManageMessages', 'ManageGuild']),
    hoist: true,
  });
  const botRole = store.createRole(guild.id, { name: 'Imagine', permissions: BOT_PERMISSIONS, managed: true });
  const imagine = store.createChannel(guild.id, { name: 'imagine', topic: 'Make pictures with /imagine' });
  const modLog = store.createChannel(guild.id, {
    name: 'mod-log',
    topic: 'Moderation log',
    overwrites: [
      { id: guild.id, type: 0, allow: 0n, deny: permissionsOf(['ViewChannel']) },
      { id: moderator.id, type: 0, allow: permissionsOf(['ViewChannel', 'ReadMessageHistory']), deny: 0n },
      { id: botRole.id, type: 0, allow: BOT_PERMISSIONS, deny: 0n },
    ],
  });
  const alice = store.createUser({ username: 'alice', globalName: 'Alice' });
  const bob = store.createUser({ username: 'bob', globalName: 'Bob' });
  const lucia = store.createUser({ username: 'lucia', globalName: 'Lucía', locale: 'es-ES' });
  const mia = store.createUser({ username: 'mia', globalName: 'Mia' });
  store.addMember(guild.id, alice.id, []);
  store.addMember(guild.id, bob.id, []);
  store.addMember(guild.id, lucia.id, []);
  store.addMember(guild.id, mia.id, [moderator.id]);
  store.addMember(guild.id, bot.userId, [botRole.id]);
  return {
    guildId: guild.id,
    channels: { imagine: imagine.id, modLog: modLog.id },
    roles: { everyone: guild.id, moderator: moderator.id, bot: botRole.id },
    users: { owner: owner.id, alice: alice.id, bob: bob.id, lucia: lucia.id, mia: mia.id },
    botUserId: bot.userId,
    applicationId: bot.applicationId,
  };
}
