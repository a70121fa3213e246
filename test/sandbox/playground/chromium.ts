/**
 * The headless Chromium the playground's browser test drives, so that `npm ci && npm test` needs
 * nothing on the machine but Node: Debian's `chromium` where it is installed, else the build that
 * ships inside the `@sparticuz/chromium` npm package (a devDependency; nothing is downloaded).
 */
import { execFile } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

const run = promisify(execFile);

/** Debian's package (`apt-get install chromium`), preferred where present: it follows the system's updates. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const PACKAGE = '@sparticuz/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Candidate {
  /** Names the browser in messages: which one ran, or why each could not. */
  source: string;
  /** Resolves the launch options; may unpack the browser first. */
  prepare(): Promise<LaunchOptions>;
}

function debianCandidate(): Candidate | undefined {
  if (!existsSync(DEBIAN_CHROMIUM)) return undefined;
  return {
    source: `Debian's ${DEBIAN_CHROMIUM}`,
    prepare: () => Promise.resolve({ executablePath: DEBIAN_CHROMIUM, args: ARGS }),
  };
}

/**
 * The package's bin/ holds a chrome-headless-shell build and its extras, brotli-compressed. Its own
 * unpacker is made for AWS Lambda: it writes to a fixed /tmp/chromium and trusts whatever is there
 * (a stale or half-written file from another version included), and brings its NSS libraries only
 * on Amazon Linux. So the files are unpacked here, into a directory named after the pinned version,
 * written under a temporary name and renamed into place, so a run that was killed mid-way leaves
 * nothing that looks complete.
 */
function packagedCandidate(): Candidate {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(PACKAGE);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      source: PACKAGE,
      prepare: () => Promise.reject(new Error(`not installed (it is a devDependency: run npm ci): ${reason}`)),
    };
  }
  const root = join(dirname(entry), '..', '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  // Under node_modules: per clone and per user, and `npm ci` clears it with the package it came from.
  const target = join(root, '..', '..', '.cache', `sparticuz-chromium-${version}`);
  return {
    source: `${PACKAGE} ${version} (unpacked in ${target})`,
    async prepare() {
      if (!existsSync(target)) await unpack(join(root, 'bin'), target);
      return {
        executablePath: join(target, 'chromium'),
        args: ARGS,
        env: {
          ...definedEnvironment(),
          // libnss3, libnspr4 and libexpat, built for Amazon Linux 2023 (glibc 2.34): a bare Debian or
          // Ubuntu has none of them, and these load on any glibc from 2.34 on.
          LD_LIBRARY_PATH: [join(target, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
          // Without fonts the screenshot's text would be blank on a machine without any.
          FONTCONFIG_PATH: join(target, 'fonts'),
        },
      };
    },
  };
}

async function unpack(bin: string, target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.partial-`);
  try {
    await pipeline(
      createReadStream(join(bin, 'chromium.br')),
      createBrotliDecompress(),
      createWriteStream(join(staging, 'chromium'), { mode: 0o700 }),
    );
    // SwiftShader (software GL) must sit beside the binary, which looks for it in its own directory.
    await untar(join(bin, 'swiftshader.tar.br'), staging);
    await untar(join(bin, 'al2023.tar.br'), join(staging, 'al2023'));
    await untar(join(bin, 'fonts.tar.br'), join(staging, 'fonts'));
    // The packaged fonts.conf names Lambda's directories; this one names where the fonts are.
    writeFileSync(
      join(staging, 'fonts', 'fonts.conf'),
      `<?xml version="1.0"?>\n<fontconfig><dir>${join(target, 'fonts', 'fonts')}</dir><cachedir>${join(target, 'fonts', 'cache')}</cachedir></fontconfig>\n`,
    );
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another run unpacked the same version at the same time and won the rename: use its copy.
    if (existsSync(join(target, 'chromium'))) return;
    throw error;
  }
}

/**
 * Brotli-compressed tarballs, through the system's `tar` (an essential package on every Debian).
 * Written to a file first: piped in, `tar` stops reading at the archive's end marker, and the
 * padding still being written after it fails with a closed pipe whenever `tar` gets there first.
 */
async function untar(archive: string, directory: string): Promise<void> {
  mkdirSync(directory, { recursive: true });
  const tarball = join(directory, basename(archive, '.br'));
  await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tarball));
  try {
    await run('tar', ['-xf', tarball, '-C', directory]);
  } finally {
    rmSync(tarball, { force: true });
  }
}

/** Playwright's `env` replaces the browser's environment, and takes no undefined values. */
function definedEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/**
 * Launches the first Chromium that starts. If none does, the error names each one tried and why it
 * failed, so a machine that cannot run the browser test says so instead of skipping it.
 */
export async function launchChromium(): Promise<{ browser: Browser; source: string }> {
  const failures: string[] = [];
  if (!existsSync(DEBIAN_CHROMIUM)) failures.push(`Debian's ${DEBIAN_CHROMIUM}: not installed`);
  for (const candidate of [debianCandidate(), packagedCandidate()]) {
    if (!candidate) continue;
    try {
      return { browser: await chromium.launch(await candidate.prepare()), source: candidate.source };
    } catch (error) {
      failures.push(`${candidate.source}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`No headless Chromium could start for the playground's browser test:\n- ${failures.join('\n- ')}`);
}
