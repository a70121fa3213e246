import { startBot } from './bot.js';
import { loadConfig } from './config.js';
import { ClusterSetupError, joinCluster } from './hybrid-sharding.js';
import { PortInUseError } from './jobs/callback-server.js';
import { createLogger } from './logger.js';

/**
 * Entry point. With DISCORD_TOKEN it connects to Discord; without one it starts the playground:
 * a local Discord, provider simulators and the bot, with a page on 127.0.0.1 to use them.
 * Started by `npm run cluster`, it opens the shards its manager gives it.
 */
const cluster = await joinCluster().catch((error: unknown) => {
  if (!(error instanceof ClusterSetupError)) throw error;
  process.stderr.write(`Configuration error: ${error.message}\n`);
  process.exit(78);
});
const loaded = loadConfig(cluster?.environment);
const config = cluster ? cluster.configure(loaded) : loaded;
const secrets = [config.discord.token, ...Object.values(config.providers).map((settings) => settings.key)].filter(
  (value): value is string => Boolean(value),
);
const rootLogger = createLogger({ level: config.logLevel, pretty: config.logPretty, secrets });
// A cluster's processes write to one stdout: each line says which process wrote it.
const logger = cluster ? rootLogger.child({ cluster: cluster.id }) : rootLogger;

// Used by the configuration tests: validate, then stop before connecting anywhere.
if (process.env.CONFIG_CHECK_ONLY === 'true') process.exit(0);

process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

let stop: () => Promise<void>;
if (config.discord.token) {
  const bot = await startBot({ config, logger }).catch((error: unknown) => {
    // Something the deployer must change, not a crash: one line, as for a bad variable.
    if (error instanceof PortInUseError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  });
  await bot.ready;
  cluster?.ready(bot.client);
  stop = () => bot.stop();
} else {
  const { startPlayground } = await import('./sandbox/playground/server.js');
  const playground = await startPlayground({ config, logger });
  stop = () => playground.stop();
}

let stopping = false;
function shutDown(reason: string): void {
  if (stopping) process.exit(1);
  stopping = true;
  logger.info({ signal: reason }, 'shutting down');
  void stop().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shutDown(signal));
// A cluster's process whose manager died (kill -9) would run on unsupervised: it stops as on SIGTERM.
cluster?.onManagerGone(() => {
  if (!stopping) shutDown('manager gone');
});
