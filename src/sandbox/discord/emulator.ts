import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { type Clock, isManualClock, SystemClock } from './clock.js';
import type { EmulatorCore, Outage } from './core.js';
import { EmulatorUsageError } from './errors.js';
import { EmulatorEvents } from './events.js';
import { Gateway } from './gateway/gateway.js';
import {
  type AutocompleteInput,
  type ComponentInput,
  dispatchAutocomplete,
  dispatchComponent,
  dispatchMessageCommand,
  dispatchModalSubmit,
  dispatchSlashCommand,
  type MessageCommandInput,
  type ModalSubmitInput,
  type SlashCommandInput,
} from './interactions/actions.js';
import { waitForSettled } from './interactions/lifecycle.js';
import { type Limits, resolveLimits } from './limits.js';
import { RateLimiter } from './rate-limit.js';
import { type RecordedRequest, RequestLog } from './request-log.js';
import { type Seed, seedPlayground } from './seed.js';
import { handleHttp } from './server.js';
import { SpecJudge } from './spec/judge.js';
import { type SpecMode, SpecRecorder, type SpecReport } from './spec/recorder.js';
import { randomToken, SnowflakeGenerator } from './snowflake.js';
import { commandJson } from './state/serialize.js';
import { Store } from './state/store.js';
import type { InteractionRecord, InteractionState } from './state/types.js';
import { postUserMessage, type UserMessageInput } from './user-messages.js';
import {
  channelMessages,
  type MessageView,
  messageView,
  type ViewOptions,
  waitForMessage,
  type WaitOptions,
} from './message-views.js';
import type { Locale } from './locales.js';
import {
  createChannel,
  type CreateChannelInput,
  createGuild,
  createRole,
  type CreateRoleInput,
  createUser,
  type CreateUserInput,
  setUserLocale,
} from './world.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The bot token the emulator accepts; random when omitted. */
  token?: string;
  /** `ManualClock` for tests that jump past the 3-second and 15-minute rules. */
  clock?: Clock;
  limits?: Partial<Limits>;
  /** Create the "Playground" guild (default true). */
  seed?: boolean;
  botName?: string;
  heartbeatIntervalMs?: number;
  /** Shard count GET /gateway/bot recommends. */
  shards?: number;
  /** `session_start_limit.max_concurrency`; discord.js waits 5 s between identifies per bucket. */
  maxConcurrency?: number;
  logger?: Logger;
  /**
   * Discord's published spec (discord-api-spec) as a second judge of every REST body: `enforce`
   * (default) refuses requests it rejects with 400 50035, `record` only records, `off` skips it.
   * Responses are checked and recorded in both first modes. Off by itself without the package.
   */
  spec?: SpecMode;
  /** Keep each request's and response's JSON body in the request log (default false). */
  recordBodies?: boolean;
}

/** How an action waits: `ack` resolves once the bot acknowledged (or the interaction failed). */
export interface ActionOptions {
  wait?: 'ack' | 'none';
  timeoutMs?: number;
}

export interface AutocompleteResult {
  interaction: InteractionRecord;
  choices: { name: string; value: string | number }[];
}

export interface CreatedUser {
  id: string;
  username: string;
  guildId: string | null;
  roleIds: string[];
  locale: Locale;
}

/**
 * A local Discord: REST under `/api/v10`, the gateway on `/gateway`, attachments under
 * `/attachments`, and a control API under `/__emulator`, all on one loopback HTTP server.
 */
export class DiscordEmulator {
  readonly #gateway: Gateway;

  private constructor(
    readonly core: EmulatorCore,
    private readonly server: Server,
    private readonly seedIds: Seed | null,
    options: EmulatorOptions,
  ) {
    this.#gateway = new Gateway(core, server, { heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250 });
  }

  static async start(options: EmulatorOptions = {}): Promise<DiscordEmulator> {
    const clock = options.clock ?? new SystemClock();
    const ids = new SnowflakeGenerator(clock);
    const store = new Store(ids, clock);
    const bot = store.createUser({ username: options.botName ?? 'Imagine', bot: true });
    const mode = options.spec ?? 'enforce';
    const judge = mode === 'off' ? null : await SpecJudge.load();
    const events = new EmulatorEvents();
    const log = options.logger ?? pino({ level: 'silent' });
    if (!judge && mode !== 'off') log.info('discord-api-spec is not installed; the spec judge is off');
    const core: EmulatorCore = {
      store,
      clock,
      ids,
      limits: resolveLimits(options.limits),
      events,
      log,
      rateLimiter: new RateLimiter(),
      requestLog: new RequestLog(),
      spec: new SpecRecorder(judge, mode, events, clock),
      recordBodies: options.recordBodies ?? false,
      // Discord tokens are base64(user id).timestamp.hmac; this keeps that shape.
      token: options.token ?? `${Buffer.from(bot.id).toString('base64url')}.${randomToken(4)}.${randomToken(24)}`,
      // Applications created today share their id with their bot user.
      applicationId: bot.id,
      botUserId: bot.id,
      baseUrl: '',
      gateway: { url: '', shards: options.shards ?? 1, maxConcurrency: options.maxConcurrency ?? 1, identifies: 0 },
      deadlines: new Map(),
      outages: [],
    };
    const seed = options.seed === false ? null : seedPlayground(store, { userId: bot.id, applicationId: bot.id });
    const server = createServer();
    const emulator = new DiscordEmulator(core, server, seed, options);
    server.on('request', (request, response) => void handleHttp(emulator, request, response));
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    core.baseUrl = `http://${host}:${port}`;
    core.gateway.url = `ws://${host}:${port}/gateway`;
    return emulator;
  }

