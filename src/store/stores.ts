import type Keyv from 'keyv';
import { z } from 'zod';
import { PROVIDER_IDS } from '../config.js';
import { isFinished, jobSchema, type Job } from '../jobs/job.js';
import type { Logger } from '../logger.js';
import { KeyedLock } from '../keyed-lock.js';
import { RecordStore } from './record-store.js';

const idList = z.array(z.string());

/**
 * Whether a job still needs work from this bot: it is unfinished, or its message does not show
 * its latest state yet (a result to publish, a moderator's decision to carry out). Such jobs are
 * in their guild's index, which is what a restarted process resumes.
 */
export function needsWork(job: Pick<Job, 'state' | 'publishSeq' | 'publishedSeq'>): boolean {
  return !isFinished(job) || job.publishSeq > job.publishedSeq;
}

/**
 * Jobs, and the small indexes that find them without scanning: open jobs per guild (unfinished or
 * unpublished), recent jobs per user. Writes keep the index in an order that leaves nothing
 * orphaned by a crash: a job enters the index before its record says it needs work, and leaves it
 * only after its record says it is done. An index entry whose record is missing or finished is
 * harmless and is dropped when read.
 */
export class JobStore {
  private readonly jobs: RecordStore<typeof jobSchema>;
  private readonly open: RecordStore<typeof idList>;
  private readonly recent: RecordStore<typeof idList>;
  private readonly clicks: RecordStore<z.ZodString>;

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

  /** Writes a whole job record (a new job, or a test's fixture), keeping the index in step. */
  async save(job: Job): Promise<void> {
    await this.update(job.id, () => job);
  }

  /**
   * Changes a job record in one read-modify-write (one at a time per job in this process), and
   * keeps the open index in step. `change` gets the stored record; returning it unchanged writes
   * nothing. Every write of a job goes through here, so no writer puts back a stale copy of fields
   * it does not own.
   */
  async update(id: string, change: (current: Job | undefined) => Job | undefined): Promise<Job | undefined> {
    return this.locks.run(id, async () => {
      const current = await this.jobs.get(id);
      const next = change(current);
      if (next === current || next === undefined) return next;
      const after: Job = { ...next, version: (current?.version ?? 0) + 1 };
      const was = current !== undefined && needsWork(current);
      const is = needsWork(after);
      // The order the class comment promises: into the index before the record, out of it after.
      if (is && !was) await this.setOpen(after.guildId, id, true);
      await this.jobs.set(id, after);
      if (was && !is) await this.setOpen(after.guildId, id, false);
      return after;
    });
  }

  private readonly locks = new KeyedLock();

  private async setOpen(guildId: string, jobId: string, open: boolean): Promise<void> {
    await this.open.update(guildId, (ids) => {
      if ((ids?.includes(jobId) ?? false) === open) return ids;
      const next = open ? [...(ids ?? []), jobId] : (ids ?? []).filter((id) => id !== jobId);
      return next.length > 0 ? next : undefined;
    });
  }

  /** Records a new job in its owner's recent list (for autocomplete), newest first, at most 25. */
  async remember(job: Job): Promise<void> {
    await this.recent.update(`${job.guildId}:${job.userId}`, (ids = []) =>
      [job.id, ...ids.filter((id) => id !== job.id)].slice(0, 25),
    );
  }

  /** Jobs of a guild that need work: what a restarted shard resumes. Stale index entries are dropped. */
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

  getMany(ids: readonly string[]): Promise<Job[]> {
    return this.jobs.getMany(ids);
  }

  async recentOf(guildId: string, userId: string): Promise<Job[]> {
    return this.jobs.getMany((await this.recent.get(`${guildId}:${userId}`)) ?? []);
  }

  /** The job a click already made, so a double click gets that job, not a second one. */
  clickedJob(clickKey: string): Promise<string | undefined> {
    return this.clicks.get(clickKey);
  }

  async recordClick(clickKey: string, jobId: string): Promise<void> {
    await this.clicks.set(clickKey, jobId, 24 * 60 * 60 * 1000);
  }
}

export const guildSettingsSchema = z.object({
  provider: z.enum(PROVIDER_IDS).optional(),
  version: z.string().optional(),
  speed: z.enum(['fast', 'relax', 'turbo']).optional(),
  aspect: z.string().optional(),
  /** Who may click a job's buttons: anyone in the channel, or only the job's owner. */
  buttons: z.enum(['anyone', 'owner']).default('anyone'),
  concurrency: z.number().int().min(1).max(12).default(3),
  queueLimit: z.number().int().min(0).max(100).default(10),
  translate: z.boolean().default(true),
  modChannelId: z.string().optional(),
  modRoleId: z.string().optional(),
  approvalMode: z.boolean().default(false),
  /** Jobs per user per day; 0 means unlimited. */
  dailyLimit: z.number().int().min(0).max(10_000).default(0),
});
export type GuildSettings = z.infer<typeof guildSettingsSchema>;

export class GuildSettingsStore {
  private readonly settings: RecordStore<typeof guildSettingsSchema>;

  constructor(keyv: Keyv, logger: Logger) {
    this.settings = new RecordStore(keyv, 'guild', guildSettingsSchema, logger, { cache: true });
  }

