import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.js';

/**
 * The instants of a job's life where a crash costs the most. A crash test names one in
 * `FAILPOINTS` (`job.after-accept`, or `job.after-accept:300` for a pause of 300 ms), waits for the
 * bot to log that it got there, and kills the process at exactly that point.
 */
export const FAILPOINT_NAMES = [
  /** A request passed the block list and the filter; its jobs are about to be counted against the allowance. */
  'gate.before-count',
  /** The job is recorded and shown; its submit is about to be sent. */
  'job.before-submit',
  /** The provider accepted the task; its id is not recorded yet. */
  'job.after-accept',
  /** The job is recorded as finished; its message is not edited yet. */
  'job.after-finish',
  /** The publisher is about to edit the job's message with its final state. */
  'publish.before-edit',
  /** A late result is posted as a new message; its id is not recorded and the waiting message is not deleted. */
  'publish.after-post',
  /** The final edit has landed; the mirror is not posted and the publication is not recorded. */
  'publish.after-edit',
  /** The moderation mirror is posted; its message id is not recorded. */
  'publish.after-mirror',
] as const;
export type FailpointName = (typeof FAILPOINT_NAMES)[number];

/** Failpoints from configuration: name → pause in ms (Infinity: pause until the process dies). */
export type Failpoints = ReadonlyMap<FailpointName, number>;

/** Parses `name[:ms],…`; unknown names are left to the configuration schema to refuse. */
export function parseFailpoints(text: string | undefined): Map<string, number> {
  const points = new Map<string, number>();
  for (const item of (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name = '', ms] = item.split(':');
    points.set(name, ms === undefined ? Infinity : Number(ms));
  }
  return points;
}

/**
 * Pauses at a failpoint when configured; costs a map lookup when not. Production never sets
 * FAILPOINTS, and with none set this returns at once.
 */
export async function failpoint(points: Failpoints | undefined, name: FailpointName, logger: Logger): Promise<void> {
  const pause = points?.get(name);
  if (pause === undefined) return;
  logger.warn({ failpoint: name, pauseMs: pause }, 'failpoint reached');
  if (Number.isFinite(pause)) await sleep(pause);
  else await new Promise<never>(() => undefined);
}
