import { EventEmitter } from 'node:events';
import type { SpecViolation } from './spec/recorder.js';
import type { Channel, Guild, InteractionRecord, Member, Role, StoredMessage } from './state/types.js';

/**
 * What changed in the emulator. The gateway turns these into dispatches, the control API into
 * server-sent events, and `waitForMessage` listens to them instead of polling.
 */
export interface EmulatorEventMap {
  'message.create': [{ message: StoredMessage }];
  'message.update': [{ message: StoredMessage }];
  'message.delete': [{ message: StoredMessage }];
  /** `payload` is the INTERACTION_CREATE body exactly as the bot receives it. */
  'interaction.create': [{ interaction: InteractionRecord; payload: Record<string, unknown> }];
  'interaction.acknowledge': [{ interaction: InteractionRecord }];
  'interaction.fail': [{ interaction: InteractionRecord }];
  /** A modal shown, autocomplete choices recorded, a response message added. */
  'interaction.update': [{ interaction: InteractionRecord }];
  'guild.create': [{ guild: Guild }];
  'channel.create': [{ channel: Channel }];
  'role.create': [{ role: Role }];
  'member.add': [{ member: Member }];
  /** A body Discord's published spec refuses (see spec/judge.ts). */
  'spec.violation': [{ violation: SpecViolation }];
}

export type EmulatorEventName = keyof EmulatorEventMap;

export const EMULATOR_EVENT_NAMES: readonly EmulatorEventName[] = [
  'message.create',
  'message.update',
  'message.delete',
  'interaction.create',
  'interaction.acknowledge',
  'interaction.fail',
  'interaction.update',
  'guild.create',
  'channel.create',
  'role.create',
  'member.add',
  'spec.violation',
];

export class EmulatorEvents extends EventEmitter<EmulatorEventMap> {
  constructor() {
    super();
    // Every SSE client and waiter adds a listener; many at once is normal, not a leak.
    this.setMaxListeners(0);
  }
}
