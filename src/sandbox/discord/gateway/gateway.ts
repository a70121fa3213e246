import type { Server } from 'node:http';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { GatewayCloseCode, GatewayOpcode } from '../constants.js';
import type { EmulatorCore } from '../core.js';
import { randomToken } from '../snowflake.js';
import { guildCreateJson, memberJson, userJson } from '../state/serialize.js';
import { type IntentFilter, subscribeDispatches } from './dispatches.js';
import { GatewaySession } from './session.js';

export interface GatewayOptions {
  /** Sent in HELLO; discord.js heartbeats at this interval. */
  heartbeatIntervalMs: number;
}

interface Connection {
  socket: WebSocket;
  session: GatewaySession | null;
}

const frameSchema = z.object({ op: z.int(), d: z.unknown().optional() });
const identifySchema = z.object({
  token: z.string(),
  intents: z.int().min(0),
  shard: z.tuple([z.int().min(0), z.int().min(1)]).optional(),
  properties: z.looseObject({}).optional(),
});
const resumeSchema = z.object({ token: z.string(), session_id: z.string(), seq: z.int().nullable() });
const requestMembersSchema = z.object({
  guild_id: z.union([z.string(), z.array(z.string())]),
  query: z.string().optional(),
  limit: z.int().min(0).default(0),
  user_ids: z.union([z.string(), z.array(z.string())]).optional(),
  nonce: z.string().optional(),
});

/**
 * The gateway (developers/events/gateway.mdx) on `/gateway` of the emulator's HTTP server: HELLO,
 * IDENTIFY, heartbeats, READY + GUILD_CREATE, RESUME with replay, op 7 and op 9, and sharding.
 */
