import type { EmulatorCore } from '../core.js';
import { userJson } from '../state/serialize.js';
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
  { method: 'GET', template: '/users/@me', auth: 'bot', handle: ({ core }) => ok(userJson(core.store.requireUser(core.botUserId))) },
  { method: 'GET', template: '/users/:user', auth: 'bot', handle: ({ core, params }) => ok(userJson(core.store.requireUser(params.user ?? ''))) },
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
    flags: 0,
    team: null,
    tags: [],
    approximate_guild_count: 1,
    integration_types_config: { '0': {} },
  };
}
