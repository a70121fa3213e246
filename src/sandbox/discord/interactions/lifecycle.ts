import type { EmulatorCore } from '../core.js';
import { EmulatorUsageError } from '../errors.js';
import type { InteractionRecord } from '../state/types.js';

/**
 * The clock-driven life of an interaction: 3 s to acknowledge (receiving-and-responding.mdx:351),
 * then a 15-minute token. Lateness is checked lazily on every callback and also marked by a clock
 * timer, so a record shows "failed" as soon as the (manual or real) clock passes the deadline.
 */
export function registerInteraction(
  core: EmulatorCore,
  record: InteractionRecord,
  payload: Record<string, unknown>,
): void {
  core.store.addInteraction(record);
  armDeadline(core, record);
  core.events.emit('interaction.create', { interaction: record, payload });
}

/**
 * A timer may fire before the clock reads its time: Node schedules against the event loop's
 * cached time, which lags behind `Date.now()` on a busy loop. A deadline that fires early is
 * armed again, or the record would stay pending forever and nobody waiting on it would hear.
 */
function armDeadline(core: EmulatorCore, record: InteractionRecord): void {
  const cancel = core.clock.at(record.dispatchedAt + core.limits.initialResponseMs + 1, () => {
    if (!failIfLate(core, record) && record.state === 'pending') armDeadline(core, record);
  });
  core.deadlines.set(record.id, cancel);
}

/** Marks a pending interaction failed once its 3 seconds are over; true when it is failed. */
export function failIfLate(core: EmulatorCore, record: InteractionRecord): boolean {
  const late = core.clock.now() - record.dispatchedAt > core.limits.initialResponseMs;
  if (record.state === 'pending' && late) {
    record.state = 'failed';
    record.failed = true;
    record.failedAt = core.clock.now();
    record.failureReason = 'This interaction failed';
    cancelDeadline(core, record);
    core.events.emit('interaction.fail', { interaction: record });
    settled(core, record);
  }
  return record.state === 'failed';
}

export function acknowledge(core: EmulatorCore, record: InteractionRecord, callbackType: number): void {
  record.state = 'acknowledged';
  record.acknowledgedAt = core.clock.now();
  record.callbackType = callbackType;
  cancelDeadline(core, record);
  core.events.emit('interaction.acknowledge', { interaction: record });
  settled(core, record);
}

export function tokenExpired(core: EmulatorCore, record: InteractionRecord): boolean {
  return core.clock.now() - record.dispatchedAt > core.limits.interactionTokenMs;
}

function cancelDeadline(core: EmulatorCore, record: InteractionRecord): void {
  core.deadlines.get(record.id)?.();
  core.deadlines.delete(record.id);
}

/**
 * Who waits for which interaction to settle. Keyed by id rather than listening on the event bus:
 * with 200 commands in flight, every acknowledgement would otherwise call 200 listeners.
 */
const waiters = new WeakMap<EmulatorCore, Map<string, Set<(record: InteractionRecord) => void>>>();

function settled(core: EmulatorCore, record: InteractionRecord): void {
  const forCore = waiters.get(core);
  const waiting = forCore?.get(record.id);
  if (!waiting) return;
  forCore?.delete(record.id);
  for (const resolve of waiting) resolve(record);
}

/**
 * Resolves once the interaction is acknowledged or failed. Event-driven; the timeout is real time
 * because it guards the test, not Discord's rules.
 */
export function waitForSettled(
  core: EmulatorCore,
  interactionId: string,
  timeoutMs: number,
): Promise<InteractionRecord> {
  const record = core.store.interactions.get(interactionId);
  if (!record) return Promise.reject(new Error(`Unknown interaction ${interactionId}`));
  if (record.state !== 'pending') return Promise.resolve(record);
  const forCore = waiters.get(core) ?? new Map<string, Set<(record: InteractionRecord) => void>>();
  waiters.set(core, forCore);
  return new Promise((resolve, reject) => {
    const waiting = forCore.get(interactionId) ?? new Set();
    forCore.set(interactionId, waiting);
    const settle = (settledRecord: InteractionRecord) => {
      clearTimeout(timer);
      resolve(settledRecord);
    };
    const timer = setTimeout(() => {
      waiting.delete(settle);
      if (waiting.size === 0 && forCore.get(interactionId) === waiting) forCore.delete(interactionId);
      // 504 for the control API: the wait ended, not the emulator.
      reject(
        new EmulatorUsageError(
          504,
          'wait_timeout',
          `Interaction ${interactionId} (${record.name}) was neither acknowledged nor failed within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    waiting.add(settle);
  });
}
