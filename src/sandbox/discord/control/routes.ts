import { isManualClock } from '../clock.js';
import { EmulatorUsageError } from '../errors.js';
import type { ActionOptions } from '../emulator.js';
import { roleJson } from '../state/serialize.js';
import type { ControlContext, ControlResult, ControlRoute } from './control-api.js';
import * as schema from './schemas.js';
import { streamEvents } from './sse.js';

const json = (value: unknown, status = 200): ControlResult => ({ status, json: value });

/** `?wait=ack&timeout_ms=…` on interaction endpoints. */
function waitOptions(query: URLSearchParams): ActionOptions {
  const parsed = schema.waitQuery.parse(Object.fromEntries(query));
  return {
    ...(parsed.wait ? { wait: parsed.wait } : {}),
    ...(parsed.timeout_ms ? { timeoutMs: parsed.timeout_ms } : {}),
  };
}

/** A snapshot of guilds, channels, roles and members, for the playground page and for debugging. */
function state({ emulator }: ControlContext): ControlResult {
  const { store } = emulator.core;
  const guilds = [...store.guilds.values()].map((guild) => ({
    id: guild.id,
    name: guild.name,
    ownerId: guild.ownerId,
    roles: [...guild.roles.values()].map(roleJson),
    channels: guild.channelIds.flatMap((id) => {
      const channel = store.channels.get(id);
      return channel ? [{ id: channel.id, name: channel.name, type: channel.type, topic: channel.topic }] : [];
    }),
    members: [...guild.members.values()].map((member) => {
      const user = store.requireUser(member.userId);
      return {
        userId: user.id,
        username: user.username,
        globalName: user.globalName,
        bot: user.bot,
        locale: user.locale,
        roleIds: member.roleIds,
      };
    }),
  }));
  return json({ guilds });
}

function info({ emulator }: ControlContext): ControlResult {
  return json({
    restUrl: emulator.restUrl,
    gatewayUrl: emulator.gatewayUrl,
    controlUrl: emulator.controlUrl,
    token: emulator.token,
    applicationId: emulator.applicationId,
    botUserId: emulator.botUserId,
    seed: emulator.seeded ? emulator.seed : null,
    limits: emulator.limits,
    clock: { now: emulator.clock.now(), manual: isManualClock(emulator.clock) },
  });
}

function attachment({ emulator, params }: ControlContext): ControlResult {
  const stored = emulator.core.store.attachments.get(params.attachment ?? '');
  if (!stored) throw new EmulatorUsageError(404, 'unknown_attachment', `No attachment ${params.attachment ?? ''}`);
  return { status: 200, bytes: stored.bytes, contentType: stored.contentType };
}

