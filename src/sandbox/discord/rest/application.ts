import type { EmulatorCore } from '../core.js';
import { currentUserJson, userJson } from '../state/serialize.js';
import { ok, type RestRoute } from './route.js';

const SESSION_START_TOTAL = 1000;

/** Gateway discovery and who-am-I routes: the first calls `client.login()` makes. */
export const applicationRoutes: readonly RestRoute[] = [
  {
    method: 'GET',
    template: '/gateway/bot',
    auth: 'bot',
    // discord.js refuses to connect when `remaining` < shard count (notes §1).
    handle: ({ core }) =>
      ok({
        url: core.gateway.url,
        shards: core.gateway.shards,
        session_start_limit: {
          total: SESSION_START_TOTAL,
          remaining: Math.max(core.gateway.shards, SESSION_START_TOTAL - core.gateway.identifies),
          reset_after: 86_400_000,
          max_concurrency: core.gateway.maxConcurrency,
        },
      }),
  },
  { method: 'GET', template: '/gateway', auth: 'none', handle: ({ core }) => ok({ url: core.gateway.url }) },
  {
    method: 'GET',
    template: '/users/@me',
    auth: 'bot',
    handle: ({ core }) => ok(currentUserJson(core.store.requireUser(core.botUserId))),
  },
  {
    method: 'GET',
    template: '/users/:user',
    auth: 'bot',
    handle: ({ core, params }) => ok(userJson(core.store.requireUser(params.user ?? ''))),
  },
  { method: 'GET', template: '/applications/@me', auth: 'bot', handle: ({ core }) => ok(applicationJson(core)) },
  { method: 'GET', template: '/oauth2/applications/@me', auth: 'bot', handle: ({ core }) => ok(applicationJson(core)) },
];

function applicationJson(core: EmulatorCore): Record<string, unknown> {
  const bot = core.store.requireUser(core.botUserId);
  return {
    id: core.applicationId,
    name: bot.username,
    icon: null,
    description: 'Discord emulator application',
    bot_public: true,
    bot_require_code_grant: false,
    bot: userJson(bot),
    owner: userJson(bot),
    verify_key: '0'.repeat(64),
    // `type` is null for ordinary applications (4 is a creator monetization one).
    type: null,
    flags: 0,
    flags_new: '0',
    team: null,
    tags: [],
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
    approximate_guild_count: [...core.store.guilds.values()].filter((guild) => guild.members.has(core.botUserId))
      .length,
    approximate_user_install_count: 0,
    approximate_user_authorization_count: 0,
    explicit_content_filter: 0,
    eligible_oauth2_scopes: ['bot', 'applications.commands'],
    integration_types_config: { '0': {} },
  };
}
