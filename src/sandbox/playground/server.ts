import type { Config, ProviderId } from '../../config.js';
import type { Logger } from '../../logger.js';
import { startSandbox, type Sandbox } from '../run.js';
import { PLAYGROUND_TIME_SCALE, playgroundEnvironment } from './environment.js';
import { startPageServer } from './page-server.js';

export interface Playground {
  /** The page, on 127.0.0.1. */
  url: string;
  /** Seconds from the call to ready. */
  readySeconds: number;
  /** The emulator, simulators and bot behind the page. */
  sandbox: Sandbox;
  stop(): Promise<void>;
}

export interface PlaygroundOptions {
  config: Config;
  logger: Logger;
  /** Defaults to `config.playgroundPort` (PLAYGROUND_PORT, 8080); 0 picks a free port. */
  port?: number;
  /** Real seconds per simulated second in the provider simulators; tests go faster. */
  timeScale?: number;
  /** Where variables of real providers are read; defaults to `process.env`. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Print the ready line on stdout (default true). */
  announce?: boolean;
}

/**
 * The playground (`npm start` without DISCORD_TOKEN): the Discord emulator, a simulator per
 * provider (or, with PLAYGROUND_REAL_PROVIDERS=true, the real provider wherever its key is
 * configured) and the real bot, on loopback,
 * with a page that looks and works like a Discord channel.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const started = performance.now();
  const { config, logger } = options;
  const sandbox = await startSandbox({
    logger,
    timeScale: options.timeScale ?? PLAYGROUND_TIME_SCALE,
    // Half the default edge: a grid renders in a fraction of the time and still fills the page.
    simulator: { imageEdge: 512 },
    // The bot's receiver on loopback is its public URL here: providers call back instead of being
    // polled, and Vary (Region) opens the editor page (a mask URL provider needs one too).
    callbacks: true,
    environment: playgroundEnvironment(config, options.environment ?? process.env),
  });
  // Configured the way a moderated server would be, so that the mirror, Delete and Block are there
  // from the first job: #mod-log as the moderation channel, the Moderator role as moderators.
  const { seed } = sandbox.emulator;
  await sandbox.bot?.context.stores.guilds.update(seed.guildId, {
    modChannelId: seed.channels.modLog,
    modRoleId: seed.roles.moderator,
  });
  const page = await startPageServer({
    emulator: sandbox.emulator,
    port: options.port ?? config.playgroundPort,
    logger: logger.child({ component: 'playground' }),
  }).catch(async (error: unknown) => {
    await sandbox.stop();
    throw error;
  });
  const readySeconds = (performance.now() - started) / 1000;
  const simulated = [...sandbox.simulators.keys()];
  const real = (Object.keys(sandbox.config.providers) as ProviderId[]).filter((id) => !sandbox.simulators.has(id));
  logger.info({ url: page.url, readySeconds, simulated, real, store: sandbox.config.storeUrl }, 'playground ready');
  if (options.announce !== false) {
    const keyed = Object.keys(config.providers).length > 0 && !config.playgroundRealProviders;
    const providers =
      real.length > 0
        ? `real: ${real.join(', ')}; simulated: ${simulated.join(', ') || 'none'}`
        : `all simulated${keyed ? ' (keys are set; PLAYGROUND_REAL_PROVIDERS=true would use them)' : ''}`;
    // What the newcomer waited for: since the process started, loading the code included.
    process.stdout.write(
      `\nPlayground ready in ${process.uptime().toFixed(1)} s: ${page.url}\n  Providers: ${providers}. Stop with Ctrl+C.\n\n`,
    );
  }
  return {
    url: page.url,
    readySeconds,
    sandbox,
    async stop() {
      await page.close();
      await sandbox.stop();
    },
  };
}
