import type { Dispatcher } from 'undici';
import type { Config, ProviderId, ProviderSettings } from '../config.js';
import type { Logger } from '../logger.js';
import { AcedataAdapter } from './acedata.js';
import { ApixoAdapter } from './apixo.js';
import { CloudswayImageAdapter } from './cloudsway-image.js';
import { CloudswayMjAdapter } from './cloudsway-mj.js';
import { KieAdapter } from './kie.js';
import type { AdapterOptions, ProviderAdapter } from './types.js';

const ADAPTERS: Record<ProviderId, new (options: AdapterOptions) => ProviderAdapter> = {
  'cloudsway-mj': CloudswayMjAdapter,
  'cloudsway-image': CloudswayImageAdapter,
  apixo: ApixoAdapter,
  acedata: AcedataAdapter,
  kie: KieAdapter,
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
  const Adapter = ADAPTERS[settings.id];
  return new Adapter({
    baseUrl: settings.baseUrl,
    key: settings.key,
    endpointPath: settings.endpointPath,
    model: settings.model,
    dispatcher: dependencies.dispatcher,
    logger: dependencies.logger.child({ provider: settings.id }),
  });
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
