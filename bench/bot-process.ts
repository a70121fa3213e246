import { startBot } from '../src/bot.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { serveParent } from './child.js';

/** The real bot, configured from the environment as in production, in a process of its own (see child.ts). */
const logger = createLogger({ level: 'silent', destination: { write: () => undefined } });
const bot = await startBot({ config: parseConfig(process.env), logger, registerCommands: true });
await bot.ready;
serveParent(() => bot.stop());
