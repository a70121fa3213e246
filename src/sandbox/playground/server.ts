import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { startSandbox } from '../run.js';

export interface Playground {
  url: string;
  stop(): Promise<void>;
}

/**
 * The playground: the whole bot on loopback, against the Discord emulator and the provider
 * simulators (or a real provider wherever its key is set).
 */
export async function startPlayground(options: { config: Config; logger: Logger }): Promise<Playground> {
  const started = Date.now();
  const realKeys = Object.fromEntries(Object.values(options.config.providers).map((settings) => [`${settings.id.toUpperCase().replace('-', '_')}_KEY`, settings.key]));
  const sandbox = await startSandbox({ logger: options.logger, timeScale: 0.15, environment: { ...realKeys, STORE_URL: options.config.storeUrl } });
  const url = sandbox.emulator.controlUrl;
  options.logger.info({ url, ms: Date.now() - started }, 'playground ready');
  process.stdout.write(`\nPlayground ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${url}\n`);
  return { url, stop: () => sandbox.stop() };
}
