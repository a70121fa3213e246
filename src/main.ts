import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

const config = loadConfig();
const secrets = [config.discord.token, ...Object.values(config.providers).map((settings) => settings.key)].filter((value): value is string => Boolean(value));
const logger = createLogger({ level: config.logLevel, pretty: config.logPretty, secrets });

logger.info({ providers: Object.keys(config.providers), playground: !config.discord.token }, 'configuration loaded');