  get baseUrl(): string {
    return this.core.baseUrl;
  }
  /** What discord.js takes as `rest.api`. */
  get restUrl(): string {
    return `${this.core.baseUrl}/api`;
  }
  get gatewayUrl(): string {
    return this.core.gateway.url;
  }
  get controlUrl(): string {
    return `${this.core.baseUrl}/__emulator`;
  }
  get token(): string {
    return this.core.token;
  }
  get applicationId(): string {
    return this.core.applicationId;
  }
  get botUserId(): string {
    return this.core.botUserId;
  }
  get clock(): Clock {
    return this.core.clock;
  }
  get limits(): Readonly<Limits> {
    return this.core.limits;
  }
  get events(): EmulatorEvents {
    return this.core.events;
  }
  get seeded(): boolean {
    return this.seedIds !== null;
  }
  /** Ids of the seeded "Playground" guild; throws when started with `seed: false`. */
  get seed(): Seed {
    if (!this.seedIds) throw new EmulatorUsageError(400, 'not_seeded', 'This emulator was started with seed: false');
    return this.seedIds;
  }

  createUser(input: CreateUserInput): CreatedUser {
    const { user, member } = createUser(this.core, input, this.seedIds?.guildId ?? null);
    return {
      id: user.id,
      username: user.username,
      guildId: member?.guildId ?? null,
      roleIds: member?.roleIds ?? [],
      locale: user.locale,
    };
  }
  /** A member switches their client's language; their next interactions carry it as `locale`. */
  setUserLocale(userId: string, locale: Locale): { id: string; locale: Locale } {
    const user = setUserLocale(this.core, userId, locale);
    return { id: user.id, locale: user.locale };
  }
  createRole(guildId: string, input: CreateRoleInput): { id: string; name: string; permissions: string } {
    const role = createRole(this.core, guildId, input);
    return { id: role.id, name: role.name, permissions: role.permissions.toString() };
  }
  createChannel(guildId: string, input: CreateChannelInput): { id: string; name: string } {
    const channel = createChannel(this.core, guildId, input);
    return { id: channel.id, name: channel.name };
  }
  createGuild(input: { name: string; ownerId?: string; shard?: [number, number] }): {
    id: string;
    name: string;
    generalChannelId: string;
  } {
    const { guild, generalChannelId } = createGuild(this.core, input);
    return { id: guild.id, name: guild.name, generalChannelId };
  }

  /**
   * A user's privacy setting "Direct messages from server members and apps": off, the bot's DMs to
   * them fail with 50007 ("Cannot send messages to this user").
   */
  setDirectMessages(userId: string, open: boolean): { id: string; acceptsDirectMessages: boolean } {
    const user = this.core.store.requireUser(userId);
    user.acceptsDirectMessages = open;
    return { id: user.id, acceptsDirectMessages: open };
  }
  /** What the bot sent a user by DM, oldest first (none when it never opened a DM with them). */
  directMessages(userId: string): MessageView[] {
    const channel = [...this.core.store.dmChannels.values()].find((candidate) => candidate.userId === userId);
    return channel ? this.core.store.messagesIn(channel.id).map((message) => messageView(this.core, message)) : [];
  }
  /** Apps → `name` on a message, as a user; resolves at dispatch, or with `wait: 'ack'` once answered. */
  async messageCommand(input: MessageCommandInput, options: ActionOptions = {}): Promise<InteractionRecord> {
    return this.#settle(dispatchMessageCommand(this.core, input), options);
  }
  /** Runs a slash command as a user; resolves at dispatch, or with `wait: 'ack'` once answered. */
  async slashCommand(input: SlashCommandInput, options: ActionOptions = {}): Promise<InteractionRecord> {
    return this.#settle(dispatchSlashCommand(this.core, input), options);
  }
  /** Types into an autocomplete option; resolves with the choices the bot answered. */
  async autocomplete(input: AutocompleteInput, options: ActionOptions = {}): Promise<AutocompleteResult> {
    const interaction = await this.#settle(dispatchAutocomplete(this.core, input), { ...options, wait: 'ack' });
    return { interaction, choices: interaction.autocompleteChoices ?? [] };
  }
  async clickButton(input: Omit<ComponentInput, 'values'>, options: ActionOptions = {}): Promise<InteractionRecord> {
    return this.#settle(dispatchComponent(this.core, input), options);
  }
  async selectMenu(
    input: ComponentInput & { values: string[] },
    options: ActionOptions = {},
  ): Promise<InteractionRecord> {
    return this.#settle(dispatchComponent(this.core, input), options);
  }
  async submitModal(input: ModalSubmitInput, options: ActionOptions = {}): Promise<InteractionRecord> {
    return this.#settle(dispatchModalSubmit(this.core, input), options);
  }
  /** A user writes a message in a channel (the bot gets MESSAGE_CREATE if its intents ask). */
  postMessage(input: UserMessageInput): MessageView {
    return messageView(this.core, postUserMessage(this.core, input));
  }

