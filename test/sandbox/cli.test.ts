import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { runScript as run } from '../run-script.js';

const root = resolve(import.meta.dirname, '../..');

describe('npm run sim', () => {
  it('GIVEN a provider and a key THEN the first line is the base URL a client configures, and only that key is accepted', async () => {
    const started = await run(
      'src/sandbox/providers/cli.ts',
      ['kie', '--port', '0', '--key', 'my-key', '--time-scale', '0.01'],
      {},
      { firstLine: true },
    );
    try {
      expect(started.line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const call = async (key: string) => {
        const response = await request(`${started.line!}/api/v1/mj/record-info?taskId=nothing`, {
          headers: { authorization: `Bearer ${key}` },
        });
        return (await response.body.json()) as { code: number };
      };
      expect((await call('other-key')).code).toBe(401);
      expect((await call('my-key')).code).not.toBe(401);
    } finally {
      started.stop();
    }
  });

  it('GIVEN Cloudsway THEN the base URL includes /v1/ai/<endpointPath>', async () => {
    const started = await run('src/sandbox/providers/cli.ts', ['cloudsway-mj'], {}, { firstLine: true });
    started.stop();
    expect(started.line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/ai\/[A-Za-z0-9]+$/);
  });

  it('GIVEN an unknown provider THEN it says which exist and exits non-zero', async () => {
    const result = await run('src/sandbox/providers/cli.ts', ['dalle']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cloudsway-mj, cloudsway-image, apixo, acedata, kie/);
  });
});

describe('npm run emulator', () => {
  it('GIVEN --token THEN it prints the REST base URL, the control API and that token, and accepts it', async () => {
    const token = 'emulator-cli-test-token.abc.def';
    const child = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href,
        join(root, 'src/sandbox/discord/cli.ts'),
        '--port',
        '0',
        '--token',
        token,
      ],
      {
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const lines: string[] = [];
      await new Promise<void>((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no token line in: ${lines.join(' | ')}`)), 20_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.includes('Bot token')) {
            clearTimeout(timer);
            resolvePromise();
          }
        });
      });
      const restUrl = lines
        .map((line) => /REST base URL.*: (http:\/\/127\.0\.0\.1:\d+\/api)$/.exec(line)?.[1])
        .find(Boolean);
      expect(restUrl).toBeDefined();
      expect(lines.some((line) => /Control API:\s+http:\/\/127\.0\.0\.1:\d+\/__emulator$/.test(line))).toBe(true);
      expect(lines.some((line) => line.endsWith(token))).toBe(true);
      const gateway = async (auth: string) =>
        (await request(`${restUrl!}/v10/gateway/bot`, { headers: { authorization: auth } })).statusCode;
      expect(await gateway(`Bot ${token}`)).toBe(200);
      expect(await gateway('Bot wrong-token-wrong-token')).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
