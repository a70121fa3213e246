import type Keyv from 'keyv';
import type { z } from 'zod';
import { KeyedLock } from '../keyed-lock.js';
import type { Logger } from '../logger.js';

/**
 * A typed view over one key prefix of the store. Records are validated with zod when read: a
 * corrupt or outdated record is logged and treated as absent, never a crash.
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
    // Bounded: a long-running process forgets old entries rather than growing without end.
    if (this.cache && this.cache.size > 10_000) this.cache.clear();
    this.cache?.set(id, value);
    return value;
  }

  private async read(id: string): Promise<z.infer<Schema> | undefined> {
    let raw: unknown;
    try {
      raw = await this.keyv.get(this.key(id));
    } catch (error) {
      this.logger.warn({ err: error, record: this.key(id) }, 'skipping an unreadable store record');
      return undefined;
    }
    if (raw === undefined || raw === null) return undefined;
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn({ record: this.key(id), issues: parsed.error.issues.slice(0, 5) }, 'skipping a store record that does not match its schema');
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
    this.cache?.set(id, parsed);
    await this.keyv.set(this.key(id), parsed, ttlMs);
  }

  async delete(id: string): Promise<void> {
    this.cache?.set(id, undefined);
    await this.keyv.delete(this.key(id));
  }

  /**
   * Read-modify-write. Not atomic across processes: callers keep each record owned by one
   * process (a job belongs to the shard of its guild), which makes this safe.
   */
  async update(id: string, change: (current: z.infer<Schema> | undefined) => z.infer<Schema> | undefined, ttlMs?: number): Promise<z.infer<Schema> | undefined> {
    // Updates of one key run one after another: two concurrent read-modify-writes of a list
    // (a guild's active jobs) would otherwise both read the old list and one would be lost.
    return this.updates.run(id, async () => {
      const value = change(await this.get(id));
      if (value === undefined) await this.delete(id);
      else await this.set(id, value, ttlMs);
      return value;
    });
  }

  private readonly updates = new KeyedLock();
}
