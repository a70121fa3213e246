import type { ProviderId } from '../config.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { ProviderAdapter } from '../providers/types.js';
import type { GuildSettings } from '../store/stores.js';
import type { BotContext } from './context.js';

/** Why one provider cannot do what was asked, in its own words. */
export interface ProviderRefusal {
  provider: ProviderId;
  reason: string;
}

export type ProviderChoice =
  | {
      ok: true;
      provider: ProviderId;
      adapter: ProviderAdapter;
      /** Set when the server's provider could not do it and another configured one does. */
      instead?: ProviderRefusal;
    }
  | { ok: false; refusals: ProviderRefusal[] };

/** The server's provider: its /settings choice when that one is configured, else the bot's default. */
export function serverProvider(
  context: Pick<BotContext, 'adapters' | 'config'>,
  settings: Pick<GuildSettings, 'provider'>,
): ProviderId | undefined {
  return settings.provider && context.adapters.has(settings.provider)
    ? settings.provider
    : context.config.defaultProvider;
}

/**
 * Picks who does a task that not every provider can (/blend, /describe, /shorten): the server's
 * provider when it can, else the first other configured provider that can. `cannot` answers why a
 * provider cannot, or undefined when it can. With none, every provider's reason comes back, so the
 * member reads why.
 */
export function chooseProvider(
  context: Pick<BotContext, 'adapters' | 'config'>,
  settings: Pick<GuildSettings, 'provider'>,
  cannot: (adapter: ProviderAdapter) => string | undefined,
): ProviderChoice {
  const first = serverProvider(context, settings);
  const order = [...context.adapters.keys()].sort((a, b) => Number(b === first) - Number(a === first));
  const refusals: ProviderRefusal[] = [];
  for (const provider of order) {
    const adapter = context.adapters.get(provider);
    if (!adapter) continue;
    const reason = cannot(adapter);
    if (reason === undefined) {
      const instead = refusals.find((refusal) => refusal.provider === first);
      return { ok: true, provider, adapter, ...(instead ? { instead } : {}) };
    }
    refusals.push({ provider, reason });
  }
  return { ok: false, refusals };
}

/** The notice line when another provider stood in: "Made with AceDataCloud, since APIXO can't: …". */
export function insteadNotice(choice: Extract<ProviderChoice, { ok: true }>): string[] {
  if (!choice.instead) return [];
  const asked = PROVIDER_NAMES[choice.instead.provider];
  return [`Made with ${PROVIDER_NAMES[choice.provider]}, since ${asked} can’t: ${choice.instead.reason}`];
}