export const controlRoutes: readonly ControlRoute[] = [
  { method: 'GET', template: '/', handle: info },
  { method: 'GET', template: '/state', handle: state },
  {
    method: 'GET',
    template: '/events',
    handle: ({ emulator, response }) => (streamEvents(emulator, response), { streamed: true }),
  },

  {
    method: 'POST',
    template: '/users',
    handle: ({ emulator, body }) => json(emulator.createUser(schema.createUserBody.parse(body)), 201),
  },
  {
    method: 'POST',
    template: '/users/:user/locale',
    handle: ({ emulator, params, body }) =>
      json(emulator.setUserLocale(params.user ?? '', schema.userLocaleBody.parse(body).locale)),
  },
  {
    method: 'POST',
    template: '/users/:user/direct-messages',
    handle: ({ emulator, params, body }) =>
      json(emulator.setDirectMessages(params.user ?? '', schema.directMessagesBody.parse(body).open)),
  },
  {
    method: 'GET',
    template: '/users/:user/direct-messages',
    handle: ({ emulator, params }) => json(emulator.directMessages(params.user ?? '')),
  },
  {
    method: 'POST',
    template: '/guilds',
    handle: ({ emulator, body }) => json(emulator.createGuild(schema.createGuildBody.parse(body)), 201),
  },
  {
    method: 'POST',
    template: '/guilds/:guild/roles',
    handle: ({ emulator, params, body }) =>
      json(emulator.createRole(params.guild ?? '', schema.createRoleBody.parse(body)), 201),
  },
  {
    method: 'POST',
    template: '/guilds/:guild/channels',
    handle: ({ emulator, params, body }) =>
      json(emulator.createChannel(params.guild ?? '', schema.createChannelBody.parse(body)), 201),
  },
  {
    method: 'GET',
    template: '/commands',
    handle: ({ emulator, query }) => json(emulator.commands(query.get('guild_id') ?? undefined)),
  },

  {
    method: 'POST',
    template: '/interactions/command',
    handle: async ({ emulator, body, query }) =>
      json({ interaction: await emulator.slashCommand(schema.slashCommandBody.parse(body), waitOptions(query)) }),
  },
  {
    method: 'POST',
    template: '/interactions/message-command',
    handle: async ({ emulator, body, query }) =>
      json({
        interaction: await emulator.messageCommand(schema.messageCommandBody.parse(body), waitOptions(query)),
      }),
  },
  {
    method: 'POST',
    template: '/interactions/autocomplete',
    handle: async ({ emulator, body, query }) =>
      json(await emulator.autocomplete(schema.autocompleteBody.parse(body), waitOptions(query))),
  },
  {
    method: 'POST',
    template: '/interactions/button',
    handle: async ({ emulator, body, query }) =>
      json({ interaction: await emulator.clickButton(schema.buttonBody.parse(body), waitOptions(query)) }),
  },
  {
    method: 'POST',
    template: '/interactions/select',
    handle: async ({ emulator, body, query }) =>
      json({ interaction: await emulator.selectMenu(schema.selectBody.parse(body), waitOptions(query)) }),
  },
  {
    method: 'POST',
    template: '/interactions/modal',
    handle: async ({ emulator, body, query }) =>
      json({ interaction: await emulator.submitModal(schema.modalBody.parse(body), waitOptions(query)) }),
  },
  {
    method: 'GET',
    template: '/interactions',
    handle: ({ emulator, query }) =>
      json(emulator.interactions(schema.interactionsQuery.parse(Object.fromEntries(query)))),
  },
  {
    method: 'GET',
    template: '/interactions/:interaction',
    handle: ({ emulator, params }) => {
      const record = emulator.interaction(params.interaction ?? '');
      if (!record)
        throw new EmulatorUsageError(404, 'unknown_interaction', `No interaction ${params.interaction ?? ''}`);
      return json(record);
    },
  },

  {
    method: 'POST',
    template: '/messages',
    handle: ({ emulator, body }) => json(emulator.postMessage(schema.userMessageBody.parse(body)), 201),
  },
  {
    method: 'GET',
    template: '/channels/:channel/messages',
    handle: ({ emulator, params, query }) =>
      json(emulator.messages(params.channel ?? '', query.has('as') ? { as: query.get('as') ?? '' } : {})),
  },
  { method: 'GET', template: '/attachments/:attachment', handle: attachment },

  { method: 'GET', template: '/requests', handle: ({ emulator }) => json(emulator.requests()) },
  {
    method: 'DELETE',
    template: '/requests',
    handle: ({ emulator }) => (emulator.clearRequests(), json({ cleared: true })),
  },
  { method: 'GET', template: '/rate-limits', handle: ({ emulator }) => json(emulator.rateLimitHits()) },
  { method: 'GET', template: '/spec', handle: ({ emulator }) => json(emulator.specReport()) },
  {
    method: 'DELETE',
    template: '/spec',
    handle: ({ emulator }) => (emulator.clearSpecReport(), json({ cleared: true })),
  },

  {
    method: 'GET',
    template: '/clock',
    handle: ({ emulator }) => json({ now: emulator.clock.now(), manual: isManualClock(emulator.clock) }),
  },
  {
    method: 'POST',
    template: '/clock/advance',
    handle: ({ emulator, body }) => {
      emulator.advanceClock(schema.advanceClockBody.parse(body).ms);
      return json({ now: emulator.clock.now() });
    },
  },
  {
    method: 'POST',
    template: '/gateway/reconnect',
    handle: ({ emulator }) => json({ sockets: emulator.reconnectShard() }),
  },
  {
    method: 'POST',
    template: '/gateway/drop',
    handle: ({ emulator }) => json({ sockets: emulator.dropConnections() }),
  },
];
