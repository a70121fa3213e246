import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');

/** Runs one of the repository's scripts as a child process; resolves with its first stdout line (then kills it) or its exit. */
export function runScript(
  script: string,
  args: string[],
  environment: Record<string, string> = {},
  options: { firstLine?: boolean } = {},
) {
  // Node itself with tsx's loader (resolved from the repository), so a kill reaches the script.
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, join(root, script), ...args],
    {
      cwd: mkdtempSync(join(tmpdir(), 'cli-')),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ line?: string; code: number | null; stderr: string; stop: () => void }>((resolvePromise) => {
    const stop = () => child.kill('SIGTERM');
    if (options.firstLine)
      createInterface({ input: child.stdout }).once('line', (line) =>
        resolvePromise({ line, code: null, stderr, stop }),
      );
    child.once('exit', (code) => resolvePromise({ code, stderr, stop }));
  });
}
