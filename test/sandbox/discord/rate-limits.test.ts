import { type ChatInputCommandInteraction, type Client, Routes, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import { RateLimiter } from '../../../src/sandbox/discord/rate-limit.js';
import { connectClient, dispatchAndReceive, expectConformingAnswers } from './support/discord-client.js';

describe('RateLimiter', () => {
  const window = { limit: 2, windowMs: 1000 };

  it('GIVEN a full window THEN refuses with the time left, counts nothing, and resets after the window', () => {
    let now = 10_000;
    const limiter = new RateLimiter(() => now);
    const bucket = { name: 'route', major: 'channel:1', window, scope: 'user' as const };
    expect(limiter.take([bucket], bucket)).toMatchObject({
      allowed: true,
      headers: { 'X-RateLimit-Limit': '2', 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset-After': '1.000' },
    });
    now += 400;
    expect(limiter.take([bucket], bucket).headers['X-RateLimit-Remaining']).toBe('0');
    const refused = limiter.take([bucket], bucket);
    expect(refused).toMatchObject({
      allowed: false,
      retryAfterMs: 600,
      scope: 'user',
      headers: { 'Retry-After': '0.600', 'X-RateLimit-Scope': 'user' },
    });
    now += 600;
    expect(limiter.take([bucket], bucket)).toMatchObject({ allowed: true, headers: { 'X-RateLimit-Remaining': '1' } });
  });

  it('GIVEN separate major parameters THEN separate buckets with the same bucket hash', () => {
    const limiter = new RateLimiter(() => 0);
    const a = { name: 'route', major: 'channel:1', window, scope: 'user' as const };
    const b = { ...a, major: 'channel:2' };
    limiter.take([a], a);
    limiter.take([a], a);
    expect(limiter.take([a], a).allowed).toBe(false);
    const other = limiter.take([b], b);
    expect(other.allowed).toBe(true);
    expect(other.headers['X-RateLimit-Bucket']).toBe(limiter.take([a], a).headers['X-RateLimit-Bucket']);
  });

  it('GIVEN an exhausted shared or global bucket THEN the 429 names that scope', () => {
    const limiter = new RateLimiter(() => 0);
    const own = { name: 'own', major: 'w', window: { limit: 10, windowMs: 1000 }, scope: 'user' as const };
    const shared = {
      name: 'edits',
      major: 'channel:1',
      window: { limit: 1, windowMs: 1000 },
      scope: 'shared' as const,
    };
    const global = { name: 'global', major: 'token', window: { limit: 1, windowMs: 1000 }, scope: 'global' as const };
    expect(limiter.take([own, shared], own).allowed).toBe(true);
    expect(limiter.take([own, shared], own)).toMatchObject({
      allowed: false,
      scope: 'shared',
      headers: { 'X-RateLimit-Scope': 'shared', 'X-RateLimit-Remaining': '9' },
    });
    expect(limiter.take([global], undefined).allowed).toBe(true);
    expect(limiter.take([global], undefined)).toMatchObject({
      allowed: false,
      headers: { 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
    });
  });
});

describe('rate limits against the real client', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  let channel: TextChannel;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({
      limits: { messageEdit: { limit: 5, windowMs: 400 }, messageCreate: { limit: 5, windowMs: 400 } },
    });
    client = await connectClient(emulator);
    await client.application.commands.set([{ name: 'go', description: 'Go' }], emulator.seed.guildId);
    channel = client.channels.cache.get(emulator.seed.channels.imagine) as TextChannel;
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  const patchesSince = (start: number) =>
    emulator.requests().filter((request) => request.at >= start && request.method === 'PATCH');

  it('follows the bucket headers: 15 edits of one message pace themselves with few or no 429s', async () => {
    const message = await channel.send({ content: 'edit me' });
    const start = emulator.clock.now();
    await Promise.all(Array.from({ length: 15 }, (_, index) => message.edit({ content: `edit ${index}` })));
    const patches = patchesSince(start);
    expect(patches.filter((request) => request.status === 200)).toHaveLength(15);
    expect(patches.filter((request) => request.rateLimited).length).toBeLessThanOrEqual(1);
    // Three windows of 5 edits: the client waited for the bucket to reset at least twice.
    expect(emulator.clock.now() - start).toBeGreaterThanOrEqual(800);
  });

  it('answers 429 with Retry-After when webhook edits share the channel’s edit bucket, and the client backs off', async () => {
    const messages = await Promise.all([1, 2, 3].map((index) => channel.send({ content: `message ${index}` })));
    const { interaction } = await dispatchAndReceive(client, () =>
      emulator.slashCommand({ userId: emulator.seed.users.alice, channelId: channel.id, name: 'go' }),
    );
    const command = interaction as ChatInputCommandInteraction;
    await command.reply({ content: 'reply 0' });
    const start = emulator.clock.now();
    const edits = [
      ...Array.from({ length: 9 }, (_, index) => messages[index % 3]!.edit({ content: `channel edit ${index}` })),
      ...Array.from({ length: 6 }, (_, index) => command.editReply({ content: `reply ${index + 1}` })),
    ];
    await Promise.all(edits);
    const patches = patchesSince(start);
    const limited = patches.filter((request) => request.rateLimited);
    expect(patches.filter((request) => request.status === 200)).toHaveLength(15);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    // No hot loop: a handful of 429s, each answered by waiting rather than hammering.
    expect(patches.length).toBeLessThan(15 + 10);
    expect(limited.every((request) => (request.retryAfterMs ?? 0) > 0)).toBe(true);
    expect(new Set(limited.map((request) => request.scope))).toContain('shared');
    expect(emulator.rateLimitHits().length).toBeGreaterThanOrEqual(limited.length);
    expect((await command.fetchReply()).content).toBe('reply 6');
  });

  it('sends Discord’s 429 shape: Retry-After header and {message, retry_after, global}', async () => {
    const message = await channel.send({ content: 'raw' });
    const url = `${emulator.restUrl}/v10/channels/${channel.id}/messages/${message.id}`;
    const patch = () =>
      fetch(url, {
        method: 'PATCH',
        headers: { authorization: `Bot ${emulator.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'x' }),
      });
    let response = await patch();
    for (let attempt = 0; attempt < 10 && response.status !== 429; attempt += 1) response = await patch();
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.headers.get('x-ratelimit-scope')).toBe('user');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { message: string; retry_after: number; global: boolean };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body.retry_after).toBeGreaterThan(0);
  });

  it('never rate limits interaction callbacks', async () => {
    const start = emulator.clock.now();
    for (let index = 0; index < 10; index += 1) {
      const { interaction } = await dispatchAndReceive(client, () =>
        emulator.slashCommand({ userId: emulator.seed.users.bob, channelId: channel.id, name: 'go' }),
      );
      await (interaction as ChatInputCommandInteraction).reply({ content: `burst ${index}` });
    }
    const callbacks = emulator
      .requests()
      .filter((request) => request.at >= start && request.route === '/interactions/:interaction/:token/callback');
    expect(callbacks).toHaveLength(10);
    expect(callbacks.every((request) => request.status === 204)).toBe(true);
  });
});

describe('the global rate limit', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ limits: { globalPerSecond: 8 } });
    client = await connectClient(emulator);
  });

  afterAll(async () => {
    await client.destroy();
    expectConformingAnswers(emulator);
    await emulator.stop();
  });

  it('enforces the global limit per bot token with X-RateLimit-Global, and the client waits it out', async () => {
    const start = emulator.clock.now();
    const channels = await Promise.all(
      Array.from({ length: 12 }, () => client.rest.get(Routes.channel(emulator.seed.channels.imagine))),
    );
    expect(channels).toHaveLength(12);
    const limited = emulator.requests().filter((request) => request.at >= start && request.rateLimited);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited.every((request) => request.scope === 'global')).toBe(true);
    expect(limited.length).toBeLessThan(12);
  });
});
