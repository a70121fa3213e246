import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { DiscordEmulator } from '../../../src/sandbox/discord/index.js';
import { PlaygroundPortError, startPageServer, type PageServer } from '../../../src/sandbox/playground/page-server.js';
import type { PlaygroundWorld } from '../../../src/sandbox/playground/world.js';

const logger = createLogger({ level: 'silent' });

/** A GET with the path sent exactly as written (fetch would resolve `..` and `%2e%2e` first). */
function rawGet(origin: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    request({ hostname, port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

/** Bare and relative specifiers in an ES module: `from "x"`, `import "x"`, `import("x")`; comments (with examples in them) left out. */
function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)].map((match) => match[1]!);
}

function resolveSpecifier(specifier: string, parent: string, imports: Record<string, string>): string {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return new URL(specifier, parent).href;
  if (imports[specifier]) return new URL(imports[specifier], parent).href;
  const prefix = Object.keys(imports).find((key) => key.endsWith('/') && specifier.startsWith(key));
  if (!prefix) throw new Error(`the import map has no entry for "${specifier}" (imported by ${parent})`);
  return new URL(imports[prefix] + specifier.slice(prefix.length), parent).href;
}

describe('the playground page server', () => {
  let emulator: DiscordEmulator;
  let server: PageServer;
  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    server = await startPageServer({ emulator, port: 0, logger });
  });
  afterAll(async () => {
    await server?.close();
    await emulator?.stop();
  });

  it('GIVEN the page THEN every module of the message components, followed through the import map, is served as JavaScript', async () => {
    const html = await (await fetch(server.url)).text();
    const imports = (
      JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]!) as { imports: Record<string, string> }
    ).imports;
    const pending = [resolveSpecifier('@skyra/discord-components-core', `${server.url}/`, imports)];
    const loaded = new Set<string>();
    while (pending.length > 0) {
      const url = pending.pop()!;
      if (loaded.has(url)) continue;
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toMatch(/^text\/javascript/);
      loaded.add(url);
      for (const specifier of importsOf(await response.text())) pending.push(resolveSpecifier(specifier, url, imports));
    }
    expect([...loaded].some((url) => url.includes('/vendor/lit-html/'))).toBe(true);
    expect(loaded.size).toBeGreaterThan(50);
  });

  it('GIVEN paths outside the page and its packages THEN 404, however they are encoded', async () => {
    for (const path of [
      '/vendor/lit/../../package.json',
      '/vendor/lit/%2e%2e/%2e%2e/src/config.ts',
      '/vendor/lit/..%2f..%2f..%2fpackage.json',
      '/vendor/lit/package.json',
      '/vendor/zod/index.js',
      '/static/..%2fserver.ts',
      '/static/.hidden',
      '/src/sandbox/playground/server.ts',
    ]) {
      expect(await rawGet(server.url, path), path).toBe(404);
    }
    expect(await rawGet(server.url, '/static/app.js')).toBe(200);
  });

  it('GIVEN the control API THEN only the routes the page uses are proxied: the bot token stays off the page', async () => {
    const info = await fetch(`${server.url}/__emulator/`);
    expect(info.status).toBe(404);
    expect(await info.text()).not.toContain(emulator.token);
    // Not proxied even as JSON: the page's own writes are the only ones that reach the emulator.
    expect(
      (
        await fetch(`${server.url}/__emulator/gateway/drop`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(405);
    const commands = await fetch(`${server.url}/__emulator/commands?guild_id=${emulator.seed.guildId}`);
    expect(commands.status).toBe(200);
    expect(await commands.json()).toEqual([]);
  });

  it('GIVEN the seeded guild THEN /api/world lists alice, bob and mia, and only the moderator can view #mod-log', async () => {
    const world = (await (await fetch(`${server.url}/api/world`)).json()) as PlaygroundWorld;
    const modLog = world.channels.find((channel) => channel.name === 'mod-log')!;
    expect(world.members.map((member) => member.username)).toEqual(['alice', 'bob', 'mia']);
    expect(
      world.members.filter((member) => member.viewableChannelIds.includes(modLog.id)).map((member) => member.username),
    ).toEqual(['mia']);
    expect(modLog.openTo).toEqual(['Moderator']);
    expect(world.channels.find((channel) => channel.name === 'imagine')!.openTo).toBeNull();
    expect(world.names.users[world.botUserId]).toBe('Imagine');
  });

  it('GIVEN the event stream through the proxy THEN a message posted as alice arrives on it', async () => {
    const abort = new AbortController();
    const stream = await fetch(`${server.url}/__emulator/events`, { signal: abort.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const posted = await fetch(`${server.url}/__emulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        content: 'hello through the proxy',
      }),
    });
    expect(posted.status).toBe(201);
    let received = '';
    while (!received.includes('hello through the proxy')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value;
    }
    abort.abort();
    expect(received).toMatch(/event: message\.create\ndata: .*hello through the proxy/);
  });

  it('GIVEN a page still listening to the event stream THEN stopping the server does not wait for it', async () => {
    const other = await startPageServer({ emulator, port: 0, logger });
    const stream = await fetch(`${other.url}/__emulator/events`);
    expect(stream.status).toBe(200);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await stream.body?.cancel().catch(() => undefined);
  });

  it('GIVEN the port is taken THEN the error names PLAYGROUND_PORT', async () => {
    const port = Number(new URL(server.url).port);
    const attempt = startPageServer({ emulator, port, logger });
    await expect(attempt).rejects.toBeInstanceOf(PlaygroundPortError);
    await expect(attempt).rejects.toThrow(/PLAYGROUND_PORT/);
  });
});

describe('the playground page server refuses other sites', () => {
  let emulator: DiscordEmulator;
  let server: PageServer;
  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    server = await startPageServer({ emulator, port: 0, logger });
  });
  afterAll(async () => {
    await server?.close();
    await emulator?.stop();
  });

  /** A request with exactly these headers (fetch would not let a test set Host). */
  function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; headers: Record<string, unknown> }> {
    const { hostname, port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const outgoing = request({ hostname, port, path, method, headers }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, headers: response.headers });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
  const host = () => new URL(server.url).host;
  const command = JSON.stringify({ userId: '1', channelId: '1', name: 'imagine', options: {} });

  it('GIVEN a rebound DNS name in Host THEN 403, even for a read', async () => {
    expect((await send('GET', '/api/world', { host: `evil.example:${new URL(server.url).port}` })).status).toBe(403);
    expect((await send('GET', '/api/world', { host: host() })).status).toBe(200);
  });

  it('GIVEN another site as Origin THEN a command is refused, and the page’s own origin is not', async () => {
    const json = { host: host(), 'content-type': 'application/json' };
    expect(
      (await send('POST', '/__emulator/interactions/command', { ...json, origin: 'https://evil.example' }, command))
        .status,
    ).toBe(403);
    expect(
      (await send('POST', '/__emulator/interactions/command', { ...json, origin: server.url }, command)).status,
    ).not.toBe(403);
  });

  it('GIVEN a write that is not JSON (a form or a text/plain fetch, which skip the preflight) THEN 403', async () => {
    expect(
      (await send('POST', '/__emulator/interactions/command', { host: host(), 'content-type': 'text/plain' }, command))
        .status,
    ).toBe(403);
    expect(
      (
        await send(
          'POST',
          '/__emulator/messages',
          { host: host(), 'content-type': 'application/x-www-form-urlencoded' },
          'a=b',
        )
      ).status,
    ).toBe(403);
  });

  it('GIVEN any answer THEN it allows no other origin', async () => {
    const answer = await send('GET', `/__emulator/commands?guild_id=${emulator.seed.guildId}`, { host: host() });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});