  async #settle(record: InteractionRecord, options: ActionOptions): Promise<InteractionRecord> {
    if (options.wait !== 'ack') return record;
    return waitForSettled(this.core, record.id, options.timeoutMs ?? 10_000);
  }

  messages(channelId: string, options: ViewOptions = {}): MessageView[] {
    return channelMessages(this.core, channelId, options);
  }
  message(messageId: string): MessageView | undefined {
    const message = this.core.store.messages.get(messageId);
    return message ? messageView(this.core, message) : undefined;
  }
  waitForMessage(
    channelId: string,
    predicate: (message: MessageView) => boolean,
    options: WaitOptions = {},
  ): Promise<MessageView> {
    return waitForMessage(this.core, channelId, predicate, options);
  }
  interaction(id: string): InteractionRecord | undefined {
    return this.core.store.interactions.get(id);
  }
  interactions(filter: { state?: InteractionState } = {}): InteractionRecord[] {
    return [...this.core.store.interactions.values()].filter(
      (record) => !filter.state || record.state === filter.state,
    );
  }
  waitForAck(interactionId: string, timeoutMs = 10_000): Promise<InteractionRecord> {
    return waitForSettled(this.core, interactionId, timeoutMs);
  }
  commands(guildId?: string): Record<string, unknown>[] {
    const visible = [...this.core.store.commands.values()].filter(
      (command) => guildId === undefined || command.guildId === guildId || command.guildId === null,
    );
    return visible.map(commandJson);
  }
  /**
   * The next `count` (default 1) requests of `method` on the REST route `template` (as the request
   * log names routes, e.g. `/channels/:channel/messages/:message`) are answered with a server error
   * instead of being handled. discord.js retries 5xx up to three times by itself.
   */
  failNext(outage: Omit<Outage, 'count'> & { count?: number }): void {
    this.core.outages.push({ ...outage, count: outage.count ?? 1 });
  }

  requests(): RecordedRequest[] {
    return this.core.requestLog.all();
  }
  rateLimitHits(): RecordedRequest[] {
    return this.core.requestLog.rateLimited();
  }
  clearRequests(): void {
    this.core.requestLog.clear();
  }
  /** What Discord's published spec found in the bot's requests and the emulator's answers. */
  specReport(): SpecReport {
    return this.core.spec.report();
  }
  clearSpecReport(): void {
    this.core.spec.clear();
  }
  /** The bytes of an attachment, by id or by the URL the emulator gave out. */
  attachmentBytes(idOrUrl: string): Buffer | undefined {
    const id = /\/attachments\/\d+\/(\d+)\//.exec(idOrUrl)?.[1] ?? idOrUrl;
    return this.core.store.attachments.get(id)?.bytes;
  }
  /** Moves a `ManualClock`; fails on the system clock. */
  advanceClock(ms: number): void {
    if (!isManualClock(this.core.clock))
      throw new EmulatorUsageError(
        400,
        'clock_not_manual',
        'The emulator runs on the system clock; start it with a ManualClock',
      );
    this.core.clock.advance(ms);
  }
  /** Sends op 7 Reconnect on every gateway socket; returns how many were told. */
  reconnectShard(): number {
    return this.#gateway.requestReconnect();
  }
  /** Drops every gateway socket without a close frame; returns how many were dropped. */
  dropConnections(): number {
    return this.#gateway.dropConnections();
  }
  /** The gateway sessions, by shard, and whether a socket is attached (a closed one may still resume). */
  gatewaySessions(): { id: string; shard: readonly [number, number]; connected: boolean }[] {
    return this.#gateway.sessions();
  }

  async stop(): Promise<void> {
    for (const cancel of this.core.deadlines.values()) cancel();
    this.core.deadlines.clear();
    await this.#gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
