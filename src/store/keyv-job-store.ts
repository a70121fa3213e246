import type Keyv from 'keyv';
import { z } from 'zod';
import type { Limits } from '../jobs/admission.js';
import { isFinished, jobSchema, type Job } from '../jobs/job.js';
import { KeyedLock } from '../keyed-lock.js';
import type { Logger } from '../logger.js';
import { decideAdmission, decideStarts, needsWork, type Admission, type JobStore } from './job-store.js';
import { RecordStore } from './record-store.js';

const idList = z.array(z.string());

/**
 * The single-machine job store: jobs and the small indexes that find them without scanning (open
 * jobs per guild, unfinished or unpublished; recent jobs per user) on keyv. Atomicity is this
 * process's locks, which is enough for one process per store. Writes keep the index in an order
 * that leaves nothing orphaned by a crash: a job enters the index before its record says it needs
 * work, and leaves it only after its record says it is done. An index entry whose record is
 * missing or finished is harmless and is dropped when read.
 */
export class KeyvJobStore implements JobStore {
  private readonly jobs: RecordStore<typeof jobSchema>;
  private readonly open: RecordStore<typeof idList>;
  private readonly recent: RecordStore<typeof idList>;
  private readonly clicks: RecordStore<z.ZodString>;
  private readonly locks = new KeyedLock();
  /** One admission or slot claim at a time per member, and per guild for its queue. */
  private readonly admissions = new KeyedLock();

  constructor(keyv: Keyv, logger: Logger) {
    this.jobs = new RecordStore(keyv, 'job', jobSchema, logger);
    // The indexes are per guild, and a guild belongs to one process: cached, they cost no reads.
    // ('active' is the key prefix from before finished-but-unpublished jobs were kept in it.)
    this.open = new RecordStore(keyv, 'active', idList, logger, { cache: true });
    this.recent = new RecordStore(keyv, 'recent', idList, logger, { cache: true });
    this.clicks = new RecordStore(keyv, 'click', z.string(), logger);
  }

  get(id: string): Promise<Job | undefined> {
    return this.jobs.get(id);
  }

  async save(job: Job): Promise<void> {
    await this.update(job.id, () => job);
  }

  /** One read-modify-write at a time per job in this process, keeping the open index in step. */
  async update(id: string, change: (current: Job | undefined) => Job | undefined): Promise<Job | undefined> {
    return this.locks.run(id, async () => {
      const current = await this.jobs.get(id);
      const next = change(current);
      if (next === current || next === undefined) return next;
      return this.write(current, next);
    });
  }

  async transition(next: Job, expectedVersion: number): Promise<Job | undefined> {
    return this.locks.run(next.id, async () => {
      const current = await this.jobs.get(next.id);
      if ((current?.version ?? 0) !== expectedVersion) return undefined;
      return this.write(current, next);
    });
  }

  private async write(current: Job | undefined, next: Job): Promise<Job> {
    const after: Job = { ...next, version: (current?.version ?? 0) + 1 };
    const was = current !== undefined && needsWork(current);
    const is = needsWork(after);
    // The order the class comment promises: into the index before the record, out of it after.
    if (is && !was) await this.setOpen(after.guildId, after.id, true);
    await this.jobs.set(after.id, after);
    if (was && !is) await this.setOpen(after.guildId, after.id, false);
    return after;
  }

  async admit(jobs: readonly Job[], limits: Limits, at: number): Promise<Admission> {
    const first = jobs[0];
    if (!first) return { ok: true, started: 0 };
    // The guild's lock too: the queue limit is the guild's, shared by its members.
    return this.admissions.run(`guild:${first.guildId}`, async () => {
      const { admission, records } = decideAdmission(await this.openIn(first.guildId), jobs, limits, at);
      await Promise.all(records.map((record) => this.save(record)));
      return admission;
    });
  }

  async claimSlots(guildId: string, userId: string, concurrency: number, at: number): Promise<Job[]> {
    return this.admissions.run(`guild:${guildId}`, async () => {
      const ids = decideStarts(await this.openOf(guildId, userId), guildId, userId, concurrency);
      const claimed = await Promise.all(
        ids.map((id) =>
          this.update(id, (current) =>
            current && !isFinished(current) && current.slotAt === undefined ? { ...current, slotAt: at } : current,
          ),
        ),
      );
      return claimed.filter((job): job is Job => job?.slotAt === at);
    });
  }

  private async setOpen(guildId: string, jobId: string, open: boolean): Promise<void> {
    await this.open.update(guildId, (ids) => {
      if ((ids?.includes(jobId) ?? false) === open) return ids;
      const next = open ? [...(ids ?? []), jobId] : (ids ?? []).filter((id) => id !== jobId);
      return next.length > 0 ? next : undefined;
    });
  }

  async remember(job: Job): Promise<void> {
    await this.recent.update(`${job.guildId}:${job.userId}`, (ids = []) =>
      [job.id, ...ids.filter((id) => id !== job.id)].slice(0, 25),
    );
  }

  /** Stale index entries are dropped as they are read. */
  async openIn(guildId: string): Promise<Job[]> {
    const ids = (await this.open.get(guildId)) ?? [];
    const jobs = await this.jobs.getMany(ids);
    const open = jobs.filter(needsWork);
    if (open.length < ids.length) {
      const keep = new Set(open.map((job) => job.id));
      await this.open.update(guildId, (current) => {
        const next = (current ?? []).filter((id) => keep.has(id) || !ids.includes(id));
        return next.length > 0 ? next : undefined;
      });
    }
    return open;
  }

  async openOf(guildId: string, userId: string): Promise<Job[]> {
    return (await this.openIn(guildId)).filter((job) => job.userId === userId && !isFinished(job));
  }

  getMany(ids: readonly string[]): Promise<Job[]> {
    return this.jobs.getMany(ids);
  }

  async recentOf(guildId: string, userId: string): Promise<Job[]> {
    return this.jobs.getMany((await this.recent.get(`${guildId}:${userId}`)) ?? []);
  }

  clickedJob(clickKey: string): Promise<string | undefined> {
    return this.clicks.get(clickKey);
  }

  async recordClick(clickKey: string, jobId: string): Promise<void> {
    await this.clicks.set(clickKey, jobId, 24 * 60 * 60 * 1000);
  }
}
