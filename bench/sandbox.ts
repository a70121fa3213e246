import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderId } from '../src/config.js';
import { createLogger, type Logger } from '../src/logger.js';
import { DiscordEmulator, type InteractionRecord, type MessageView } from '../src/sandbox/discord/index.js';
import { ApixoSimulator } from '../src/sandbox/providers/apixo-simulator.js';
import {
  CloudswayMjSimulator,
  type CloudswayMjSimulatorOptions,
} from '../src/sandbox/providers/cloudsway-mj-simulator.js';
import { startSimulator, type ProviderSimulator, type SimulatorOptions } from '../src/sandbox/providers/index.js';
import { KieSimulator } from '../src/sandbox/providers/kie-simulator.js';
import type { SimClock } from '../src/sandbox/providers/kit/clock.js';
import type { StoredMessage } from '../src/sandbox/discord/state/types.js';
import type { Sandbox } from '../src/sandbox/run.js';

/** What the sandbox calls the Cloudsway endpoint segment; a simulator started here must use the same. */
const SANDBOX_ENDPOINT_PATH = 'sandbox';
/** Simulated seconds a finished Cloudsway job reads "success" before its URLs appear (the simulator's default, stated here so the bench knows it). */
export const CLOUDSWAY_URLS_LAG_SECONDS = 3;

/** The benchmark must not print the bot's logs: they would drown the table and cost time. */
export function silentLogger(): Logger {
  return createLogger({ level: 'silent', destination: { write: () => undefined } });
}

export interface SimulatorSetup {
  timeScale: number;
  imageEdge?: number;
  durations?: SimulatorOptions['durations'];
}

/**
 * A provider simulator the benchmark owns, so several bots in turn (and the recipes) can share it.
 * Cloudsway's simulator refuses an eleventh running job per account; the bot and the recipe share
 * one account here, so its cap is raised. Nothing about timing is changed.
 */
export function startBenchSimulator(provider: ProviderId, setup: SimulatorSetup): Promise<ProviderSimulator> {
  const options: SimulatorOptions = {
    key: 'bench-key',
    timeScale: setup.timeScale,
    imageEdge: setup.imageEdge ?? 256,
    ...(setup.durations ? { durations: setup.durations } : {}),
  };
  const cloudsway: CloudswayMjSimulatorOptions = {
    ...options,
    endpointPath: SANDBOX_ENDPOINT_PATH,
    maxConcurrentJobs: 5_000,
    urlsLagSeconds: CLOUDSWAY_URLS_LAG_SECONDS,
  };
  return startSimulator(provider, provider.startsWith('cloudsway') ? cloudsway : options);
}

export function startBenchEmulator(): Promise<DiscordEmulator> {
  return DiscordEmulator.start();
}

/** Simulated time (ms) that corresponds to a real timestamp, on a simulator's scaled clock. */
export function simTimeAt(clock: SimClock, realMs: number): number {
  return clock.now() - (Date.now() - realMs) / clock.timeScale;
}

/** Real timestamp (ms) that corresponds to a simulated time. */
export function realTimeAt(clock: SimClock, simMs: number): number {
  return Date.now() - (clock.now() - simMs) * clock.timeScale;
}

/**
 * Simulated time at which a status query first returns a result a client can use: the task's
 * finish, read from the simulator's own task state. For Cloudsway that is the finish plus the lag
 * before its URLs appear (status 2 without URLs is not yet a result).
 */
export function resultReadyAt(simulator: ProviderSimulator, taskId: string): number | undefined {
  if (simulator instanceof ApixoSimulator || simulator instanceof KieSimulator) {
    const task = simulator.task(taskId);
    return task ? task.createdAt + task.durationMs : undefined;
  }
  if (simulator instanceof CloudswayMjSimulator) {
    const job = simulator.job(taskId);
    return job ? job.createdAt + job.durationMs + CLOUDSWAY_URLS_LAG_SECONDS * 1000 : undefined;
  }
  return undefined;
}

/** Simulated ms from a task's submit until a status query first returns its result (see resultReadyAt). */
export function resultVisibleAfter(simulator: ProviderSimulator, taskId: string): number | undefined {
  const ready = resultReadyAt(simulator, taskId);
  if (ready === undefined) return undefined;
  const createdAt =
    simulator instanceof CloudswayMjSimulator
      ? simulator.job(taskId)?.createdAt
      : simulator instanceof ApixoSimulator || simulator instanceof KieSimulator
        ? simulator.task(taskId)?.createdAt
        : undefined;
  return createdAt === undefined ? undefined : ready - createdAt;
}

