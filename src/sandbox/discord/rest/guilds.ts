import { discordErrors } from '../errors.js';
import { channelJson, guildJson, memberJson, roleJson } from '../state/serialize.js';
import type { Guild } from '../state/types.js';
import { ok, type RestContext, type RestRoute } from './route.js';

/** Read-only guild routes; a guild the bot is not in is 50001 Missing Access, like on Discord. */
function guildOf({ core, params }: RestContext): Guild {
  const guild = core.store.requireGuild(params.guild ?? '');
  if (!guild.members.has(core.botUserId)) throw discordErrors.missingAccess();
  return guild;
}

export const guildRoutes: readonly RestRoute[] = [
  {
    method: 'GET',
    template: '/guilds/:guild',
    auth: 'bot',
    handle: (context) => {
      const guild = guildOf(context);
      const counts =
        context.query.get('with_counts') === 'true'
          ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 }
          : {};
      return ok({ ...guildJson(guild), ...counts });
    },
  },
  {
    method: 'GET',
    template: '/guilds/:guild/roles',
    auth: 'bot',
    handle: (context) => ok([...guildOf(context).roles.values()].map(roleJson)),
  },
  {
    method: 'GET',
    template: '/guilds/:guild/channels',
    auth: 'bot',
    handle: (context) => {
      const guild = guildOf(context);
      const channels = guild.channelIds.flatMap((id) => {
        const channel = context.core.store.channels.get(id);
        return channel ? [channelJson(channel, context.core.store)] : [];
      });
      return ok(channels);
    },
  },
  {
    method: 'GET',
    template: '/guilds/:guild/members/:user',
    auth: 'bot',
    handle: (context) => {
      const member = guildOf(context).members.get(context.params.user ?? '');
      if (!member) throw discordErrors.unknownMember();
      return ok(memberJson(member, context.core.store));
    },
  },
];
