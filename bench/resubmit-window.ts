import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/logger.js';
import { startSandbox } from '../src/sandbox/run.js';
import { percentile } from './stats.js';

const JOBS = 60;

export interface ResubmitWindowResult {
  jobs: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

/**
 * The window in which a kill makes the bot submit a task again: from the moment the provider's
 * answer to a submit is in hand to the moment its task id is committed to SQLite (a file in WAL
 * mode, as in production). No provider here takes an idempotency key, so a SIGKILL inside this
 * window is the one way a member's job costs two tasks; the crash-point test shows it happen.
 */
export async function measureResubmitWindow(): Promise<ResubmitWindowResult> {
  const folder = mkdtempSync(join(tmpdir(), 'resubmit-window-'));
  const windows: number[] = [];
  const logger = createLogger({
    level: 'info',
    destination: {
      write: (line: string) => {
        if (!line.includes('"msg":"job submitted"')) return;
        const recorded = (JSON.parse(line) as { recordedInMs?: number }).recordedInMs;
        if (typeof recorded === 'number') windows.push(recorded);
      },
    },
  });
  const sandbox = await startSandbox({
    logger,
    providers: ['kie'],
    defaultProvider: 'kie',
    timeScale: 0.002,
    simulator: { imageEdge: 64 },
    environment: { STORE_URL: `sqlite://${join(folder, 'bot.sqlite')}` },
  });
  try {
    const { emulator } = sandbox;
    // One at a time per member, three members: submits overlap as they do in a busy server.
    const users = [emulator.seed.users.alice, emulator.seed.users.bob, emulator.seed.users.mia];
    for (let index = 0; index < JOBS; index += users.length) {
      await Promise.all(
        users.map((userId, offset) =>
          emulator.slashCommand(
            {
              userId,
              channelId: emulator.seed.channels.imagine,
              name: 'imagine',
              options: { prompt: `a harbour at dusk ${index + offset}` },
            },
            { wait: 'ack' },
          ),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    const deadline = Date.now() + 30_000;
    while (windows.length < JOBS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    await sandbox.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  return {
    jobs: windows.length,
    p50_ms: percentile(windows, 50),
    p99_ms: percentile(windows, 99),
    max_ms: Math.max(...windows),
  };
}
