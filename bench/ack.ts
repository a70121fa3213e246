import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DiscordEmulator, InteractionRecord } from '../src/sandbox/discord/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/run.js';
import { BenchChild } from './child.js';
import { PROFILE_PARTS, profileBreakdown, type ProfileBreakdown } from './profile.js';
import { createUsers, silentLogger } from './sandbox.js';
import { summarize, type Summary } from './stats.js';

export const BURST = 200;
/** A few commands first, so the burst measures the bot, not the first call's module loading and JIT. */
const WARM_UP = 5;
const ACK_TIMEOUT_MS = 10_000;

export interface AckRun {
  /** Dispatch → first response, emulator clock (ms); a failed interaction counts with the time Discord gave up. */
  latency_ms: Summary;
  /** Not acknowledged within Discord's 3 s ("This interaction failed"). */
  failed: number;
  /** Answered privately instead of starting a job (queue full and the like); still acknowledged. */
  refused: number;
  /** CPU the bot's process spent from the burst's dispatch until its last acknowledgement, per command. */
  cpu_ms_per_command: number;
  /**
   * A second burst of the same size under V8's CPU profiler (so the first one's figures carry no
   * profiler overhead): self time per part of the process, per command, in milliseconds.
   */
  profile_ms_per_command: ProfileBreakdown;
}

export interface AckResult {
  commands: number;
  /** The real bot. */
  bot: AckRun;
  /** A bare discord.js client that replies at once and does nothing else, on the same emulator. */
  floor: AckRun;
}

function imagine(emulator: DiscordEmulator, userId: string, prompt: string): Promise<InteractionRecord> {
  return emulator.slashCommand(
    { userId, channelId: emulator.seed.channels.imagine, name: 'imagine', options: { prompt } },
    { wait: 'ack', timeoutMs: ACK_TIMEOUT_MS },
  );
}

/** BURST new members each send one /imagine; all leave in the same tick. */
export function sendBurst(emulator: DiscordEmulator, label: string): Promise<InteractionRecord[]> {
  const users = createUsers(emulator, BURST, label);
  // Each call dispatches synchronously before its first await.
  return Promise.all(users.map((userId, index) => imagine(emulator, userId, `a crowd of lanterns, ${label} ${index}`)));
}

/** Dispatch → first response; a failed interaction counts with the time Discord gave up. */
export function ackLatency(records: readonly InteractionRecord[]): Summary {
  const answeredAt = (record: InteractionRecord) =>
    record.acknowledgedAt ?? record.failedAt ?? Number.POSITIVE_INFINITY;
  return summarize(records.map((record) => answeredAt(record) - record.dispatchedAt));
}

async function burst(emulator: DiscordEmulator, label: string, child: BenchChild): Promise<AckRun> {
  for (const [index, userId] of createUsers(emulator, WARM_UP, `${label}-warm-up`).entries())
    await imagine(emulator, userId, `warm-up ${index}`);
  const cpuBefore = await child.cpuMs();
  const records = await sendBurst(emulator, `${label}-burst`);
  const cpuAfter = await child.cpuMs();
  // BENCH_PROFILE_DIR keeps the profiles (open them in Chrome DevTools' Performance panel).
  const kept = process.env.BENCH_PROFILE_DIR;
  const directory = kept ?? (await mkdtemp(join(tmpdir(), 'bench-profile-')));
  try {
    const path = join(directory, `${label}.cpuprofile`);
    await child.startProfile();
    await sendBurst(emulator, `${label}-profiled`);
    await child.stopProfile(path);
    const breakdown = await profileBreakdown(path);
    for (const part of PROFILE_PARTS) breakdown[part] /= BURST;
    return {
      latency_ms: ackLatency(records),
      failed: records.filter((record) => record.failed).length,
      refused: records.filter((record) => record.acknowledgedAt !== null && record.ephemeral).length,
      cpu_ms_per_command: (cpuAfter - cpuBefore) / BURST,
      profile_ms_per_command: breakdown,
    };
  } finally {
    if (!kept) await rm(directory, { recursive: true, force: true });
  }
}

/** The emulator and an APIXO simulator, the bot left to a process of its own. */
export function startApixoSandbox(): Promise<Sandbox> {
  return startSandbox({
    logger: silentLogger(),
    providers: ['apixo'],
    defaultProvider: 'apixo',
    startBot: false,
    simulator: { imageEdge: 256 },
  });
}

async function inChild(
  script: string,
  environment: Record<string, string>,
  work: (child: BenchChild) => Promise<AckRun>,
): Promise<AckRun> {
  const child = await BenchChild.start(script, environment);
  try {
    return await work(child);
  } finally {
    await child.stop();
  }
}

/**
 * 200 different users run /imagine at the same instant (each has one job, so per-user concurrency
 * refuses none). The bot runs in its own process, as it does in production, with the emulator here;
 * the same burst then goes to a bare discord.js client, the floor for this machine and emulator.
 */
export async function measureAck(): Promise<AckResult> {
  const sandbox = await startApixoSandbox();
  try {
    const { emulator, environment } = sandbox;
    const bot = await inChild('./bot-process.ts', environment, (child) => burst(emulator, 'bot', child));
    const floor = await inChild('./reply-bot.ts', environment, (child) => burst(emulator, 'floor', child));
    return { commands: BURST, bot, floor };
  } finally {
    await sandbox.stop();
  }
}
