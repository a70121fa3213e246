import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { environmentSchema, parseConfig } from '../../src/config.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const main = join(root, 'src/main.ts');
// An empty working directory: no .env is picked up and nothing is written into the repository.
const workdir = mkdtempSync(join(tmpdir(), 'config-test-'));

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.Gabcde.abcdefghijklmnopqrstuvwxyz012345';

async function start(environment: Record<string, string>): Promise<{ code: number; stderr: string; stdout: string }> {
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: 'silent',
    CONFIG_CHECK_ONLY: 'true',
  };
  try {
    const { stdout, stderr } = await run(tsx, [main], {
      cwd: workdir,
      env: { ...base, ...environment },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('configuration, as a real child process', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'DISCORD_APPLICATION_ID missing while a token is set',
      { DISCORD_TOKEN: TOKEN },
      /^Configuration error: DISCORD_APPLICATION_ID is missing: .*required when DISCORD_TOKEN is set/,
    ],
    [
      'DISCORD_APPLICATION_ID malformed',
      { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: 'abc' },
      /^Configuration error: DISCORD_APPLICATION_ID is malformed: expects a Discord snowflake/,
    ],
    [
      'DISCORD_TOKEN malformed',
      { DISCORD_TOKEN: 'short token', DISCORD_APPLICATION_ID: '1100000000000000001' },
      /^Configuration error: DISCORD_TOKEN is malformed: expects a bot token/,
    ],
    [
      'DISCORD_API_URL malformed',
      { DISCORD_API_URL: 'not a url' },
      /^Configuration error: DISCORD_API_URL is malformed: expects an http\(s\) URL/,
    ],
    [
      'DEFAULT_PROVIDER unknown',
      { DEFAULT_PROVIDER: 'dalle' },
      /^Configuration error: DEFAULT_PROVIDER is malformed: .*cloudsway-mj/,
    ],
    [
      'DEFAULT_PROVIDER without its key',
      { DEFAULT_PROVIDER: 'kie' },
      /^Configuration error: DEFAULT_PROVIDER is malformed: "kie" has no key configured/,
    ],
    [
      'CLOUDSWAY_MJ_ENDPOINT_PATH missing with its key',
      { CLOUDSWAY_MJ_KEY: 'k-123456' },
      /^Configuration error: CLOUDSWAY_MJ_ENDPOINT_PATH is missing: is required when CLOUDSWAY_MJ_KEY is set/,
    ],
    [
      'STORE_URL with an unknown scheme',
      { STORE_URL: 'mysql://x' },
      /^Configuration error: STORE_URL is malformed: expects sqlite:\/\//,
    ],
    ['LOG_LEVEL unknown', { LOG_LEVEL: 'loud' }, /^Configuration error: LOG_LEVEL is malformed: /],
    [
      'CALLBACK_PORT out of range',
      { CALLBACK_PORT: '70000' },
      /^Configuration error: CALLBACK_PORT is malformed: expects a whole number from 0 to 65535/,
    ],
    [
      'SHARD_COUNT above 1 without distributed mode',
      { SHARD_COUNT: '2' },
      /^Configuration error: SHARD_COUNT is malformed: more than one shard needs distributed mode: set DATABASE_URL/,
    ],
    [
      'SHARD_IDS outside SHARD_COUNT',
      {
        SHARD_COUNT: '2',
        SHARD_IDS: '1-2',
        DATABASE_URL: 'postgres://127.0.0.1/test',
        REDIS_URL: 'redis://127.0.0.1:6379',
      },
      /^Configuration error: SHARD_IDS is malformed: names a shard outside 0 to 1/,
    ],
    ['SHARD_IDS malformed', { SHARD_IDS: '0,a' }, /^Configuration error: SHARD_IDS is malformed: expects shard ids/],
    [
      'DATABASE_URL without REDIS_URL',
      { DATABASE_URL: 'postgres://127.0.0.1/test' },
      /^Configuration error: REDIS_URL is missing: is required with the other/,
    ],
    [
      'KIE_BASE_URL malformed',
      { KIE_KEY: 'k-123456', KIE_BASE_URL: 'ftp://x' },
      /^Configuration error: KIE_BASE_URL is malformed: expects an http\(s\) URL/,
    ],
  ];

  // Each case is its own process; running them together keeps the file fast.
  it.concurrent.each(cases)(
    'GIVEN %s THEN one line names the variable and the exit code is not 0',
    async (_title, environment, expected) => {
      const result = await start(environment);
      expect(result.code).not.toBe(0);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    },
  );

  it('GIVEN a valid environment THEN the process does not stop on configuration', async () => {
    const result = await start({
      KIE_KEY: 'k-123456',
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: '1100000000000000001',
    });
    expect(result.stderr).not.toMatch(/Configuration error/);
    expect(result.code).toBe(0);
  });
});

