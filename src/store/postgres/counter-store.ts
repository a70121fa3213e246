import { counterDay, type CounterStore } from '../job-store.js';
import type { Database } from './database.js';

/** Per-member daily counters in PostgreSQL: an increment is one `ON CONFLICT … RETURNING` statement. */
export class PostgresCounterStore implements CounterStore {
  constructor(private readonly database: Database) {}

  async get(guildId: string, userId: string, at: number): Promise<number> {
    const { rows } = await this.database.query<{ count: number }>(
      `read counter ${guildId}:${userId}`,
      `SELECT count FROM ${this.database.table('counters')} WHERE guild_id = $1 AND user_id = $2 AND day = $3`,
      [guildId, userId, counterDay(at)],
    );
    return rows[0]?.count ?? 0;
  }

  async increment(guildId: string, userId: string, at: number, by = 1): Promise<number> {
    const counters = this.database.table('counters');
    const { rows } = await this.database.query<{ count: number }>(
      `write counter ${guildId}:${userId}`,
      `INSERT INTO ${counters} (guild_id, user_id, day, count) VALUES ($1, $2, $3, GREATEST(0, $4::integer))
       ON CONFLICT (guild_id, user_id, day) DO UPDATE SET count = GREATEST(0, ${counters}.count + $4::integer)
       RETURNING count`,
      [guildId, userId, counterDay(at), by],
    );
    // Counters older than two days are of no use (the keyv ones expire then).
    if (Math.random() < 0.01)
      await this.database.query(`write counters`, `DELETE FROM ${counters} WHERE day < $1`, [
        counterDay(at - 2 * 24 * 60 * 60 * 1000),
      ]);
    return rows[0]?.count ?? 0;
  }

  async incrementWithin(
    guildId: string,
    userId: string,
    at: number,
    by: number,
    limit: number,
  ): Promise<{ ok: boolean; count: number }> {
    const counters = this.database.table('counters');
    // The row's lock makes the check and the addition one step; no row back means it would not fit.
    const { rows } = await this.database.query<{ count: number }>(
      `write counter ${guildId}:${userId}`,
      `INSERT INTO ${counters} (guild_id, user_id, day, count)
       SELECT $1, $2, $3, $4::integer WHERE $4::integer <= $5::integer
       ON CONFLICT (guild_id, user_id, day) DO UPDATE SET count = ${counters}.count + $4::integer
       WHERE ${counters}.count + $4::integer <= $5::integer
       RETURNING count`,
      [guildId, userId, counterDay(at), by, limit],
    );
    const counted = rows[0];
    if (counted) return { ok: true, count: counted.count };
    return { ok: false, count: await this.get(guildId, userId, at) };
  }
}
