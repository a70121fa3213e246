import { once } from 'node:events';
import { type ChatInputCommandInteraction, type Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import { shardOf } from '../../../src/sandbox/discord/snowflake.js';
import { connectClient, expectConformingAnswers } from './support/discord-client.js';
import { RawGateway } from './support/raw-gateway.js';

const running: { stop(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) {
    if (item instanceof DiscordEmulator) expectConformingAnswers(item);
    await item.stop();
  }
});

async function startEmulator(options: Parameters<typeof DiscordEmulator.start>[0] = {}) {
  const emulator = await DiscordEmulator.start(options);
  running.push(emulator);
  return emulator;
}

function track(client: Client): Client<true> {
  running.push({ stop: () => client.destroy() });
  return client as Client<true>;
}

describe('gateway protocol (raw websocket)', () => {
  it('says HELLO with the configured heartbeat, ACKs heartbeats, and closes 4004 on a wrong token', async () => {
    const emulator = await startEmulator({ heartbeatIntervalMs: 1234 });
    const gateway = new RawGateway(emulator.gatewayUrl);
    expect(await gateway.next()).toEqual({ op: 10, d: { heartbeat_interval: 1234 } });
    gateway.send(1, null);
    expect(await gateway.next()).toEqual({ op: 11 });
    gateway.send(2, { token: 'wrong-token-wrong-token', intents: 1, properties: {} });
    expect((await gateway.closed).code).toBe(4004);
  });

  it('sends READY with session details and one GUILD_CREATE per guild with unavailable:false', async () => {
    const emulator = await startEmulator();
    const gateway = new RawGateway(emulator.gatewayUrl);
    const ready = await gateway.identify(emulator.token);
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({
      v: 10,
      user: { id: emulator.botUserId, bot: true },
      guilds: [{ id: emulator.seed.guildId, unavailable: true }],
      resume_gateway_url: emulator.gatewayUrl,
      application: { id: emulator.applicationId, flags: 0 },
      shard: [0, 1],
    });
    const guildCreate = await gateway.next();
    expect(guildCreate).toMatchObject({
      op: 0,
      t: 'GUILD_CREATE',
      s: 2,
      d: { id: emulator.seed.guildId, unavailable: false },
    });
    expect((guildCreate.d as { channels: unknown[] }).channels).toHaveLength(2);
    gateway.socket.close(1000);
  });

  it('answers a RESUME of an unknown session with op 9, and replays missed dispatches to a known one', async () => {
    const emulator = await startEmulator();
    const stranger = new RawGateway(emulator.gatewayUrl);
    await stranger.next();
    stranger.send(6, { token: emulator.token, session_id: 'nope', seq: 3 });
    expect(await stranger.next()).toEqual({ op: 9, d: false });
    stranger.socket.close(1000);

    const first = new RawGateway(emulator.gatewayUrl);
    const ready = await first.identify(emulator.token, {
      intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
    });
    const { session_id: sessionId } = ready.d as { session_id: string };
    const lastSeen = (await first.until((frame) => frame.t === 'GUILD_CREATE')).s ?? 0;
    first.socket.close(4000);
    await first.closed;
    emulator.postMessage({
      userId: emulator.seed.users.alice,
      channelId: emulator.seed.channels.imagine,
      content: 'while you were away',
    });

    const second = new RawGateway(emulator.gatewayUrl);
    await second.next();
    second.send(6, { token: emulator.token, session_id: sessionId, seq: lastSeen });
    const replayed = await second.next();
    expect(replayed).toMatchObject({
      op: 0,
      t: 'MESSAGE_CREATE',
      s: lastSeen + 1,
      d: { content: 'while you were away' },
    });
    expect(await second.next()).toMatchObject({ op: 0, t: 'RESUMED' });
    second.socket.close(1000);
  });

  it('empties message content for sessions without the Message Content intent', async () => {
    const emulator = await startEmulator();
    const gateway = new RawGateway(emulator.gatewayUrl);
    await gateway.identify(emulator.token, { intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages });
    emulator.postMessage({
      userId: emulator.seed.users.bob,
      channelId: emulator.seed.channels.imagine,
      content: 'secret',
    });
    const created = await gateway.until((frame) => frame.t === 'MESSAGE_CREATE');
    expect(created.d).toMatchObject({ content: '', author: { id: emulator.seed.users.bob } });
    gateway.socket.close(1000);
  });
});

