import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../src/sandbox/discord/index.js';

const root = resolve(import.meta.dirname, '..');
// Inside the repository, so the built files resolve their packages from its node_modules as dist/ does.
const cache = join(root, 'node_modules', '.cache');
let out: string;

/** Runs a command to its end; resolves with its exit code and what it wrote. */
function run(command: string, args: string[], environment: Record<string, string> = {}) {
  const child = spawn(command, args, {
    cwd: mkdtempSync(join(tmpdir(), 'build-')),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((done) =>
    child.once('close', (code) => done({ code, output })),
  );
}

describe('npm run build', () => {
  beforeAll(async () => {
    mkdirSync(cache, { recursive: true });
    out = mkdtempSync(join(cache, 'build-test-'));
    // The real script, into a folder of its own: a developer's dist/ is left as it is.
    const built = await run('npm', ['--prefix', root, 'run', '--silent', 'build', '--', out]);
    expect(built.code, built.output).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('GIVEN the build THEN node runs dist/src/main.js without tsx and it validates its config', async () => {
    const checked = await run(process.execPath, [join(out, 'src/main.js')], {
      CONFIG_CHECK_ONLY: 'true',
      LOG_LEVEL: 'silent',
    });
    expect(checked, checked.output).toEqual({ code: 0, output: '' });
    const refused = await run(process.execPath, [join(out, 'src/main.js')], {
      CONFIG_CHECK_ONLY: 'true',
      LOG_LEVEL: 'loud',
    });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/^Configuration error: LOG_LEVEL is malformed: /);
  });

  it('GIVEN the build THEN npm run cluster runs from it: the manager starts dist/src/main.js, which connects, and SIGTERM stops both', async () => {
    const emulator = await DiscordEmulator.start();
    const child = spawn(process.execPath, [join(out, 'src/cluster.js')], {
      cwd: mkdtempSync(join(tmpdir(), 'build-')),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DISCORD_TOKEN: emulator.token,
        DISCORD_APPLICATION_ID: emulator.applicationId,
        DISCORD_API_URL: emulator.restUrl,
        SHARD_COUNT: '1',
        CLUSTER_PROCESSES: '1',
        LOG_LEVEL: 'info',
        LOG_PRETTY: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const lines: string[] = [];
      await new Promise<void>((found, failed) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.includes('"msg":"cluster ready"')) found();
        });
        void exited.then((code) => failed(new Error(`dist/src/cluster.js exited with ${code}: ${stderr}`)));
      });
      expect(lines.filter((line) => line.includes('"msg":"bot ready"'))).toHaveLength(1);
      expect(emulator.gatewaySessions().filter((session) => session.connected)).toHaveLength(1);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await emulator.stop();
    }
  }, 60_000);

  it('GIVEN the build THEN the playground starts from it and serves its page, static files included', async () => {
    const child = spawn(process.execPath, [join(out, 'src/main.js')], {
      cwd: mkdtempSync(join(tmpdir(), 'build-')),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PLAYGROUND_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await new Promise<string>((found, failed) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const ready = /^Playground ready in [\d.]+ s: (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
          if (ready) found(ready[1]!);
        });
        child.once('exit', (code) =>
          failed(new Error(`dist/src/main.js exited with ${code} before the playground was ready: ${stderr}`)),
        );
      });
      for (const path of ['/', '/static/app.js', '/static/style.css']) {
        const response = await request(url + path);
        await response.body.dump();
        expect(response.statusCode, path).toBe(200);
      }
    } finally {
      child.kill('SIGTERM');
    }
  });
});
