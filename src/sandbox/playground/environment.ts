import { PROVIDER_ENV_PREFIXES, type Config, type ProviderId } from '../../config.js';

/** Real seconds per simulated second: a 40-second provider job takes 4 s in the playground. */
export const PLAYGROUND_TIME_SCALE = 0.1;

const IN_MEMORY_STORE = 'sqlite://:memory:';

/** The variables a real provider is configured with, after its prefix (`KIE_KEY`, `CLOUDSWAY_MJ_ENDPOINT_PATH`, …). */
const PROVIDER_VARIABLES = ['KEY', 'BASE_URL', 'ENDPOINT_PATH', 'MODEL'] as const;

/**
 * What the playground adds to the sandbox's environment:
 * - with PLAYGROUND_REAL_PROVIDERS=true only, every configured (real) provider's own variables, so
 *   the sandbox uses it instead of starting its simulator, and the configured default provider.
 *   Without it every provider is simulated, keys or not: a page anyone on this machine can drive
 *   must not spend real credits by default;
 * - the store: `STORE_URL` when the user set one, else an in-memory SQLite. The emulator's world
 *   (guild, channels, message ids) is new on every start, so jobs kept from an earlier run would
 *   point at messages that no longer exist; and playground jobs stay out of the bot's real store.
 * - `PROVIDER_TIME_SCALE=1` as soon as one provider is real: the bot's poll intervals scale with
 *   it, and a real provider must be polled at its documented pace, not ten times faster.
 */
export function playgroundEnvironment(
  config: Config,
  source: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const environment: Record<string, string> = {
    STORE_URL: source.STORE_URL?.trim() ? config.storeUrl : IN_MEMORY_STORE,
    MAX_PROMPTS_PER_COMMAND: String(config.maxPromptsPerCommand),
  };
  const realProviders = config.playgroundRealProviders ? (Object.keys(config.providers) as ProviderId[]) : [];
  for (const provider of realProviders) {
    for (const suffix of PROVIDER_VARIABLES) {
      const name = `${PROVIDER_ENV_PREFIXES[provider]}_${suffix}`;
      const value = source[name]?.trim();
      if (value) environment[name] = value;
    }
  }
  if (realProviders.length > 0) environment.PROVIDER_TIME_SCALE = '1';
  if (config.defaultProvider && realProviders.includes(config.defaultProvider))
    environment.DEFAULT_PROVIDER = config.defaultProvider;
  return environment;
}
