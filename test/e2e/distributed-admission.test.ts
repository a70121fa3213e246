import { describe, expect, it } from 'vitest';
import { refusals } from '../../src/discord/text.js';
import { gateTextFor } from '../../src/moderation/text.js';
import type { InteractionRecord } from '../../src/sandbox/discord/index.js';
import type { KieSimulator } from '../../src/sandbox/providers/kie-simulator.js';
import { reachable } from '../services.js';
import { sample, useDistributedRun } from './distributed-support.js';
import { finished } from './support.js';

const services = (await reachable('postgres')) && (await reachable('redis'));

const LIMITS = { concurrency: 2, queueLimit: 1, dailyLimit: 4 };

/**
 * Issue 15, scenario 5: two processes admit one member at once. In production that is two
 * processes holding the same shard: a rolling deploy starts the new process before the old one
 * stops, or one is started twice by mistake. Discord then delivers the shard's events, each
 * INTERACTION_CREATE included, to every session identified for it (the emulator does the same).
 */
describe.runIf(services)('distributed mode: two processes admitting one member at once', () => {
  const run = useDistributedRun();

  /** Alice's unfinished jobs in the jobs table: those holding a slot, and those waiting for one. */
  async function alicesOpenJobs(): Promise<{ slots: number; queued: number }> {
    const { guildId, users } = run.sandbox.emulator.seed;
    return run.withDatabase(async (database) => {
      const { rows } = await database.query<{ slots: string; queued: string }>(
        'read',
        `SELECT COUNT(*) FILTER (WHERE data ? 'slotAt') AS slots, COUNT(*) FILTER (WHERE NOT data ? 'slotAt') AS queued
         FROM ${database.table('jobs')} WHERE guild_id = $1 AND user_id = $2 AND unfinished`,
        [guildId, users.alice],
      );
      return { slots: Number(rows[0]?.slots ?? 0), queued: Number(rows[0]?.queued ?? 0) };
    });
  }

  /** Every job of Alice's on record, and her daily counter summed over the days on record. */
  async function alicesRecords(): Promise<{ jobs: number; counted: number }> {
    const { guildId, users } = run.sandbox.emulator.seed;
    return run.withDatabase(async (database) => {
      const jobs = await database.query<{ count: string }>(
        'read',
        `SELECT COUNT(*) AS count FROM ${database.table('jobs')} WHERE guild_id = $1 AND user_id = $2`,
        [guildId, users.alice],
      );
      const counters = await database.query<{ count: string }>(
        'read',
        `SELECT COALESCE(SUM(count), 0) AS count FROM ${database.table('counters')} WHERE guild_id = $1 AND user_id = $2`,
        [guildId, users.alice],
      );
      return { jobs: Number(jobs.rows[0]?.count ?? 0), counted: Number(counters.rows[0]?.count ?? 0) };
    });
  }

  /** Eight `/imagine`s from Alice at once; each reaches both processes. */
  function burst(wave: string): Promise<InteractionRecord[]> {
    const { emulator } = run.sandbox;
    return Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        emulator.slashCommand(
          {
            userId: emulator.seed.users.alice,
            channelId: emulator.seed.channels.imagine,
            name: 'imagine',
            options: { prompt: `a paper lantern, ${wave} ${index}` },
          },
          { wait: 'ack' },
        ),
      ),
    );
  }

  it('GIVEN two processes on the same shard, concurrency 2, queue 1, 4 a day THEN two waves of 8 from one member never pass a limit, the counter is exact, and every refusal is answered once', async () => {
    const { emulator } = run.sandbox;
    const kie = run.sandbox.simulators.get('kie') as KieSimulator;
    await run.updateSettings(LIMITS);
    // Both identify for shard 0 of 1: each gets every interaction of the guild. The pause between
    // the filter and the allowance widens the window in which both count the same member.
    const processes = await Promise.all([1, 2].map(() => run.start({ FAILPOINTS: 'gate.before-count:100' })));

    // Samples the jobs table for as long as the waves run.
    let sampling = true;
    const samples: { slots: number; queued: number }[] = [];
    const sampler = (async () => {
      while (sampling) {
        samples.push(await alicesOpenJobs());
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    const settle = async (interactions: InteractionRecord[]) => {
      const made = interactions.filter((interaction) => !interaction.ephemeral);
      await Promise.all(
        made.map((interaction) =>
          emulator.waitForMessage(
            emulator.seed.channels.imagine,
            (message) => message.id === interaction.originalMessageId && finished(message),
            { timeoutMs: 60_000 },
          ),
        ),
      );
      return made;
    };
    const first = await burst('first wave');
    const firstMade = await settle(first);
    const second = await burst('second wave');
    const secondMade = await settle(second);
    // Late writes (a refund, a last edit) have time to land.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    sampling = false;
    await sampler;

    // Concurrency 2 and a queue of 1: three of the first wave fit; the allowance leaves one for the second.
    expect(firstMade).toHaveLength(3);
    expect(secondMade).toHaveLength(1);
    // The samples saw the limits reached, and never passed.
    expect(Math.max(...samples.map((seen) => seen.slots))).toBe(LIMITS.concurrency);
    expect(Math.max(...samples.map((seen) => seen.queued))).toBe(LIMITS.queueLimit);
    const records = await alicesRecords();
    expect(records.jobs).toBe(LIMITS.dailyLimit);
    expect(records.counted).toBe(records.jobs);

    // The provider never ran more than two of her tasks at once, and got one submit per job.
    const tasks = kie.submissions
      .filter(
        (submission) => submission.taskId !== undefined && JSON.stringify(submission.body).includes('paper lantern'),
      )
      .map((submission) => kie.task(submission.taskId!)!);
    expect(tasks).toHaveLength(records.jobs);
    for (const task of tasks) {
      const overlapping = tasks.filter(
        (other) => other.createdAt <= task.createdAt && task.createdAt < other.createdAt + other.durationMs,
      );
      expect(overlapping.length).toBeLessThanOrEqual(LIMITS.concurrency);
    }

    // Every refusal is the bot's sentence, in a private answer. In the first wave the allowance is
    // counted before the queue is checked, so a refusal there may be either.
    const queueFull = refusals('en').queueFull(LIMITS.queueLimit);
    const allowance = gateTextFor({ locale: 'en' }).allowance(1, 0, LIMITS.dailyLimit);
    const answerOf = (interaction: InteractionRecord) =>
      emulator.message(interaction.originalMessageId ?? interaction.responseMessageIds[0] ?? '')?.content;
    const firstRefused = first.filter((interaction) => interaction.ephemeral);
    const secondRefused = second.filter((interaction) => interaction.ephemeral);
    expect(firstRefused).toHaveLength(5);
    for (const interaction of firstRefused) expect([queueFull, allowance]).toContain(answerOf(interaction));
    expect(secondRefused.map(answerOf)).toEqual(secondRefused.map(() => allowance));
    const everything = [...first, ...second];
    expect(
      everything.map((interaction) => emulator.interactions().find((record) => record.id === interaction.id)?.state),
    ).toEqual(everything.map(() => 'acknowledged'));
    // One acknowledgement per interaction: no process tried to answer one the other had answered.
    const callbacks = emulator
      .requests()
      .filter((request) => request.method === 'POST' && request.route?.endsWith('/callback'));
    expect(callbacks.filter((request) => request.status >= 400)).toEqual([]);
    expect(callbacks).toHaveLength(everything.length);
    // Both processes answered some of them: the race was real.
    const answered = await Promise.all(
      processes.map(async ({ port }) =>
        sample(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'bot_interactions_total', {
          type: 'ApplicationCommand',
        }),
      ),
    );
    expect(answered.every((count) => (count ?? 0) > 0)).toBe(true);
    expect(answered.reduce<number>((sum, count) => sum + (count ?? 0), 0)).toBe(everything.length);
  }, 180_000);
});