describe('sharding', () => {
  it('gives each shard only its guilds and routes interactions to the owning shard', async () => {
    const emulator = await startEmulator();
    const seededShard = shardOf(emulator.seed.guildId, 2);
    const other = emulator.createGuild({ name: 'Annex', shard: [1 - seededShard, 2] });
    expect(shardOf(other.id, 2)).toBe(1 - seededShard);
    const clients = [0, 1].map((shard) => connectClient(emulator, { shards: [shard], shardCount: 2 }));
    const [shard0, shard1] = (await Promise.all(clients)).map(track) as [Client<true>, Client<true>];
    const byShard = seededShard === 0 ? { seeded: shard0, annex: shard1 } : { seeded: shard1, annex: shard0 };
    expect([...byShard.seeded.guilds.cache.keys()]).toEqual([emulator.seed.guildId]);
    expect([...byShard.annex.guilds.cache.keys()]).toEqual([other.id]);

    await byShard.seeded.application.commands.set([{ name: 'where', description: 'Which shard?' }]);
    const seen = { seeded: [] as string[], annex: [] as string[] };
    const answer = (key: 'seeded' | 'annex') => async (interaction: Interaction) => {
      seen[key].push(interaction.guildId ?? '');
      if (interaction.isChatInputCommand()) await interaction.reply({ content: key });
    };
    byShard.seeded.on(Events.InteractionCreate, answer('seeded'));
    byShard.annex.on(Events.InteractionCreate, answer('annex'));
    const annexUser = emulator.createUser({ username: 'annie', guildId: other.id });
    await emulator.slashCommand(
      { userId: emulator.seed.users.alice, channelId: emulator.seed.channels.imagine, name: 'where' },
      { wait: 'ack' },
    );
    await emulator.slashCommand(
      { userId: annexUser.id, channelId: other.generalChannelId, name: 'where' },
      { wait: 'ack' },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toEqual({ seeded: [emulator.seed.guildId], annex: [other.id] });
  });

  it('GIVEN two sessions identified for one shard THEN both get each interaction, and the second answer is refused with 40060', async () => {
    const emulator = await startEmulator();
    const clients = (await Promise.all([0, 1].map(() => connectClient(emulator)))).map(track);
    await clients[0]!.application.commands.set([{ name: 'who', description: 'Which session answers?' }]);
    const outcomes: string[] = [];
    for (const [index, client] of clients.entries())
      client.on(Events.InteractionCreate, (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        // The second session answers a little later, as a second process would.
        void new Promise((resolve) => setTimeout(resolve, index * 50))
          .then(() => interaction.reply({ content: `session ${index}` }))
          .then(
            () => outcomes.push(`session ${index} answered`),
            (error: unknown) => outcomes.push(`session ${index}: ${(error as { code?: number }).code}`),
          );
      });
    const record = await emulator.slashCommand(
      { userId: emulator.seed.users.alice, channelId: emulator.seed.channels.imagine, name: 'who' },
      { wait: 'ack' },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outcomes).toEqual(['session 0 answered', 'session 1: 40060']);
    expect(emulator.message(record.originalMessageId ?? '')?.content).toBe('session 0');
  });
});

describe('reconnecting', () => {
  for (const [what, disrupt] of [
    ['op 7 Reconnect', (emulator: DiscordEmulator) => emulator.reconnectShard()],
    ['a dropped socket', (emulator: DiscordEmulator) => emulator.dropConnections()],
  ] as const) {
    it(`resumes after ${what} and delivers an interaction sent in between exactly once`, async () => {
      const emulator = await startEmulator();
      const client = track(await connectClient(emulator));
      await client.application.commands.set([{ name: 'ping', description: 'Ping' }], emulator.seed.guildId);
      const identifiesBefore = emulator.core.gateway.identifies;
      const received: string[] = [];
      client.on(Events.InteractionCreate, async (interaction) => {
        received.push(interaction.id);
        await (interaction as ChatInputCommandInteraction).reply({ content: 'pong' });
      });
      const resumed = once(client, Events.ShardResume);
      expect(disrupt(emulator)).toBe(1);
      const record = await emulator.slashCommand({
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        name: 'ping',
      });
      await resumed;
      expect((await emulator.waitForAck(record.id)).state).toBe('acknowledged');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toEqual([record.id]);
      expect(emulator.core.gateway.identifies).toBe(identifiesBefore);
    });
  }
});
