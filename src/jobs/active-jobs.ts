import type { ProviderId } from '../config.js';
import { admit, queuePosition, startable, type ActiveEntry, type Limits } from './admission.js';
import { isFinished, type Job } from './job.js';

export type ActiveJob = ActiveEntry & { provider: ProviderId };

/**
 * This process's unfinished jobs, in memory, for what must be answered before any store read:
 * admission, queue positions and /info. The store's open index is the durable truth; this is
 * rebuilt from it on start.
 */
export class ActiveJobs {
  private readonly entries = new Map<string, ActiveJob>();
  /**
   * The same entries by member, and the queued ones by guild: admission runs on every command, and
   * with thousands of jobs in flight it must read a member's few, not all of them.
   */
  private readonly byMember = new Map<string, Map<string, ActiveJob>>();
  private readonly queuedByGuild = new Map<string, Map<string, ActiveJob>>();

  private static memberKey(guildId: string, userId: string): string {
    return `${guildId}\u0000${userId}`;
  }

  private set(entry: ActiveJob): void {
    this.remove(entry.id);
    this.entries.set(entry.id, entry);
    const key = ActiveJobs.memberKey(entry.guildId, entry.userId);
    let mine = this.byMember.get(key);
    if (!mine) this.byMember.set(key, (mine = new Map<string, ActiveJob>()));
    mine.set(entry.id, entry);
    if (entry.state === 'queued') {
      let queued = this.queuedByGuild.get(entry.guildId);
      if (!queued) this.queuedByGuild.set(entry.guildId, (queued = new Map<string, ActiveJob>()));
      queued.set(entry.id, entry);
    }
  }

  private remove(jobId: string): void {
    const entry = this.entries.get(jobId);
    if (!entry) return;
    this.entries.delete(jobId);
    const key = ActiveJobs.memberKey(entry.guildId, entry.userId);
    const mine = this.byMember.get(key);
    mine?.delete(jobId);
    if (mine?.size === 0) this.byMember.delete(key);
    const queued = this.queuedByGuild.get(entry.guildId);
    queued?.delete(jobId);
    if (queued?.size === 0) this.queuedByGuild.delete(entry.guildId);
  }

  private mine(guildId: string, userId: string): ActiveJob[] {
    return [...(this.byMember.get(ActiveJobs.memberKey(guildId, userId))?.values() ?? [])];
  }

  /** Follows a job's state: unfinished jobs are in, finished ones out. */
  track(job: Pick<Job, 'id' | 'guildId' | 'userId' | 'state' | 'createdAt' | 'provider'>): void {
    if (isFinished(job)) this.remove(job.id);
    else
      this.set({
        id: job.id,
        guildId: job.guildId,
        userId: job.userId,
        state: job.state as ActiveEntry['state'],
        createdAt: job.createdAt,
        provider: job.provider,
      });
  }

  forget(jobId: string): void {
    this.remove(jobId);
  }

  has(jobId: string): boolean {
    return this.entries.has(jobId);
  }

  /** Counts a job as in flight from now on (a reserved slot), before its submit is sent. */
  reserve(jobId: string): void {
    const entry = this.entries.get(jobId);
    if (entry) this.set({ ...entry, state: 'submitting' });
  }

  reserved(jobId: string): boolean {
    return this.entries.get(jobId)?.state === 'submitting';
  }

  /** Unfinished jobs of a member in a guild (for /info). */
  of(guildId: string, userId: string): ActiveJob[] {
    return this.mine(guildId, userId);
  }

  /** Whether `count` new jobs of this member fit, and how many of them must wait. */
  admit(guildId: string, userId: string, count: number, limits: Limits): ReturnType<typeof admit> {
    // The member's own jobs and the guild's queue are all admission reads.
    const relevant = new Map(this.queuedByGuild.get(guildId));
    for (const entry of this.mine(guildId, userId)) relevant.set(entry.id, entry);
    return admit([...relevant.values()], guildId, userId, count, limits);
  }

  /** The member's queued jobs that may start now, given their free slots. */
  startable(guildId: string, userId: string, concurrency: number): ActiveJob[] {
    return startable(this.mine(guildId, userId), guildId, userId, concurrency) as ActiveJob[];
  }

  queued(guildId: string, userId: string): ActiveJob[] {
    return this.of(guildId, userId).filter((entry) => entry.state === 'queued');
  }

  queuePosition(jobId: string): number | undefined {
    const entry = this.entries.get(jobId);
    return entry ? queuePosition(this.mine(entry.guildId, entry.userId), jobId) : undefined;
  }

  /** Every member with unfinished jobs, as [guildId, userId]. */
  owners(): [string, string][] {
    return [...this.byMember.values()].map((mine) => {
      const [first] = mine.values();
      return [first!.guildId, first!.userId];
    });
  }
}
