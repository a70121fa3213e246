import { ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from './config.js';
import { ClusterSetupError, clusterProblems, loadHybridSharding } from './hybrid-sharding.js';
import { createLogger } from './logger.js';

/**
 * `npm run cluster`: several bot processes on one machine. discord-hybrid-sharding's ClusterManager
 * shares this machine's shards (SHARD_IDS, or all of SHARD_COUNT) among CLUSTER_PROCESSES
 * processes, each running the normal entry, main.ts, which takes its shard list from the manager.
 * Processes share records and steps through PostgreSQL and Redis, as separate `npm start`s would.
 */
const config = loadConfig();
const logger = createLogger({
  level: config.logLevel,
  pretty: config.logPretty,
  secrets: config.discord.token ? [config.discord.token] : [],
  // Synchronous: the manager's last line is written just before it exits.
  ...(config.logPretty ? {} : { destination: pino.destination({ dest: 1, sync: true }) }),
}).child({ component: 'cluster' });

const problems = clusterProblems(config, process.env);
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(78);
}
const { ClusterManager } = await loadHybridSharding().catch((error: unknown) => {
  if (!(error instanceof ClusterSetupError)) throw error;
  process.stderr.write(`Configuration error: ${error.message}\n`);
  process.exit(78);
});

// The bot's entry beside this file: main.ts under tsx, main.js once built; node's flags (tsx's loader) carry over.
const entry = fileURLToPath(new URL(`./main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const shards = config.shards ?? { ids: [0], count: 1 };
const manager = new ClusterManager(entry, {
  mode: 'process',
  // A number, never 'auto': the library would ask discord.com, not DISCORD_API_URL, for a count.
  totalShards: shards.count,
  shardList: [...shards.ids],
  totalClusters: config.clusterProcesses,
  token: config.discord.token,
  execArgv: process.execArgv,
  // Its own process group, so a terminal's Ctrl-C reaches the manager alone, which stops each process once.
  // (clusterData is the library's own: it fills each process's environment itself.)
  clusterOptions: { detached: true, clusterData: undefined },
  // Each process is ready (its shards identified) before the next starts, so identifies never overlap.
  spawnOptions: { timeout: 120_000 },
});

manager.on('clusterCreate', (cluster) => {
  logger.info({ cluster: cluster.id, shards: cluster.shardList }, 'cluster process starting');
  cluster.on('death', (_cluster, thread) => {
    // Emitted before the library decides: it starts the process again while under its restart limit.
    const again = cluster.restarts.current < cluster.restarts.max;
    logger.warn(
      { cluster: cluster.id, exitCode: thread && 'exitCode' in thread ? thread.exitCode : undefined },
      again
        ? 'cluster process exited; the manager starts it again'
        : `cluster process exited; not started again (${cluster.restarts.max} restarts within the hour)`,
    );
  });
  cluster.on('error', (error) => logger.error({ err: error, cluster: cluster.id }, 'cluster process error'));
});
manager.on('clusterReady', (cluster) =>
  logger.info({ cluster: cluster.id, shards: cluster.shardList }, 'cluster process ready'),
);
manager.on('debug', (message) => logger.debug({ detail: message }, 'cluster manager'));

let stopping = false;
/** Stops every process (SIGTERM: each shuts down gracefully) and exits once all have; 1 if any failed. */
async function shutDown(signal: string): Promise<never> {
  stopping = true;
  logger.info({ signal }, 'stopping the cluster');
  const exits: Promise<number | null>[] = [];
  for (const cluster of manager.clusters.values()) {
    const child = cluster.thread?.process;
    // kill() drops every listener on the process first (so the library starts nothing again), then signals it.
    cluster.kill({ force: true, reason: signal });
    if (child instanceof ChildProcess && child.exitCode === null && child.signalCode === null)
      exits.push(new Promise((resolve) => child.once('exit', (code) => resolve(code))));
  }
  const codes = await Promise.all(exits);
  const clean = codes.every((code) => code === 0);
  logger.info({ exitCodes: codes }, clean ? 'cluster stopped' : 'cluster stopped, not cleanly');
  process.exit(clean ? 0 : 1);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) process.exit(1);
    void shutDown(signal);
  });

try {
  await manager.spawn();
  logger.info({ processes: manager.clusters.size, shards: shards.ids, shardCount: shards.count }, 'cluster ready');
} catch (error) {
  logger.error({ err: error }, 'cluster failed to start');
  if (!stopping) await shutDown('start failed');
}
