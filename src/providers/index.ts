import type { Dispatcher } from 'undici';
import type { Config, ProviderId, ProviderSettings } from '../config.js';
import type { Logger } from '../logger.js';
import { AcedataAdapter } from './acedata.js';
import { ApixoAdapter } from './apixo.js';
import { CloudswayImageAdapter } from './cloudsway-image.js';
import { CloudswayMjAdapter } from './cloudsway-mj.js';
import { KieAdapter } from './kie.js';
import type { AdapterOptions, ProviderAdapter } from './types.js';

/** Each provider's adapter, given its connection options and the provider's own settings. */
const ADAPTERS: Record<ProviderId, (options: AdapterOptions, settings: ProviderSettings) => ProviderAdapter> = {
  'cloudsway-mj': (options, settings) =>
    new CloudswayMjAdapter(options, { upstreamOutpaint: settings.upstreamOutpaint === true }),
  'cloudsway-image': (options) => new CloudswayImageAdapter(options),
  apixo: (options) => new ApixoAdapter(options),
  acedata: (options) => new AcedataAdapter(options),
  kie: (options) => new KieAdapter(options),
};

/** Display names, for messages and the README. */
export const PROVIDER_NAMES: Record<ProviderId, string> = {
  'cloudsway-mj': 'Cloudsway MaaS-MJ',
  'cloudsway-image': 'Cloudsway Image-1',
  apixo: 'APIXO',
  acedata: 'AceDataCloud',
  kie: 'Kie.ai',
};

export function createAdapter(
  settings: ProviderSettings,
  dependencies: { logger: Logger; dispatcher?: Dispatcher },
): ProviderAdapter {
  const options: AdapterOptions = {
    baseUrl: settings.baseUrl,
    key: settings.key,
    endpointPath: settings.endpointPath,
    model: settings.model,
    dispatcher: dependencies.dispatcher,
    logger: dependencies.logger.child({ provider: settings.id }),
  };
  return ADAPTERS[settings.id](options, settings);
}

/** One adapter per configured provider (those with a key). */
export function createAdapters(
  config: Config,
  dependencies: { logger: Logger; dispatcher?: Dispatcher },
): Map<ProviderId, ProviderAdapter> {
  const adapters = new Map<ProviderId, ProviderAdapter>();
  for (const settings of Object.values(config.providers))
    adapters.set(settings.id, createAdapter(settings, dependencies));
  return adapters;
}
