import { parseConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { startPlayground, type Playground } from '../../../src/sandbox/playground/server.js';

/** The playground as `npm start` runs it without a token, on a free port, quiet, at a test's pace. */
export function startTestPlayground(timeScale: number): Promise<Playground> {
  return startPlayground({
    config: parseConfig({}),
    logger: createLogger({ level: 'warn', destination: { write: () => undefined } }),
    port: 0,
    timeScale,
    environment: {},
    announce: false,
  });
}