export class Gateway {
  readonly #sessions = new Map<string, GatewaySession>();
  readonly #connections = new Set<Connection>();
  readonly #server: WebSocketServer;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly core: EmulatorCore,
    server: Server,
    private readonly options: GatewayOptions,
  ) {
    this.#server = new WebSocketServer({ server, path: '/gateway' });
    this.#server.on('connection', (socket) => this.#accept(socket));
    this.#unsubscribe = subscribeDispatches(core, (type, data, guildId, filter) =>
      this.dispatch(type, data, guildId, filter),
    );
  }

  /** Sends a dispatch to every session whose shard owns `guildId` (all sessions when null). */
  dispatch(type: string, data: unknown, guildId: string | null, filter?: IntentFilter): void {
    for (const session of this.#sessions.values()) {
      if ((guildId === null || session.owns(guildId)) && (!filter || filter(session.intents)))
        session.dispatch(type, data);
    }
  }

  /** Op 7: tells every connected client to reconnect and resume. */
  requestReconnect(): number {
    const open = [...this.#connections].filter((connection) => connection.socket.readyState === WebSocket.OPEN);
    for (const connection of open) connection.socket.send(JSON.stringify({ op: GatewayOpcode.Reconnect, d: null }));
    return open.length;
  }

  /** Cuts every socket without a close frame, as a network failure would (the client sees 1006). */
  dropConnections(): number {
    const count = this.#connections.size;
    for (const connection of this.#connections) connection.socket.terminate();
    return count;
  }

  sessionCount(): number {
    return this.#sessions.size;
  }

  sessions(): { id: string; shard: readonly [number, number]; connected: boolean }[] {
    return [...this.#sessions.values()].map((session) => ({
      id: session.id,
      shard: session.shard,
      connected: session.socket?.readyState === WebSocket.OPEN,
    }));
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    for (const connection of this.#connections) connection.socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    const connection: Connection = { socket, session: null };
    this.#connections.add(connection);
    socket.on('message', (data) => this.#onMessage(connection, data));
    socket.on('close', (code) => this.#onClose(connection, code));
    socket.on('error', (error) => this.core.log.debug({ err: error }, 'gateway socket error'));
    this.#send(socket, { op: GatewayOpcode.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
  }

  #send(socket: WebSocket, payload: unknown): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  #onMessage(connection: Connection, data: RawData): void {
    let frame: z.infer<typeof frameSchema>;
    try {
      frame = frameSchema.parse(JSON.parse(rawText(data)));
    } catch {
      connection.socket.close(GatewayCloseCode.DecodeError, 'Error while decoding payload.');
      return;
    }
    switch (frame.op) {
      case GatewayOpcode.Heartbeat:
        this.#send(connection.socket, { op: GatewayOpcode.HeartbeatAck });
        return;
      case GatewayOpcode.Identify:
        this.#identify(connection, frame.d);
        return;
      case GatewayOpcode.Resume:
        this.#resume(connection, frame.d);
        return;
      case GatewayOpcode.PresenceUpdate:
      case GatewayOpcode.VoiceStateUpdate:
        if (!connection.session) connection.socket.close(GatewayCloseCode.NotAuthenticated, 'Not authenticated.');
        return;
      case GatewayOpcode.RequestGuildMembers:
        this.#requestMembers(connection, frame.d);
        return;
      default:
        connection.socket.close(GatewayCloseCode.UnknownOpcode, 'Unknown opcode.');
    }
  }

  #tokenMatches(token: string): boolean {
    return token === this.core.token || token === `Bot ${this.core.token}`;
  }

  #identify(connection: Connection, data: unknown): void {
    const parsed = identifySchema.safeParse(data);
    if (!parsed.success) return connection.socket.close(GatewayCloseCode.DecodeError, 'Error while decoding payload.');
    const identify = parsed.data;
    if (!this.#tokenMatches(identify.token))
      return connection.socket.close(GatewayCloseCode.AuthenticationFailed, 'Authentication failed.');
    if (connection.session)
      return connection.socket.close(GatewayCloseCode.AlreadyAuthenticated, 'Already authenticated.');
    const shard = identify.shard ?? [0, 1];
    if (shard[0] >= shard[1]) return connection.socket.close(GatewayCloseCode.InvalidShard, 'Invalid shard.');
    const session = new GatewaySession(randomToken(16), shard, identify.intents);
    session.socket = connection.socket;
    connection.session = session;
    this.#sessions.set(session.id, session);
    this.core.gateway.identifies += 1;
    const guilds = [...this.core.store.guilds.values()].filter(
      (guild) => guild.members.has(this.core.botUserId) && session.owns(guild.id),
    );
    session.dispatch('READY', {
      v: 10,
      user: { ...userJson(this.core.store.requireUser(this.core.botUserId)), verified: true, mfa_enabled: false },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.core.gateway.url,
      shard,
      application: { id: this.core.applicationId, flags: 0 },
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ['discord-emulator'],
    });
    for (const guild of guilds)
      session.dispatch('GUILD_CREATE', guildCreateJson(guild, this.core.store, this.core.botUserId));
  }

  #resume(connection: Connection, data: unknown): void {
    const parsed = resumeSchema.safeParse(data);
    if (!parsed.success) return connection.socket.close(GatewayCloseCode.DecodeError, 'Error while decoding payload.');
    if (!this.#tokenMatches(parsed.data.token))
      return connection.socket.close(GatewayCloseCode.AuthenticationFailed, 'Authentication failed.');
    const session = this.#sessions.get(parsed.data.session_id);
    if (!session) {
      // Op 9 with d:false: the session cannot be resumed; the client identifies anew.
      this.#send(connection.socket, { op: GatewayOpcode.InvalidSession, d: false });
      return;
    }
    if (session.socket && session.socket !== connection.socket) session.socket.terminate();
    session.socket = connection.socket;
    connection.session = session;
    for (const frame of session.replayAfter(parsed.data.seq ?? 0)) session.send(frame);
    session.dispatch('RESUMED', { _trace: ['discord-emulator'] }, false);
  }

  #requestMembers(connection: Connection, data: unknown): void {
    const session = connection.session;
    const parsed = requestMembersSchema.safeParse(data);
    if (!session) return connection.socket.close(GatewayCloseCode.NotAuthenticated, 'Not authenticated.');
    if (!parsed.success) return connection.socket.close(GatewayCloseCode.DecodeError, 'Error while decoding payload.');
    const request = parsed.data;
    const userIds = request.user_ids === undefined ? undefined : [request.user_ids].flat();
    for (const guildId of [request.guild_id].flat()) {
      const guild = this.core.store.guilds.get(guildId);
      if (!guild) continue;
      let members = [...guild.members.values()].filter((member) => {
        if (userIds) return userIds.includes(member.userId);
        const username = this.core.store.users.get(member.userId)?.username ?? '';
        return username.toLowerCase().startsWith((request.query ?? '').toLowerCase());
      });
      if (request.limit > 0) members = members.slice(0, request.limit);
      session.dispatch('GUILD_MEMBERS_CHUNK', {
        guild_id: guildId,
        members: members.map((member) => memberJson(member, this.core.store)),
        chunk_index: 0,
        chunk_count: 1,
        ...(userIds ? { not_found: userIds.filter((id) => !guild.members.has(id)) } : {}),
        ...(request.nonce ? { nonce: request.nonce } : {}),
      });
    }
  }

  #onClose(connection: Connection, code: number): void {
    this.#connections.delete(connection);
    const session = connection.session;
    if (!session || session.socket !== connection.socket) return;
    session.socket = null;
    // A client that closes with 1000/1001 is done with the session; anything else may resume.
    if (code === 1000 || code === 1001) this.#sessions.delete(session.id);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
