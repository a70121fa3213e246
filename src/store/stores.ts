import type Keyv from 'keyv';
import { z } from 'zod';
import { PROVIDER_IDS } from '../config.js';
import type { Logger } from '../logger.js';
import { counterDay, type CounterStore, type JobStore } from './job-store.js';
import { KeyvJobStore } from './keyv-job-store.js';
import { MemberPreferencesStore } from './member-preferences.js';
import { RecordStore } from './record-store.js';

export { needsWork } from './job-store.js';
export { MemberPreferencesStore, type MemberPreferences } from './member-preferences.js';
export type { CounterStore, JobStore } from './job-store.js';

const idList = z.array(z.string());

/**
 * What a server may forbid in prompts (`/settings forbid`): a speed, or a parameter that costs the
 * provider more (quality, style, character and omni references). Members are told which one and why.
 */
export const FORBIDDABLE = ['fast', 'relax', 'turbo', 'quality', 'sref', 'cref', 'oref'] as const;
export type Forbiddable = (typeof FORBIDDABLE)[number];

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
  /** Remix mode for members who have not chosen (`/prefer remix`). */
  remix: z.boolean().default(false),
  /** Speeds and costly parameters this server refuses, whoever sets them (prompt, member or server default). */
  forbidden: z.array(z.enum(FORBIDDABLE)).default([]),
  /** Animate makes HD videos where the provider can (Midjourney's video setting: HD costs more). */
  hdVideo: z.boolean().default(false),
});
export type GuildSettings = z.infer<typeof guildSettingsSchema>;

export class GuildSettingsStore {
  private readonly settings: RecordStore<typeof guildSettingsSchema>;

  constructor(keyv: Keyv, logger: Logger, options: { cache?: boolean } = {}) {
    this.settings = new RecordStore(keyv, 'guild', guildSettingsSchema, logger, { cache: options.cache ?? true });
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
export class KeyvCounterStore implements CounterStore {
  private readonly counters: RecordStore<z.ZodNumber>;

  constructor(keyv: Keyv, logger: Logger, options: { cache?: boolean } = {}) {
    this.counters = new RecordStore(keyv, 'count', z.number().int().nonnegative(), logger, {
      cache: options.cache ?? true,
    });
  }

  /** The counters' day (UTC) for an instant, as members read it. */
  static day(at: number): string {
    return counterDay(at);
  }

  async get(guildId: string, userId: string, at: number): Promise<number> {
    return (await this.counters.get(`${guildId}:${userId}:${counterDay(at)}`)) ?? 0;
  }

  async increment(guildId: string, userId: string, at: number, by = 1): Promise<number> {
    const next = await this.counters.update(
      `${guildId}:${userId}:${counterDay(at)}`,
      (current = 0) => current + by,
      2 * 24 * 60 * 60 * 1000,
    );
    return next ?? 0;
  }

  async incrementWithin(
    guildId: string,
    userId: string,
    at: number,
    by: number,
    limit: number,
  ): Promise<{ ok: boolean; count: number }> {
    let ok = false;
    const next = await this.counters.update(
      `${guildId}:${userId}:${counterDay(at)}`,
      (current = 0) => {
        ok = current + by <= limit;
        return ok ? current + by : current;
      },
      2 * 24 * 60 * 60 * 1000,
    );
    return { ok, count: next ?? 0 };
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

  constructor(keyv: Keyv, logger: Logger, options: { cache?: boolean } = {}) {
    const cache = options.cache ?? true;
    this.blocked = new RecordStore(keyv, 'blocked', idList, logger, { cache });
    this.bannedTerms = new RecordStore(keyv, 'banwords', idList, logger, { cache });
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

/**
 * A /describe or /shorten answer, kept so its buttons can imagine a prompt (custom IDs carry no
 * free text) and 🔄 can describe again, after a restart too. Kept a week.
 */
export const promptListSchema = z.object({
  kind: z.enum(['describe', 'shorten']),
  provider: z.enum(PROVIDER_IDS),
  guildId: z.string(),
  channelId: z.string(),
  userId: z.string(),
  /** What was described (the image's link) or shortened (the prompt). */
  source: z.string(),
  prompts: z.array(z.string()).min(1).max(10),
  at: z.number(),
});
export type PromptList = z.infer<typeof promptListSchema>;
export const PROMPT_LIST_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class PromptListStore {
  private readonly lists: RecordStore<typeof promptListSchema>;

  constructor(keyv: Keyv, logger: Logger) {
    this.lists = new RecordStore(keyv, 'prompts', promptListSchema, logger);
  }

  async get(id: string): Promise<PromptList | undefined> {
    return this.lists.get(id);
  }

  async set(id: string, list: PromptList): Promise<void> {
    await this.lists.set(id, list, PROMPT_LIST_TTL_MS);
  }
}

export interface Stores {
  jobs: JobStore;
  guilds: GuildSettingsStore;
  counters: CounterStore;
  moderation: ModerationStore;
  /** Each member's own `/prefer` settings, per server. */
  members: MemberPreferencesStore;
  /** Large binary values (Image-1's images), by id. */
  blobs: BlobStore;
  /** /describe and /shorten answers, by id. */
  promptLists: PromptListStore;
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

/**
 * The single-machine stores, all on one keyv. With `shared` (distributed mode) the jobs and
 * counters come from PostgreSQL and the rest runs uncached, since other processes write it too.
 */
export function createStores(keyv: Keyv, logger: Logger, shared?: { jobs: JobStore; counters: CounterStore }): Stores {
  const cache = shared === undefined;
  return {
    jobs: shared?.jobs ?? new KeyvJobStore(keyv, logger),
    guilds: new GuildSettingsStore(keyv, logger, { cache }),
    counters: shared?.counters ?? new KeyvCounterStore(keyv, logger),
    moderation: new ModerationStore(keyv, logger, { cache }),
    members: new MemberPreferencesStore(keyv, logger, { cache }),
    blobs: new BlobStore(keyv, logger),
    promptLists: new PromptListStore(keyv, logger),
  };
}
