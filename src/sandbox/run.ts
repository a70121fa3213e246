import { PROVIDER_ENV_PREFIXES, PROVIDER_IDS, parseConfig, type Config, type ProviderId } from '../config.js';
import type { Logger } from '../logger.js';
import { startBot, type BotOptions, type RunningBot } from '../bot.js';
import { DiscordEmulator, type EmulatorOptions } from './discord/index.js';
import { startSimulator, type ProviderSimulator, type SimulatorOptions } from './providers/index.js';

const SANDBOX_ENDPOINT_PATH = 'sandbox';
const SANDBOX_KEY = 'sandbox-key';

export interface SandboxOptions {
  logger: Logger;
  /** Providers to simulate; a provider whose key is set in `environment` is used for real instead. */
  providers?: readonly ProviderId[];
  /** The provider new guilds use. */
  defaultProvider?: ProviderId;
  /** Real seconds per simulated second in the simulators (0.1: a 40-second job takes 4 s). */
  timeScale?: number;
  simulator?: Omit<SimulatorOptions, 'timeScale' | 'key' | 'port'>;
  /**
   * The Cloudsway MaaS-MJ simulator also serves Youchuan's upstream-only routes (`/tob/outpaint`,
   * `/tob/pan`, …), which Cloudsway's page does not show. Off by default: they answer 404.
   */
  cloudswayUpstreamRoutes?: boolean;
  emulator?: EmulatorOptions;
  /** An existing emulator (a restarted bot reconnects to the same Discord). */
  existingEmulator?: DiscordEmulator;
  /** Simulators already running (a restarted bot talks to the same providers). */
  existingSimulators?: ReadonlyMap<ProviderId, ProviderSimulator>;
  /** Extra or overriding environment, e.g. STORE_URL or a real provider key. */
  environment?: Record<string, string | undefined>;
  /** Have providers call back (on a loopback port) instead of only being polled. */
  callbacks?: boolean;
  /** Start the bot (default true); false gives the environment for a bot started elsewhere. */
  startBot?: boolean;
  /** The bot's clock (tests move it to cross midnight for the daily allowance). */
  now?: () => number;
  /** Passed to the bot: a layer between keyv and its store (the store-fault tests). */
  wrapStore?: BotOptions['wrapStore'];
}

export interface Sandbox {
  emulator: DiscordEmulator;
  simulators: ReadonlyMap<ProviderId, ProviderSimulator>;
  /** The environment the bot was configured from (the same path as production). */
  environment: Record<string, string>;
  config: Config;
  bot?: RunningBot;
  stop(): Promise<void>;
}

/**
 * The whole system on loopback: the Discord emulator, a simulator per provider, and the real bot
 * configured through the same environment variables as production. The playground and the
 * end-to-end tests run on it.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const emulator = options.existingEmulator ?? (await DiscordEmulator.start(options.emulator));
  const simulators = new Map<ProviderId, ProviderSimulator>(options.existingSimulators ?? []);
  const given = options.environment ?? {};
  for (const provider of options.providers ?? PROVIDER_IDS) {
    if (simulators.has(provider) || given[`${PROVIDER_ENV_PREFIXES[provider]}_KEY`]) continue;
    const simulator = await startSimulator(provider, {
      ...options.simulator,
      key: SANDBOX_KEY,
      timeScale: options.timeScale ?? 1,
      ...(provider.startsWith('cloudsway') ? { endpointPath: SANDBOX_ENDPOINT_PATH } : {}),
      ...(provider === 'cloudsway-mj' && options.cloudswayUpstreamRoutes ? { upstreamRoutes: true } : {}),
    });
    simulators.set(provider, simulator);
  }
  const environment: Record<string, string> = {
    DISCORD_TOKEN: emulator.token,
    DISCORD_APPLICATION_ID: emulator.applicationId,
    DISCORD_API_URL: emulator.restUrl,
    ...(emulator.seeded ? { DISCORD_DEV_GUILD_ID: emulator.seed.guildId } : {}),
    STORE_URL: 'sqlite://:memory:',
    PROVIDER_TIME_SCALE: String(options.timeScale ?? 1),
    ...(options.defaultProvider ? { DEFAULT_PROVIDER: options.defaultProvider } : {}),
    ...(options.callbacks ? { PUBLIC_BASE_URL: 'http://127.0.0.1:0', CALLBACK_PORT: '0' } : {}),
  };
  for (const [provider, simulator] of simulators) {
    const prefix = PROVIDER_ENV_PREFIXES[provider];
    environment[`${prefix}_KEY`] = simulator.key;
    if (provider.startsWith('cloudsway')) {
      environment[`${prefix}_BASE_URL`] = `${simulator.url}/v1/ai`;
      environment[`${prefix}_ENDPOINT_PATH`] = SANDBOX_ENDPOINT_PATH;
    } else {
      environment[`${prefix}_BASE_URL`] = simulator.baseUrl;
    }
  }
  for (const [name, value] of Object.entries(given)) if (value !== undefined) environment[name] = value;

  const stopSimulators = async () => {
    if (!options.existingSimulators) await Promise.all([...simulators.values()].map((simulator) => simulator.stop()));
  };
  let config = parseConfig(environment);
  let bot: RunningBot | undefined;
  if (options.startBot !== false) {
    try {
      bot = await startBot({
        config,
        logger: options.logger,
        registerCommands: true,
        ...(options.now ? { now: options.now } : {}),
        ...(options.wrapStore ? { wrapStore: options.wrapStore } : {}),
      });
      // The callback receiver picks its port at start; providers must be told the real one.
      if (options.callbacks && bot.callbackPort) {
        environment.PUBLIC_BASE_URL = `http://127.0.0.1:${bot.callbackPort}`;
        config = parseConfig(environment);
        bot.setPublicBaseUrl(environment.PUBLIC_BASE_URL);
      }
      await bot.ready;
    } catch (error) {
      await bot?.stop();
      await stopSimulators();
      if (!options.existingEmulator) await emulator.stop();
      throw error;
    }
  }
  return {
    emulator,
    simulators,
    environment,
    config,
    bot,
    async stop() {
      await bot?.stop();
      await stopSimulators();
      if (!options.existingEmulator) await emulator.stop();
    },
  };
}
