import type Keyv from 'keyv';
import type { z } from 'zod';
import { KeyedLock } from '../keyed-lock.js';
import type { Logger } from '../logger.js';
import { StoreUnavailableError } from './errors.js';
import { CORRUPT_RECORD } from './keyv.js';

/**
 * A typed view over one key prefix of the store. Records are validated with zod when read: a
 * corrupt or outdated record is logged and treated as absent, never a crash. A store that fails
 * is another matter: its error is thrown as a StoreUnavailableError, never read as "absent", never
 * cached, and never the start of a write.
 */
export class RecordStore<Schema extends z.ZodType> {
  /**
   * Optional read-through cache. Safe for records owned by one process (a guild's settings and
   * lists belong to the shard of that guild); it keeps the store off the interaction's hot path.
   */
  private readonly cache?: Map<string, z.infer<Schema> | undefined>;

  constructor(
    private readonly keyv: Keyv,
    private readonly prefix: string,
    private readonly schema: Schema,
    private readonly logger: Logger,
    options: { cache?: boolean } = {},
  ) {
    if (options.cache) this.cache = new Map();
  }

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }

  async get(id: string): Promise<z.infer<Schema> | undefined> {
    if (this.cache?.has(id)) return this.cache.get(id);
    const value = await this.read(id);
    // Bounded: a long-running process forgets old entries rather than growing without end (but
    // not those with a write still to land, or a read could see the store's older value).
    if (this.cache && this.cache.size > 10_000)
      for (const key of this.cache.keys()) if (!this.writes.has(key)) this.cache.delete(key);
    // A write that started while this read was out is newer than what the read saw.
    if (this.cache && !this.cache.has(id)) this.cache.set(id, value);
    return this.cache ? this.cache.get(id) : value;
  }

  private async read(id: string): Promise<z.infer<Schema> | undefined> {
    let raw: unknown;
    try {
      raw = await this.keyv.get(this.key(id));
    } catch (error) {
      throw new StoreUnavailableError('read', this.key(id), error);
    }
    if (raw === undefined || raw === null) return undefined;
    if (raw === CORRUPT_RECORD) {
      this.logger.warn({ record: this.key(id) }, 'skipping a store record that is not valid JSON');
      return undefined;
    }
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn(
        { record: this.key(id), issues: parsed.error.issues.slice(0, 5) },
        'skipping a store record that does not match its schema',
      );
      return undefined;
    }
    return parsed.data;
  }

  async getMany(ids: readonly string[]): Promise<z.infer<Schema>[]> {
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((record) => record !== undefined);
  }

  /** Writes a record; the value is validated first so nothing malformed is ever stored. */
  async set(id: string, value: z.infer<Schema>, ttlMs?: number): Promise<void> {
    const parsed = this.schema.parse(value);
    if (this.cache) return this.writeBehind(id, parsed, ttlMs);
    await this.write(id, parsed, ttlMs);
  }

  async delete(id: string): Promise<void> {
    if (this.cache) return this.writeBehind(id, undefined);
    await this.write(id, undefined);
  }

  private async write(id: string, value: z.infer<Schema> | undefined, ttlMs?: number): Promise<void> {
    try {
      if (value === undefined) await this.keyv.delete(this.key(id));
      else await this.keyv.set(this.key(id), value, ttlMs);
    } catch (error) {
      throw new StoreUnavailableError(value === undefined ? 'delete' : 'write', this.key(id), error);
    }
  }

  /**
   * Read-modify-write. Not atomic across processes: callers keep each record owned by one
   * process (a job belongs to the shard of its guild), which makes this safe. A change that
   * returns the current value unchanged writes nothing.
   */
  async update(
    id: string,
    change: (current: z.infer<Schema> | undefined) => z.infer<Schema> | undefined,
    ttlMs?: number,
  ): Promise<z.infer<Schema> | undefined> {
    if (this.cache) {
      // The cache is the record: the change applies to it at once, and the write follows. (A write
      // that fails forgets the entry, so look again until it is there, or the store throws.)
      while (!this.cache.has(id)) await this.updates.run(id, () => this.get(id));
      const current = this.cache.get(id);
      const value = change(current);
      if (value !== current) await (value === undefined ? this.delete(id) : this.set(id, value, ttlMs));
      return value;
    }
    // Updates of one key run one after another: two concurrent read-modify-writes of a list
    // (a guild's active jobs) would otherwise both read the old list and one would be lost.
    return this.updates.run(id, async () => {
      const current = await this.get(id);
      const value = change(current);
      if (value === current) return value;
      if (value === undefined) await this.delete(id);
      else await this.set(id, value, ttlMs);
      return value;
    });
  }

  private readonly updates = new KeyedLock();

  /** Per key of a cached store: the write in progress, and the one waiting to start behind it. */
  private readonly writes = new Map<string, { running?: Promise<void>; waiting?: Promise<void>; ttlMs?: number }>();

  /**
   * Cached records are written behind the cache, one write per key at a time. Changes made while
   * a write runs share one follow-up write of the latest value: a burst of 200 jobs rewrites its
   * guild's active list a few times, not 200 times. The promise settles when a write that
   * includes this change has finished.
   */
  private writeBehind(id: string, value: z.infer<Schema> | undefined, ttlMs?: number): Promise<void> {
    this.cache?.set(id, value);
    const slot = this.writes.get(id) ?? {};
    this.writes.set(id, slot);
    slot.ttlMs = ttlMs;
    // A write that has not started yet reads the cache when it does: it carries this change too.
    if (slot.waiting) return slot.waiting;
    const ignore = () => undefined;
    const write: Promise<void> = (slot.running ?? Promise.resolve()).then(ignore, ignore).then(async () => {
      slot.waiting = undefined;
      slot.running = write;
      const latest = this.cache?.get(id);
      try {
        await this.write(id, latest, slot.ttlMs);
      } catch (error) {
        // The cache is ahead of the store now. Unless a later change will write again, forget the
        // entry: the next read asks the store, whose value is the one that holds.
        if (!slot.waiting) this.cache?.delete(id);
        throw error;
      } finally {
        if (slot.running === write) slot.running = undefined;
        if (!slot.running && !slot.waiting) this.writes.delete(id);
      }
    });
    slot.waiting = write;
    return write;
  }
}
