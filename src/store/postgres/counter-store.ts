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
}