describe('the callback port, as a real child process', () => {
  it('GIVEN the port is taken (a second process on this host) THEN one line says so and names CALLBACK_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolvePromise) => taken.listen(0, '0.0.0.0', resolvePromise));
    const port = (taken.address() as AddressInfo).port;
    try {
      const result = await start({
        CONFIG_CHECK_ONLY: 'false',
        KIE_KEY: 'k-123456',
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: '1100000000000000001',
        // Nothing listens there: the bot must stop before it would connect.
        DISCORD_API_URL: 'http://127.0.0.1:9/api',
        STORE_URL: 'sqlite://:memory:',
        PUBLIC_BASE_URL: 'https://bot.example.org',
        CALLBACK_PORT: String(port),
      });
      expect(result.code).toBe(78);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Configuration error: CALLBACK_PORT ${port} is already in use`));
    } finally {
      taken.close();
    }
  });
});

describe('parseConfig', () => {
  it('GIVEN SHARD_IDS with ranges and distributed mode THEN this process opens exactly those shards', () => {
    const config = parseConfig({
      SHARD_COUNT: '8',
      SHARD_IDS: '0, 2, 5-7',
      DATABASE_URL: 'postgres://127.0.0.1/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.shards).toEqual({ ids: [0, 2, 5, 6, 7], count: 8 });
    expect(config.distributed).toEqual({
      databaseUrl: 'postgres://127.0.0.1/test',
      redisUrl: 'redis://127.0.0.1:6379',
      schema: 'imagine_bot',
      prefix: 'imagine',
    });
  });

  it('GIVEN SHARD_COUNT alone THEN this process opens them all; GIVEN neither THEN discord.js chooses (shard 0 of 1)', () => {
    const distributed = { DATABASE_URL: 'postgres://127.0.0.1/test', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(parseConfig({ SHARD_COUNT: '3', ...distributed }).shards).toEqual({ ids: [0, 1, 2], count: 3 });
    expect(parseConfig({}).shards).toBeUndefined();
    expect(parseConfig({}).distributed).toBeUndefined();
  });

  it('GIVEN no variables THEN defaults apply and the result is frozen', () => {
    const config = parseConfig({});
    expect(config.storeUrl).toBe('sqlite://./data/bot.sqlite');
    expect(config.maxPromptsPerCommand).toBe(10);
    expect(config.defaultProvider).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.discord)).toBe(true);
  });

  it('GIVEN several provider keys THEN only those are configured and the first is the default', () => {
    const config = parseConfig({ APIXO_KEY: 'a-123456', KIE_KEY: 'k-123456', KIE_BASE_URL: 'http://127.0.0.1:9/' });
    expect(Object.keys(config.providers).sort()).toEqual(['apixo', 'kie']);
    expect(config.providers.kie?.baseUrl).toBe('http://127.0.0.1:9/');
    expect(config.defaultProvider).toBe('apixo');
  });

  it('GIVEN CLOUDSWAY_MJ_UPSTREAM_OUTPAINT THEN off unless "true", and anything else is refused by name', () => {
    const cloudsway = { CLOUDSWAY_MJ_KEY: 'c-123456', CLOUDSWAY_MJ_ENDPOINT_PATH: 'abc' };
    expect(parseConfig(cloudsway).providers['cloudsway-mj']?.upstreamOutpaint).toBe(false);
    const on = parseConfig({ ...cloudsway, CLOUDSWAY_MJ_UPSTREAM_OUTPAINT: 'true' });
    expect(on.providers['cloudsway-mj']?.upstreamOutpaint).toBe(true);
    expect(() => parseConfig({ ...cloudsway, CLOUDSWAY_MJ_UPSTREAM_OUTPAINT: 'yes' })).toThrow(
      /^Configuration error: CLOUDSWAY_MJ_UPSTREAM_OUTPAINT is malformed: /,
    );
  });

  it('GIVEN empty strings THEN they count as unset', () => {
    const config = parseConfig({ DISCORD_TOKEN: '', KIE_KEY: '  ' });
    expect(config.discord.token).toBeUndefined();
    expect(config.providers.kie).toBeUndefined();
  });

  it('documents every variable in .env.example', () => {
    const documented = readFileSync(join(root, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.slice(0, line.indexOf('=')));
    const known = Object.keys(environmentSchema.shape);
    expect(documented.sort()).toEqual(known.sort());
  });
});
