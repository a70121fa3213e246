import { startBot } from './bot.js';
import { loadConfig } from './config.js';
import { PortInUseError } from './jobs/callback-server.js';
import { createLogger } from './logger.js';

/**
 * Entry point. With DISCORD_TOKEN it connects to Discord; without one it starts the playground:
 * a local Discord, provider simulators and the bot, with a page on 127.0.0.1 to use them.
 */
const config = loadConfig();
const secrets = [config.discord.token, ...Object.values(config.providers).map((settings) => settings.key)].filter(
  (value): value is string => Boolean(value),
);
const logger = createLogger({ level: config.logLevel, pretty: config.logPretty, secrets });

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
  stop = () => bot.stop();
} else {
  const { startPlayground } = await import('./sandbox/playground/server.js');
  const playground = await startPlayground({ config, logger });
  stop = () => playground.stop();
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