  async get(guildId: string): Promise<GuildSettings> {
    return (await this.settings.get(guildId)) ?? guildSettingsSchema.parse({});
  }

  /** Changes some settings in one read-modify-write, so two admins' changes never undo each other. */
  async update(guildId: string, change: Partial<GuildSettings>): Promise<GuildSettings> {
    const next = await this.settings.update(guildId, (current) =>
      guildSettingsSchema.parse({ ...(current ?? {}), ...change }),
    );
    return next ?? guildSettingsSchema.parse({});
  }
}

/** Per-user counters by day (UTC), expiring after two days. */
export class CounterStore {
  private readonly counters: RecordStore<z.ZodNumber>;

  constructor(keyv: Keyv, logger: Logger) {
    this.counters = new RecordStore(keyv, 'count', z.number().int().nonnegative(), logger, { cache: true });
  }

  static day(at: number): string {
    return new Date(at).toISOString().slice(0, 10);
  }

  async get(guildId: string, userId: string, at: number): Promise<number> {
    return (await this.counters.get(`${guildId}:${userId}:${CounterStore.day(at)}`)) ?? 0;
  }

  async increment(guildId: string, userId: string, at: number, by = 1): Promise<number> {
    const next = await this.counters.update(
      `${guildId}:${userId}:${CounterStore.day(at)}`,
      (current = 0) => current + by,
      2 * 24 * 60 * 60 * 1000,
    );
    return next ?? 0;
  }
}

export const auditEntrySchema = z.object({
  at: z.number(),
  moderatorId: z.string(),
  action: z.enum([
    'delete',
    'block',
    'unblock',
    'approve',
    'reject',
    'banword_add',
    'banword_remove',
    'filter_refusal',
  ]),
  jobId: z.string().optional(),
  targetUserId: z.string().optional(),
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Block list, the guild's own banned terms, and the audit log of moderation decisions. */
export class ModerationStore {
  private readonly blocked: RecordStore<typeof idList>;
  private readonly bannedTerms: RecordStore<typeof idList>;
  private readonly audit: RecordStore<z.ZodArray<typeof auditEntrySchema>>;

  constructor(keyv: Keyv, logger: Logger) {
    this.blocked = new RecordStore(keyv, 'blocked', idList, logger, { cache: true });
    this.bannedTerms = new RecordStore(keyv, 'banwords', idList, logger, { cache: true });
    this.audit = new RecordStore(keyv, 'audit', z.array(auditEntrySchema), logger);
  }

  async blockedUsers(guildId: string): Promise<string[]> {
    return (await this.blocked.get(guildId)) ?? [];
  }

  /** Blocks or unblocks a member; false when they already were (nothing written). */
  async setBlocked(guildId: string, userId: string, blocked: boolean): Promise<boolean> {
    let changed = false;
    await this.blocked.update(guildId, (ids = []) => {
      if (ids.includes(userId) === blocked) return ids;
      changed = true;
      return blocked ? [...ids, userId] : ids.filter((id) => id !== userId);
    });
    return changed;
  }

  async terms(guildId: string): Promise<string[]> {
    return (await this.bannedTerms.get(guildId)) ?? [];
  }

  async setTerm(guildId: string, term: string, present: boolean): Promise<void> {
    await this.bannedTerms.update(guildId, (terms = []) => {
      const without = terms.filter((existing) => existing !== term);
      return present ? [...without, term] : without;
    });
  }

  /** Appends to the guild's audit log, keeping the latest 500 entries. */
  async log(guildId: string, entry: AuditEntry): Promise<void> {
    await this.audit.update(guildId, (entries = []) => [...entries, entry].slice(-500));
  }

  async auditLog(guildId: string): Promise<AuditEntry[]> {
    return (await this.audit.get(guildId)) ?? [];
  }
}

export interface Stores {
  jobs: JobStore;
  guilds: GuildSettingsStore;
  counters: CounterStore;
  moderation: ModerationStore;
  /** Large binary values (Image-1's images), by id. */
  blobs: BlobStore;
}

/** Images a provider returned as bytes, kept so follow-ups and re-renders work after a restart. */
export class BlobStore {
  private readonly blobs: RecordStore<z.ZodString>;

  constructor(keyv: Keyv, logger: Logger) {
    this.blobs = new RecordStore(keyv, 'blob', z.string(), logger);
  }

  async get(id: string): Promise<Buffer | undefined> {
    const base64 = await this.blobs.get(id);
    return base64 === undefined ? undefined : Buffer.from(base64, 'base64');
  }

  async set(id: string, bytes: Uint8Array, ttlMs = 30 * 24 * 60 * 60 * 1000): Promise<void> {
    await this.blobs.set(id, Buffer.from(bytes).toString('base64'), ttlMs);
  }
}

export function createStores(keyv: Keyv, logger: Logger): Stores {
  return {
    jobs: new JobStore(keyv, logger),
    guilds: new GuildSettingsStore(keyv, logger),
    counters: new CounterStore(keyv, logger),
    moderation: new ModerationStore(keyv, logger),
    blobs: new BlobStore(keyv, logger),
  };
}