/** Status queries the simulator answered (whoever sent them). */
export function statusRequestCount(simulator: ProviderSimulator): number {
  return simulator.requests.filter((request) => request.kind === 'status').length;
}

/**
 * Notes the real time of every status query the bot's adapter makes. It only watches: the call
 * goes through unchanged. The simulator cannot tell the bot's queries from the recipe's.
 */
export function recordStatusQueries(sandbox: Sandbox, provider: ProviderId, times: number[]): void {
  const adapter = sandbox.bot?.context.adapters.get(provider);
  if (!adapter) throw new Error(`the bot has no ${provider} adapter`);
  const status = adapter.status.bind(adapter);
  adapter.status = (taskId, options) => {
    times.push(Date.now());
    return status(taskId, options);
  };
}

const JOB_ID = /Job `([a-z0-9]+)`/;

/**
 * Remembers when each job's result first showed (its message got an attachment), in real ms,
 * by job id: a late result is a new message, a quick one an edit of the waiting message.
 */
export class FinalEdits {
  private readonly times = new Map<string, number>();
  private readonly listener = ({ message }: { message: StoredMessage }) => {
    const jobId = JOB_ID.exec(message.content)?.[1];
    if (jobId && message.attachments.length > 0 && !this.times.has(jobId)) this.times.set(jobId, Date.now());
  };

  constructor(private readonly emulator: DiscordEmulator) {
    emulator.events.on('message.update', this.listener);
    emulator.events.on('message.create', this.listener);
  }

  at(jobId: string): number | undefined {
    return this.times.get(jobId);
  }

  stop(): void {
    this.emulator.events.off('message.update', this.listener);
    this.emulator.events.off('message.create', this.listener);
  }
}

/** A finished job message: the result is attached, or the job visibly failed. */
export const isFinal = (message: MessageView): boolean =>
  message.attachments.length > 0 || /\(failed\)|could not be fetched|withheld/.test(message.content);

export function messageIdOf(interaction: InteractionRecord): string {
  const id = interaction.originalMessageId ?? interaction.responseMessageIds[0];
  if (!id)
    throw new Error(
      `interaction ${interaction.id} (${interaction.name}) created no message${interaction.failed ? ': it failed' : ''}`,
    );
  return id;
}

/** The id of the job an interaction's message shows (read as soon as the message names it). */
export async function jobIdOf(
  emulator: DiscordEmulator,
  interaction: InteractionRecord,
  timeoutMs: number,
): Promise<string> {
  const messageId = messageIdOf(interaction);
  const shown = await emulator.waitForMessage(
    interaction.channelId,
    (message) => message.id === messageId && JOB_ID.test(message.content),
    { timeoutMs },
  );
  return JOB_ID.exec(shown.content)![1]!;
}

/**
 * Waits for the job an interaction made to show its final state: in its own message when it came
 * quickly, or in a new message when it came late.
 */
export async function waitForFinal(
  emulator: DiscordEmulator,
  interaction: InteractionRecord,
  timeoutMs: number,
): Promise<MessageView> {
  const jobId = await jobIdOf(emulator, interaction, timeoutMs);
  return emulator.waitForMessage(
    interaction.channelId,
    (message) => message.content.includes(`Job \`${jobId}\``) && isFinal(message),
    { timeoutMs },
  );
}

/** Channels for a run, so jobs spread out and Discord's per-channel pacing does not sit inside a timing. */
export function createChannels(emulator: DiscordEmulator, count: number, prefix: string): string[] {
  return Array.from(
    { length: count },
    (_, index) => emulator.createChannel(emulator.seed.guildId, { name: `${prefix}-${index}` }).id,
  );
}

export function createUsers(emulator: DiscordEmulator, count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, index) => emulator.createUser({ username: `${prefix}${index}` }).id);
}

/** Runs `start(index)` `count` times, `everyMs` apart, and resolves with all their results. */
export async function staggered<T>(count: number, everyMs: number, start: (index: number) => Promise<T>): Promise<T[]> {
  const running: Promise<T>[] = [];
  for (let index = 0; index < count; index += 1) {
    if (index > 0) await sleep(everyMs);
    running.push(start(index));
  }
  return Promise.all(running);
}
