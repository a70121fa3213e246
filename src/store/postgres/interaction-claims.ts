import type { Database } from './database.js';

/** Discord's interaction tokens last 15 minutes; no copy of an interaction arrives later. */
const CLAIM_TTL_MS = 15 * 60 * 1000;

/**
 * Which process answers an interaction. Discord delivers a shard's events to every session
 * identified for it, so while two processes hold one shard (a rolling deploy's overlap, a second
 * start by mistake) each interaction reaches both: the first to claim it answers, the other drops it.
 */
export class PostgresInteractionClaims {
  constructor(private readonly database: Database) {}

  /** Whether this process is the first to claim the interaction. */
  async claim(interactionId: string, at: number): Promise<boolean> {
    const claims = this.database.table('claims');
    const { rowCount } = await this.database.query(
      `write claim ${interactionId}`,
      `INSERT INTO ${claims} (interaction_id, expires_at) VALUES ($1, $2) ON CONFLICT (interaction_id) DO NOTHING`,
      [interactionId, at + CLAIM_TTL_MS],
    );
    // Now and then the expired claims go, off the interaction's path (the next sweep retries a failed one).
    if (Math.random() < 0.01)
      this.database.query('write claims', `DELETE FROM ${claims} WHERE expires_at < $1`, [at]).catch(() => undefined);
    return rowCount === 1;
  }
}
