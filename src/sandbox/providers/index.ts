import type { ProviderId } from '../../config.js';
import { AcedataSimulator } from './acedata-simulator.js';
import { ApixoSimulator } from './apixo-simulator.js';
import { CloudswayImageSimulator } from './cloudsway-image-simulator.js';
import { CloudswayMjSimulator } from './cloudsway-mj-simulator.js';
import { KieSimulator } from './kie-simulator.js';
import type { ProviderSimulator, SimulatorOptions } from './kit/simulator.js';

const SIMULATORS: Record<ProviderId, new (options: SimulatorOptions) => ProviderSimulator> = {
  'cloudsway-mj': CloudswayMjSimulator,
  'cloudsway-image': CloudswayImageSimulator,
  apixo: ApixoSimulator,
  acedata: AcedataSimulator,
  kie: KieSimulator,
};

/** Starts the simulator for one provider on loopback. */
export async function startSimulator(provider: ProviderId, options: SimulatorOptions = {}): Promise<ProviderSimulator> {
  return new SIMULATORS[provider](options).start();
}

export type { ProviderSimulator, SimulatorOptions } from './kit/simulator.js';
