import type { PoolClient } from 'pg';
import type { Limits } from '../../jobs/admission.js';
import { isFinished, jobSchema, type Job } from '../../jobs/job.js';
import type { Logger } from '../../logger.js';
import { decideAdmission, decideStarts, needsWork, type Admission, type JobStore } from '../job-store.js';
import type { Database } from './database.js';

const RECENT_LIMIT = 25;
const CLICK_TTL_MS = 24 * 60 * 60 * 1000;
/** A write that lost to another this many times in a row is a bug, not contention. */
const MAX_CONFLICTS = 50;

interface JobRow {
  data: unknown;
}

/**
 * Jobs in PostgreSQL, for several processes. A job is one row: its record as jsonb plus the
 * columns the queries select on. Every write is versioned (`UPDATE … WHERE version = $n`), and
 * admission runs in one transaction under an advisory lock per member (and per guild when jobs
 * queue), so no two processes admit past a limit or start the same queued job.
 */
export class PostgresJobStore implements JobStore {
  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  private get jobs(): string {
    return this.database.table('jobs');
  }

  /** Rows are checked like keyv records: one that does not parse is logged and skipped. */
  private parse(row: JobRow): Job | undefined {
    const parsed = jobSchema.safeParse(row.data);
    if (parsed.success) return parsed.data;
    this.logger.warn({ issues: parsed.error.issues.slice(0, 5) }, 'skipping a job row that does not match its schema');
    return undefined;
  }

  private parseAll(rows: JobRow[]): Job[] {
    return rows.map((row) => this.parse(row)).filter((job) => job !== undefined);
  }

  async get(id: string): Promise<Job | undefined> {
    const { rows } = await this.database.query<JobRow>(
      `read job ${id}`,
      `SELECT data FROM ${this.jobs} WHERE id = $1`,
      [id],
    );
    return rows[0] ? this.parse(rows[0]) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<Job[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.database.query<JobRow & { id: string }>(
      'read jobs',
      `SELECT id, data FROM ${this.jobs} WHERE id = ANY($1)`,
      [ids],
    );
    // In the order asked for, as the keyv store returns them.
    const byId = new Map(rows.map((row) => [row.id, row]));
    return this.parseAll(ids.map((id) => byId.get(id)).filter((row) => row !== undefined));
  }

  async save(job: Job): Promise<void> {
    await this.update(job.id, () => job);
  }

  async update(id: string, change: (current: Job | undefined) => Job | undefined): Promise<Job | undefined> {
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts += 1) {
      const current = await this.get(id);
      const next = change(current);
      if (next === current || next === undefined) return next;
      const written = await this.transition(next, current?.version ?? 0, current === undefined);
      if (written) return written;
    }
    throw new Error(`job ${id}: ${MAX_CONFLICTS} write conflicts in a row`);
  }

  async transition(next: Job, expectedVersion: number, insert = expectedVersion === 0): Promise<Job | undefined> {
    return this.write(undefined, next, expectedVersion, insert);
  }

  /** The versioned write, on a pool connection or inside a transaction's client. */
  private async write(
    client: PoolClient | undefined,
    next: Job,
    expectedVersion: number,
    insert: boolean,
  ): Promise<Job | undefined> {
    const after = jobSchema.parse({ ...next, version: expectedVersion + 1 });
    const values = [after.id, after.guildId, after.userId, !isFinished(after), needsWork(after), after.version, after];
    const text = insert
      ? // A record that appeared meanwhile is a conflict like any other: nothing is written.
        `INSERT INTO ${this.jobs} (id, guild_id, user_id, unfinished, needs_work, version, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`
      : `UPDATE ${this.jobs} SET guild_id = $2, user_id = $3, unfinished = $4, needs_work = $5, version = $6, data = $7
         WHERE id = $1 AND version = $8`;
    const parameters = insert ? values : [...values, expectedVersion];
    const result = client
      ? await client.query(text, parameters)
      : await this.database.query(`write job ${after.id}`, text, parameters);
    return (result.rowCount ?? 0) === 1 ? after : undefined;
  }

