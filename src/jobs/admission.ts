import type { JobState } from './job.js';

/** What admission needs to know of an unfinished job. */
export interface ActiveEntry {
  id: string;
  guildId: string;
  userId: string;
  state: Exclude<JobState, 'succeeded' | 'failed' | 'cancelled'>;
  createdAt: number;
  provider: string;
}

export interface Limits {
  /** Jobs one user may have running at once (Midjourney's fast mode allows 3). */
  concurrency: number;
  /** Jobs a guild may have waiting at once. */
  queueLimit: number;
}

const inFlight = (entry: ActiveEntry) => entry.state === 'submitting' || entry.state === 'running';

/** Whether `count` new jobs for this user fit: they run now, or wait in a queue that has room. */
export function admit(
  active: readonly ActiveEntry[],
  guildId: string,
  userId: string,
  count: number,
  limits: Limits,
): { ok: true; queued: number } | { ok: false; reason: 'queue_full'; queued: number } {
  const running = active.filter(
    (entry) => entry.userId === userId && entry.guildId === guildId && inFlight(entry),
  ).length;
  const userQueued = active.filter(
    (entry) => entry.userId === userId && entry.guildId === guildId && entry.state === 'queued',
  ).length;
  const startNow = Math.max(0, Math.min(count, limits.concurrency - running - userQueued));
  const willQueue = count - startNow;
  const guildQueued = active.filter((entry) => entry.guildId === guildId && entry.state === 'queued').length;
  if (willQueue > 0 && guildQueued + willQueue > limits.queueLimit)
    return { ok: false, reason: 'queue_full', queued: guildQueued };
  return { ok: true, queued: willQueue };
}

/** The user's queued jobs that may start now, oldest first, given their free slots. */
export function startable(
  active: readonly ActiveEntry[],
  guildId: string,
  userId: string,
  concurrency: number,
): ActiveEntry[] {
  const mine = active.filter((entry) => entry.userId === userId && entry.guildId === guildId);
  const free = concurrency - mine.filter(inFlight).length;
  if (free <= 0) return [];
  return mine
    .filter((entry) => entry.state === 'queued')
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(0, free);
}

/** 1-based position of a queued job among its owner's waiting jobs. */
export function queuePosition(active: readonly ActiveEntry[], jobId: string): number | undefined {
  const job = active.find((entry) => entry.id === jobId);
  if (!job || job.state !== 'queued') return undefined;
  const waiting = active
    .filter((entry) => entry.userId === job.userId && entry.guildId === job.guildId && entry.state === 'queued')
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  return waiting.findIndex((entry) => entry.id === jobId) + 1;
}
