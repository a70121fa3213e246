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

  private all(): ActiveJob[] {
    return [...this.entries.values()];
  }

  /** Follows a job's state: unfinished jobs are in, finished ones out. */
  track(job: Pick<Job, 'id' | 'guildId' | 'userId' | 'state' | 'createdAt' | 'provider'>): void {
    if (isFinished(job)) this.entries.delete(job.id);
    else
      this.entries.set(job.id, {
        id: job.id,
        guildId: job.guildId,
        userId: job.userId,
        state: job.state as ActiveEntry['state'],
        createdAt: job.createdAt,
        provider: job.provider,
      });
  }

  forget(jobId: string): void {
    this.entries.delete(jobId);
  }

  has(jobId: string): boolean {
    return this.entries.has(jobId);
  }

  /** Counts a job as in flight from now on (a reserved slot), before its submit is sent. */
  reserve(jobId: string): void {
    const entry = this.entries.get(jobId);
    if (entry) this.entries.set(jobId, { ...entry, state: 'submitting' });
  }

  reserved(jobId: string): boolean {
    return this.entries.get(jobId)?.state === 'submitting';
  }

  /** Unfinished jobs of a member in a guild (for /info). */
  of(guildId: string, userId: string): ActiveJob[] {
    return this.all().filter((entry) => entry.guildId === guildId && entry.userId === userId);
  }

  /** Whether `count` new jobs of this member fit, and how many of them must wait. */
  admit(guildId: string, userId: string, count: number, limits: Limits): ReturnType<typeof admit> {
    return admit(this.all(), guildId, userId, count, limits);
  }

  /** The member's queued jobs that may start now, given their free slots. */
  startable(guildId: string, userId: string, concurrency: number): ActiveJob[] {
    return startable(this.all(), guildId, userId, concurrency) as ActiveJob[];
  }

  queued(guildId: string, userId: string): ActiveJob[] {
    return this.of(guildId, userId).filter((entry) => entry.state === 'queued');
  }

  queuePosition(jobId: string): number | undefined {
    return queuePosition(this.all(), jobId);
  }

  /** Every member with unfinished jobs, as [guildId, userId]. */
  owners(): [string, string][] {
    const seen = new Map<string, [string, string]>();
    for (const entry of this.entries.values())
      seen.set(`${entry.guildId}\u0000${entry.userId}`, [entry.guildId, entry.userId]);
    return [...seen.values()];
  }
}