  /** Takes the member's lock, and the guild's when `queueing`, for the rest of the transaction. */
  private async lock(client: PoolClient, guildId: string, userId: string, queueing: boolean): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`member:${guildId}:${userId}`]);
    // Always taken after a member's lock, never before: no two transactions wait on each other.
    if (queueing) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`queue:${guildId}`]);
  }

  private async openRows(client: PoolClient, guildId: string, userId?: string): Promise<Job[]> {
    const { rows } = await client.query<JobRow>(
      userId === undefined
        ? `SELECT data FROM ${this.jobs} WHERE guild_id = $1 AND unfinished`
        : `SELECT data FROM ${this.jobs} WHERE guild_id = $1 AND user_id = $2 AND unfinished`,
      userId === undefined ? [guildId] : [guildId, userId],
    );
    return this.parseAll(rows);
  }

  async admit(jobs: readonly Job[], limits: Limits, at: number): Promise<Admission> {
    const first = jobs[0];
    if (!first) return { ok: true, started: 0 };
    return this.database.transaction(`write admission ${first.guildId}:${first.userId}`, async (client) => {
      await this.lock(client, first.guildId, first.userId, false);
      const mine = await this.openRows(client, first.guildId, first.userId);
      let decision = decideAdmission(mine, jobs, limits, at);
      // Some of them wait: the guild's queue is shared by its members, so count it under its lock.
      if (!decision.admission.ok || decision.admission.started < jobs.length) {
        await this.lock(client, first.guildId, first.userId, true);
        decision = decideAdmission(await this.openRows(client, first.guildId), jobs, limits, at);
      }
      for (const record of decision.records) {
        if (!(await this.write(client, record, 0, true))) throw new Error(`job ${record.id} exists already`);
      }
      return decision.admission;
    });
  }

  async claimSlots(guildId: string, userId: string, concurrency: number, at: number): Promise<Job[]> {
    return this.database.transaction(`write slots ${guildId}:${userId}`, async (client) => {
      await this.lock(client, guildId, userId, false);
      const mine = await this.openRows(client, guildId, userId);
      const ids = new Set(decideStarts(mine, guildId, userId, concurrency));
      const claimed: Job[] = [];
      for (const job of mine.filter((candidate) => ids.has(candidate.id))) {
        const written = await this.write(client, { ...job, slotAt: at }, job.version, false);
        // A step of this job wrote meanwhile (it cannot have started: it had no slot). Next time.
        if (written) claimed.push(written);
      }
      return claimed;
    });
  }

  async openIn(guildId: string): Promise<Job[]> {
    const { rows } = await this.database.query<JobRow>(
      `read open jobs ${guildId}`,
      `SELECT data FROM ${this.jobs} WHERE guild_id = $1 AND needs_work`,
      [guildId],
    );
    return this.parseAll(rows);
  }

  async openOf(guildId: string, userId: string): Promise<Job[]> {
    const { rows } = await this.database.query<JobRow>(
      `read open jobs ${guildId}:${userId}`,
      `SELECT data FROM ${this.jobs} WHERE guild_id = $1 AND user_id = $2 AND unfinished`,
      [guildId, userId],
    );
    return this.parseAll(rows);
  }

  async remember(job: Job): Promise<void> {
    const recent = this.database.table('recent');
    await this.database.query(
      `write recent ${job.guildId}:${job.userId}`,
      `INSERT INTO ${recent} (guild_id, user_id, job_id, at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (guild_id, user_id, job_id) DO UPDATE SET at = EXCLUDED.at`,
      [job.guildId, job.userId, job.id, job.createdAt],
    );
    // Keep the newest 25, as the keyv list does.
    await this.database.query(
      `write recent ${job.guildId}:${job.userId}`,
      `DELETE FROM ${recent} WHERE guild_id = $1 AND user_id = $2 AND job_id NOT IN (
         SELECT job_id FROM ${recent} WHERE guild_id = $1 AND user_id = $2 ORDER BY at DESC, job_id LIMIT ${RECENT_LIMIT})`,
      [job.guildId, job.userId],
    );
  }

  async recentOf(guildId: string, userId: string): Promise<Job[]> {
    const { rows } = await this.database.query<JobRow>(
      `read recent ${guildId}:${userId}`,
      `SELECT j.data FROM ${this.database.table('recent')} r JOIN ${this.jobs} j ON j.id = r.job_id
       WHERE r.guild_id = $1 AND r.user_id = $2 ORDER BY r.at DESC, r.job_id LIMIT ${RECENT_LIMIT}`,
      [guildId, userId],
    );
    return this.parseAll(rows);
  }

  async clickedJob(clickKey: string): Promise<string | undefined> {
    const { rows } = await this.database.query<{ job_id: string }>(
      `read click ${clickKey}`,
      `SELECT job_id FROM ${this.database.table('clicks')} WHERE key = $1 AND expires_at > $2`,
      [clickKey, Date.now()],
    );
    return rows[0]?.job_id;
  }

  async recordClick(clickKey: string, jobId: string): Promise<void> {
    await this.database.query(
      `write click ${clickKey}`,
      `INSERT INTO ${this.database.table('clicks')} (key, job_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET job_id = EXCLUDED.job_id, expires_at = EXCLUDED.expires_at`,
      [clickKey, jobId, Date.now() + CLICK_TTL_MS],
    );
  }
}
