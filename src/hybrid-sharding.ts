import type * as HybridShardingModule from 'discord-hybrid-sharding';
import type { Client } from 'discord.js';
import { z } from 'zod';
import type { Config } from './config.js';

type HybridSharding = typeof HybridShardingModule;

/** Something the deployer must change before `npm run cluster` can start: printed as one line. */
export class ClusterSetupError extends Error {
  override readonly name = 'ClusterSetupError';
}

/**
 * Loads discord-hybrid-sharding, an optional dependency: only `npm run cluster` and its processes
 * need it. `load` stands in for the import in tests.
 */
export async function loadHybridSharding(
  load: () => Promise<HybridSharding> = () => import('discord-hybrid-sharding'),
): Promise<HybridSharding> {
  try {
    return await load();
  } catch (error) {
    throw new ClusterSetupError(
      'npm run cluster needs the discord-hybrid-sharding package: run `npm install discord-hybrid-sharding` (an optional dependency)',
      { cause: error },
    );
  }
}

/**
 * Why this configuration cannot be shared among processes, one line each (empty: it can).
 * SHARD_COUNT above 1 without PostgreSQL and Redis is already refused by the config itself.
 */
export function clusterProblems(config: Config, environment: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (!config.discord.token) problems.push('DISCORD_TOKEN is missing: npm run cluster starts bot processes');
  if (!environment.SHARD_COUNT?.trim())
    problems.push(
      'SHARD_COUNT is missing: npm run cluster shares SHARD_COUNT shards among CLUSTER_PROCESSES processes',
    );
  const shards = config.shards?.ids.length ?? 1;
  // Without SHARD_COUNT, the count of processes has nothing to be measured against yet.
  if (environment.SHARD_COUNT?.trim() && config.clusterProcesses > shards)
    problems.push(
      `CLUSTER_PROCESSES is malformed: ${config.clusterProcesses} processes need at least as many shards, and this machine has ${shards}`,
    );
  if (config.callbackPort > 0 && config.callbackPort + config.clusterProcesses - 1 > 65_535)
    problems.push(
      `CALLBACK_PORT is malformed: process n listens on CALLBACK_PORT + n, and ${config.callbackPort} + ${config.clusterProcesses - 1} is above 65535`,
    );
  return problems.map((problem) => `Configuration error: ${problem}`);
}

// What the manager hands a process (getInfo() reads it from the environment): checked, as any outside input.
const clusterInfoSchema = z.object({
  CLUSTER: z.int().min(0),
  SHARD_LIST: z.array(z.int().min(0)).min(1),
  TOTAL_SHARDS: z.int().min(1),
});

/** A bot process started by `npm run cluster`'s manager. */
export interface ClusterChild {
  readonly id: number;
  /** The variables the manager decides for this process: its shards. */
  readonly environment: { SHARD_IDS: string; SHARD_COUNT: string };
  /** The process's own config: process n of one machine listens on CALLBACK_PORT + n. */
  configure(config: Config): Config;
  /** Tells the manager the bot is ready; from then on the client answers its requests. */
  ready(client: Client): void;
  /** Runs once when the manager is gone (its channel closed): a process must not outlive it. */
  onManagerGone(listener: () => void): void;
}

/** The cluster this process belongs to, or undefined when it was not started by `npm run cluster`. */
export async function joinCluster(): Promise<ClusterChild | undefined> {
  // The manager's variables (as getInfo() reads them) and its IPC channel: a shell that merely inherited them has no channel.
  if (process.env.CLUSTER_MANAGER !== 'true' || process.env.CLUSTER_MANAGER_MODE !== 'process' || !process.send)
    return undefined;
  const { ClusterClient, getInfo } = await loadHybridSharding();
  const parsed = clusterInfoSchema.safeParse(getInfo());
  if (!parsed.success)
    throw new ClusterSetupError(`the cluster manager's shard list is malformed: ${parsed.error.message}`);
  const info = parsed.data;
  return {
    id: info.CLUSTER,
    environment: { SHARD_IDS: info.SHARD_LIST.join(','), SHARD_COUNT: String(info.TOTAL_SHARDS) },
    configure: (config) => ({
      ...config,
      callbackPort: config.callbackPort === 0 ? 0 : config.callbackPort + info.CLUSTER,
    }),
    ready(client) {
      new ClusterClient(client).triggerReady();
    },
    onManagerGone(listener) {
      process.once('disconnect', listener);
    },
  };
}
