/**
 * `npm run build`: compiles src/ and commands/ to dist/ (tsconfig.build.json) so production runs
 * `node dist/src/main.js` without tsx, and copies what the compiled code reads from beside itself.
 * `npm run build -- <folder>` builds into another, new folder instead (the build test does).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');
// A file renamed or deleted in src/ must not live on in dist/. Only dist/ is ever removed.
if (!process.argv[2]) rmSync(out, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], {
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

// The playground's page server finds its page in static/ next to its own module (import.meta.url).
cpSync(join(root, 'src/sandbox/playground/static'), join(out, 'src/sandbox/playground/static'), { recursive: true });
process.stdout.write(`Built ${out}\n`);
