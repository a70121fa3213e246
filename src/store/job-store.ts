import { admit, startable, type ActiveEntry, type Limits } from '../jobs/admission.js';
import { isFinished, type Job } from '../jobs/job.js';

/**
 * Whether a job still needs work from this bot: it is unfinished, or its message does not show
 * its latest state yet (a result to publish, a moderator's decision to carry out). Such jobs are
 * in their guild's open index, which is what a restarted process resumes.
 */
export function needsWork(job: Pick<Job, 'state' | 'publishSeq' | 'publishedSeq'>): boolean {
  return !isFinished(job) || job.publishSeq > job.publishedSeq;
}

/** What admission counts: a job waiting for a slot, or one holding it (`slotAt`), until it finishes. */
export function activeEntry(job: Job): ActiveEntry | undefined {
  if (isFinished(job)) return undefined;
  return {
    id: job.id,
    guildId: job.guildId,
    userId: job.userId,
    state: job.slotAt === undefined ? 'queued' : 'submitting',
    createdAt: job.createdAt,
    provider: job.provider,
  };
}

/** New jobs recorded, the first `started` of them holding a slot; or the guild's queue was full. */
export type Admission = { ok: true; started: number } | { ok: false; queued: number };

/**
 * The rule both stores apply inside their lock or transaction: given the open jobs they see, which
 * of `jobs` start now (they get `slotAt`), or whether the queue is full.
 */
export function decideAdmission(
  open: readonly Job[],
  jobs: readonly Job[],
  limits: Limits,
  at: number,
): { admission: Admission; records: Job[] } {
  const first = jobs[0];
  if (!first) return { admission: { ok: true, started: 0 }, records: [] };
  const entries = open.map(activeEntry).filter((entry) => entry !== undefined);
  const decision = admit(entries, first.guildId, first.userId, jobs.length, limits);
  if (!decision.ok) return { admission: { ok: false, queued: decision.queued }, records: [] };
  const started = jobs.length - decision.queued;
  const records = jobs.map((job, index) => (index < started ? { ...job, slotAt: at } : job));
  return { admission: { ok: true, started }, records };
}

/** The member's queued jobs that take the slots now free, oldest first. */
export function decideStarts(open: readonly Job[], guildId: string, userId: string, concurrency: number): string[] {
  const entries = open.map(activeEntry).filter((entry) => entry !== undefined);
  return startable(entries, guildId, userId, concurrency).map((entry) => entry.id);
}

/**
 * The job records and their indexes. Two implementations with one contract (test/store/
 * job-store.contract.test.ts): keyv on SQLite for one process, PostgreSQL for several. Every write
 * of a job raises its `version`; a write based on an older version never lands.
 */
export interface JobStore {
  get(id: string): Promise<Job | undefined>;
  getMany(ids: readonly string[]): Promise<Job[]>;
  /** Writes a whole job record (a new job, or a test's fixture). */
  save(job: Job): Promise<void>;
  /**
   * Read-modify-write of one job. `change` gets the stored record; returning it unchanged writes
   * nothing. On a concurrent write `change` runs again on the newer record, so it must be pure.
   */
  update(id: string, change: (current: Job | undefined) => Job | undefined): Promise<Job | undefined>;
  /**
   * The versioned transition itself: writes `next` only if the stored version is still
   * `expectedVersion` (`UPDATE … WHERE version = $n`). Returns the stored record, or undefined when
   * another writer came first.
   */
  transition(next: Job, expectedVersion: number): Promise<Job | undefined>;
  /**
   * Admission in one atomic step, per member: counts the member's open jobs (and, when some must
   * wait, the guild's queue), then records the new jobs, the first ones holding a slot. Two
   * processes admitting one member at once never exceed the limits.
   */
  admit(jobs: readonly Job[], limits: Limits, at: number): Promise<Admission>;
  /** Gives the member's oldest queued jobs the slots now free; returns them. Atomic per member. */
  claimSlots(guildId: string, userId: string, concurrency: number, at: number): Promise<Job[]>;
  /** Jobs of a guild that need work: what a restarted shard resumes. */
  openIn(guildId: string): Promise<Job[]>;
  /** Unfinished jobs of one member (for /info and queue positions). */
  openOf(guildId: string, userId: string): Promise<Job[]>;
  /** Records a new job in its owner's recent list (for autocomplete), newest first, at most 25. */
  remember(job: Job): Promise<void>;
  recentOf(guildId: string, userId: string): Promise<Job[]>;
  /** The job a click already made, so a double click gets that job, not a second one. */
  clickedJob(clickKey: string): Promise<string | undefined>;
  recordClick(clickKey: string, jobId: string): Promise<void>;
}

/** Per-member counters by day (UTC); an increment is atomic and returns the new count. */
export interface CounterStore {
  get(guildId: string, userId: string, at: number): Promise<number>;
  increment(guildId: string, userId: string, at: number, by?: number): Promise<number>;
  /**
   * Adds `by` only if the count stays within `limit`, in one atomic step (so two processes cannot
   * both take the last of a member's allowance). Returns whether it did, and the count after.
   */
  incrementWithin(
    guildId: string,
    userId: string,
    at: number,
    by: number,
    limit: number,
  ): Promise<{ ok: boolean; count: number }>;
}

export function counterDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
