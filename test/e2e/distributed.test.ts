import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { Database } from '../../src/store/postgres/database.js';
import { reachable, TEST_DATABASE_URL, TEST_REDIS_URL } from '../services.js';
import { refusals } from '../../src/discord/text.js';
import { freePort, sample, useDistributedRun, waitUntil } from './distributed-support.js';
import { OutageProxy } from './outage-proxy.js';
import { describeViolation, finished, jobIdOf } from './support.js';

const services = (await reachable('postgres')) && (await reachable('redis'));

/** Real bot processes in distributed mode: PostgreSQL for records, BullMQ on Redis for steps. */
describe.runIf(services)('distributed mode, real processes on PostgreSQL and Redis', () => {
  const run = useDistributedRun();
  const { start, shards, schema } = run;

  /** Alice's `/imagine` in #imagine, answered by whichever process owns the guild's shard. */
  const imagine = (prompt: string) =>
    run.sandbox.emulator.slashCommand(
      {
        userId: run.sandbox.emulator.seed.users.alice,
        channelId: run.sandbox.emulator.seed.channels.imagine,
        name: 'imagine',
        options: { prompt },
      },
      { wait: 'ack' },
    );

  it('GIVEN one process THEN /imagine is delivered, /readyz checks gateway, store and queue, and /metrics counts the job', async () => {
    const { emulator } = run.sandbox;
    const { port } = await start();
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { gateway: true, store: true, queue: true } });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const reply = await emulator.slashCommand(
      {
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        name: 'imagine',
        options: { prompt: 'a lighthouse at dawn' },
      },
      { wait: 'ack' },
    );
    const grid = await emulator.waitForMessage(
      emulator.seed.channels.imagine,
      (message) => message.id === reply.originalMessageId && finished(message),
      { timeoutMs: 30_000 },
    );
    expect(grid.attachments).toHaveLength(1);
    const kie = run.sandbox.simulators.get('kie')!;
    expect(kie.requests.filter((request) => request.kind === 'submit')).toHaveLength(1);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(sample(metrics, 'bot_jobs_finished_total', { provider: 'kie', outcome: 'succeeded' })).toBe(1);
    expect(sample(metrics, 'bot_interactions_total', { type: 'ApplicationCommand' })).toBe(1);
    expect(sample(metrics, 'bot_interaction_ack_seconds_count', {})).toBe(1);
    expect(sample(metrics, 'bot_provider_request_seconds_count', { kind: 'submit', outcome: 'ok' })).toBe(1);
    expect(sample(metrics, 'bot_provider_request_seconds_count', { kind: 'status', outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(metrics, 'bot_store_query_seconds_count', { operation: 'write admission' })).toBe(1);
    expect(sample(metrics, 'bot_shard_connected', { shard: '0' })).toBe(1);
    expect(sample(metrics, 'bot_queue_jobs', { provider: 'kie', state: 'delayed' })).toBe(0);
    expect(sample(metrics, 'bot_discord_responses_total', { method: 'POST', status: '200' })).toBeGreaterThan(0);
    expect(sample(metrics, 'bot_step_lateness_seconds_count', { provider: 'kie' })).toBeGreaterThan(0);
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
    expect(emulator.specReport().violations.map(describeViolation)).toEqual([]);
  }, 90_000);

  it('GIVEN callbacks sent to the process that does not own the guild, and concurrency 1 THEN red and blue are both delivered, blue submitted within 1 s of red finishing', async () => {
    const { emulator } = run.sandbox;
    const kie = run.sandbox.simulators.get('kie')!;
    const { owner, other } = shards();
    const [ownerPort, otherPort] = await Promise.all([freePort(), freePort()]);
    const wrong = `http://127.0.0.1:${otherPort}`;
    const common = { SHARD_COUNT: '2', PUBLIC_BASE_URL: wrong };
    await run.updateSettings({ concurrency: 1 });
    await start({ ...common, SHARD_IDS: owner, CALLBACK_PORT: String(ownerPort) });
    await start({ ...common, SHARD_IDS: other, CALLBACK_PORT: String(otherPort) });
    const submitsBefore = kie.requests.filter((request) => request.kind === 'submit').length;
    const red = await imagine('a red door');
    const blue = await imagine('a blue door');
    const done = (id: string | null | undefined) =>
      emulator.waitForMessage(emulator.seed.channels.imagine, (message) => message.id === id && finished(message), {
        timeoutMs: 30_000,
      });
    const [redGrid, blueGrid] = await Promise.all([done(red.originalMessageId), done(blue.originalMessageId)]);
    expect(redGrid.attachments).toHaveLength(1);
    expect(blueGrid.attachments).toHaveLength(1);
    const submits = kie.requests.filter((request) => request.kind === 'submit').slice(submitsBefore);
    expect(submits).toHaveLength(2);
    // Red's result reached the other process, which freed the slot and started blue.
    const redJob = jobIdOf(redGrid);
    const redCallbacks = kie.callbacks.deliveries.filter(
      (delivery) => delivery.url.startsWith(wrong) && delivery.url.includes(`/${redJob}/`) && delivery.status === 200,
    );
    expect(redCallbacks.length).toBeGreaterThan(0);
    const redFinishedAt = Math.min(...redCallbacks.map((delivery) => delivery.at));
    expect(submits[1]!.at - redFinishedAt).toBeLessThan(1_000);
    if (process.env.REPORT_FIGURES)
      console.info(`blue submitted ${submits[1]!.at - redFinishedAt} ms after red's callback`);
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
    await run.updateSettings({ concurrency: 3 });
  }, 90_000);

  it('GIVEN kill -9 of the process that owns the guild mid-job THEN the other finishes it, with no second submit', async () => {
    const { emulator } = run.sandbox;
    const kie = run.sandbox.simulators.get('kie')!;
    const { owner, other } = shards();
    const first = await start({ SHARD_COUNT: '2', SHARD_IDS: owner });
    await start({ SHARD_COUNT: '2', SHARD_IDS: other });
    const submitsBefore = kie.requests.filter((request) => request.kind === 'submit').length;
    const reply = await emulator.slashCommand(
      {
        userId: emulator.seed.users.bob,
        channelId: emulator.seed.channels.imagine,
        name: 'imagine',
        options: { prompt: 'a slow tide --relax' },
      },
      { wait: 'ack' },
    );
    await waitUntil(() => kie.requests.filter((request) => request.kind === 'submit').length > submitsBefore, 10_000);
    await waitUntil(
      () => emulator.message(reply.originalMessageId!)?.content.includes('(Waiting to start)') === false,
      10_000,
    );
    const killedAt = Date.now();
    await first.bot.kill('SIGKILL');
    expect(finished(emulator.message(reply.originalMessageId!)!)).toBe(false);
    const grid = await emulator.waitForMessage(
      emulator.seed.channels.imagine,
      (message) => message.id === reply.originalMessageId && finished(message),
      { timeoutMs: 60_000 },
    );
    expect(grid.attachments).toHaveLength(1);
    expect(kie.requests.filter((request) => request.kind === 'submit').length - submitsBefore).toBe(1);
    // Within BullMQ's stall interval (30 s) plus the job's own time.
    expect(Date.now() - killedAt).toBeLessThan(45_000);
    if (process.env.REPORT_FIGURES) console.info(`finished ${Date.now() - killedAt} ms after the kill`);
  }, 120_000);

  it('GIVEN two processes and PROVIDER_RATE_PER_SECOND=2 THEN the simulator sees at most 2 requests per second, summed over both', async () => {
    const { emulator } = run.sandbox;
    const kie = run.sandbox.simulators.get('kie')!;
    const { owner, other } = shards();
    const common = { SHARD_COUNT: '2', PROVIDER_RATE_PER_SECOND: '2' };
    const bots = [await start({ ...common, SHARD_IDS: owner }), await start({ ...common, SHARD_IDS: other })];
    const from = kie.requests.length;
    const replies = await Promise.all(
      [emulator.seed.users.alice, emulator.seed.users.bob].flatMap((userId) =>
        [1, 2, 3].map((index) =>
          emulator.slashCommand(
            {
              userId,
              channelId: emulator.seed.channels.imagine,
              name: 'imagine',
              options: { prompt: `a cloud ${index}` },
            },
            { wait: 'ack' },
          ),
        ),
      ),
    );
    for (const reply of replies)
      await emulator.waitForMessage(
        emulator.seed.channels.imagine,
        (message) => message.id === reply.originalMessageId && finished(message),
        { timeoutMs: 60_000 },
      );
    // Submits and status queries: what the steps send (image downloads are not steps).
    const times = kie.requests
      .slice(from)
      .filter((request) => request.kind === 'submit' || request.kind === 'status')
      .map((request) => request.at);
    const firstAt = Math.min(...times);
    const lastAt = Math.max(...times);
    expect(times.length).toBeGreaterThanOrEqual(12);
    // BullMQ's limiter is a fixed window per second: within t ms of the first request, at most one
    // window's worth plus the rate over t. Two processes each at the rate would reach double.
    for (let span = 500; span <= lastAt - firstAt; span += 500) {
      const seen = times.filter((time) => time <= firstAt + span).length;
      expect(seen, `within ${span} ms`).toBeLessThanOrEqual(2 * (span / 1_000 + 1) + 1);
    }
    const stepsPerProcess = bots.map(
      (bot) => bot.bot.lines.filter((line) => line.includes('"msg":"job submitted"')).length,
    );
    if (process.env.REPORT_FIGURES)
      console.info(
        `${times.length} provider requests in ${lastAt - firstAt} ms (${((times.length - 1) / ((lastAt - firstAt) / 1_000)).toFixed(2)}/s); submits per process ${stepsPerProcess.join(', ')}`,
      );
  }, 120_000);

  it('GIVEN SIGTERM while a submit is on its way THEN the process waits for it, and after a restart there is no second submit', async () => {
    const { emulator } = run.sandbox;
    const kie = run.sandbox.simulators.get('kie')!;
    const first = await start({ FAILPOINTS: 'job.before-submit:1500' });
    const submitsBefore = kie.requests.filter((request) => request.kind === 'submit').length;
    const reply = await emulator.slashCommand(
      {
        userId: emulator.seed.users.alice,
        channelId: emulator.seed.channels.imagine,
        name: 'imagine',
        options: { prompt: 'a quiet harbour --relax' },
      },
      { wait: 'ack' },
    );
    await first.bot.waitForLine('"failpoint":"job.before-submit"', 10_000);
    await first.bot.kill('SIGTERM');
    // The step in flight finished before the exit: its task id is recorded.
    expect(first.bot.lines.some((line) => line.includes('"msg":"job submitted"'))).toBe(true);
    await start();
    const grid = await emulator.waitForMessage(
      emulator.seed.channels.imagine,
      (message) => message.id === reply.originalMessageId && finished(message),
      { timeoutMs: 60_000 },
    );
    expect(grid.attachments).toHaveLength(1);
    expect(kie.requests.filter((request) => request.kind === 'submit').length - submitsBefore).toBe(1);
  }, 120_000);

  it('GIVEN two processes with a guild on each shard and 20 jobs THEN all are delivered, and provider submits equal jobs', async () => {
    const { emulator } = run.sandbox;
    const kie = run.sandbox.simulators.get('kie')!;
    const { owner, other } = shards();
    // A second guild, on the other shard: each process has a guild of its own.
    const second = await run.secondGuild();
    const processes = [
      await start({ SHARD_COUNT: '2', SHARD_IDS: owner }),
      await start({ SHARD_COUNT: '2', SHARD_IDS: other }),
    ];
    const submitsBefore = kie.requests.filter((request) => request.kind === 'submit').length;
    const members = [
      ...[emulator.seed.users.alice, emulator.seed.users.bob].flatMap((userId) =>
        Array.from({ length: 5 }, () => ({ userId, channelId: emulator.seed.channels.imagine })),
      ),
      ...Array.from({ length: 10 }, () => ({ userId: second.userId, channelId: second.channelId })),
    ];
    const started = Date.now();
    const replies = await Promise.all(
      members.map(({ userId, channelId }, index) =>
        emulator.slashCommand(
          { userId, channelId, name: 'imagine', options: { prompt: `a paper boat ${index}` } },
          { wait: 'ack' },
        ),
      ),
    );
    const grids = await Promise.all(
      replies.map((reply, index) =>
        emulator.waitForMessage(
          members[index]!.channelId,
          (message) => message.id === reply.originalMessageId && finished(message),
          { timeoutMs: 90_000 },
        ),
      ),
    );
    expect(grids.every((grid) => grid.attachments.length === 1)).toBe(true);
    expect(kie.requests.filter((request) => request.kind === 'submit').length - submitsBefore).toBe(20);
    // Each process answered its own shard's interactions.
    for (const { bot } of processes)
      expect(
        bot.lines.filter((line) => line.includes('"msg":"bot ready"') && line.includes('"guilds":1')),
      ).toHaveLength(1);
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);
    if (process.env.REPORT_FIGURES) console.info(`20 jobs over two processes in ${Date.now() - started} ms`);
  }, 150_000);

  /** Bob's daily counters in the seeded guild, summed over the days on record. */
  async function bobsDailyCount(): Promise<number> {
    const database = await Database.open(TEST_DATABASE_URL, createLogger({ level: 'silent' }), { schema });
    try {
      const { rows } = await database.query<{ count: string }>(
        'read',
        `SELECT COALESCE(SUM(count), 0) AS count FROM ${database.table('counters')} WHERE guild_id = $1 AND user_id = $2`,
        [run.sandbox.emulator.seed.guildId, run.sandbox.emulator.seed.users.bob],
      );
      return Number(rows[0]?.count ?? 0);
    } finally {
      await database.close();
    }
  }

  it('GIVEN every callback delivered to both processes at once, while polls run THEN one final edit, the record finished and published once, and the daily counter unchanged by the duplicates', async () => {
    const { emulator } = run.sandbox;
    const { owner, other } = shards();
    const [ownerPort, otherPort] = await Promise.all([freePort(), freePort()]);
    // The provider's callbacks reach both processes at the same moment.
    let duplicated = 0;
    const fanOut: Server = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const send = (port: number) =>
          fetch(`http://127.0.0.1:${port}${request.url ?? '/'}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
        void Promise.all([send(ownerPort), send(otherPort)]).then(
          ([first, second]) => {
            duplicated += 1;
            response.writeHead(first.status === 200 || second.status === 200 ? 200 : first.status).end('{}');
          },
          () => response.writeHead(502).end(),
        );
      });
    });
    await new Promise<void>((resolve) => fanOut.listen(0, '127.0.0.1', resolve));
    const fanOutUrl = `http://127.0.0.1:${(fanOut.address() as AddressInfo).port}`;
    const finalEdits = new Map<string, number>();
    const countEdit = ({ message }: { message: { id: string; attachments: unknown[] } }) => {
      if (message.attachments.length > 0) finalEdits.set(message.id, (finalEdits.get(message.id) ?? 0) + 1);
    };
    emulator.events.on('message.update', countEdit);
    try {
      const common = { SHARD_COUNT: '2', PUBLIC_BASE_URL: fanOutUrl };
      await start({ ...common, SHARD_IDS: owner, CALLBACK_PORT: String(ownerPort) });
      await start({ ...common, SHARD_IDS: other, CALLBACK_PORT: String(otherPort) });
      const counterBefore = await bobsDailyCount();
      const replies = await Promise.all(
        ['a twin star', 'a twin moon', 'a twin sun'].map((prompt) =>
          emulator.slashCommand(
            {
              userId: emulator.seed.users.bob,
              channelId: emulator.seed.channels.imagine,
              name: 'imagine',
              options: { prompt },
            },
            { wait: 'ack' },
          ),
        ),
      );
      const grids = await Promise.all(
        replies.map((reply) =>
          emulator.waitForMessage(
            emulator.seed.channels.imagine,
            (message) => message.id === reply.originalMessageId && finished(message),
            { timeoutMs: 30_000 },
          ),
        ),
      );
      // Late duplicates and edits have time to land.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(duplicated).toBeGreaterThanOrEqual(3);
      expect(grids.map((grid) => finalEdits.get(grid.id) ?? 0)).toEqual([1, 1, 1]);
      const database = await Database.open(TEST_DATABASE_URL, createLogger({ level: 'silent' }), { schema });
      const { rows } = await database.query<{ data: { state: string; publishSeq: number; publishedSeq: number } }>(
        'read',
        `SELECT data FROM ${database.table('jobs')} WHERE id = ANY($1)`,
        [grids.map(jobIdOf)],
      );
      await database.close();
      expect(rows.map((row) => [row.data.state, row.data.publishSeq, row.data.publishedSeq])).toEqual([
        ['succeeded', 1, 1],
        ['succeeded', 1, 1],
        ['succeeded', 1, 1],
      ]);
      // Duplicated callbacks count nothing: three jobs, three more in Bob's daily counter.
      expect((await bobsDailyCount()) - counterBefore).toBe(3);
    } finally {
      emulator.events.off('message.update', countEdit);
      fanOut.close();
    }
  }, 90_000);

  it('GIVEN PostgreSQL and then Redis unreachable for 5 s each THEN steps resume, no job is lost, and a member is told to try again meanwhile', async () => {
    const { emulator } = run.sandbox;
    const kie = run.sandbox.simulators.get('kie')!;
    const database = new URL(TEST_DATABASE_URL);
    const redis = new URL(TEST_REDIS_URL);
    const pgProxy = await OutageProxy.start({ host: database.hostname, port: Number(database.port || 5432) });
    const redisProxy = await OutageProxy.start({ host: redis.hostname, port: Number(redis.port || 6379) });
    const viaProxy = (url: URL, port: number) => {
      const copy = new URL(url.href);
      copy.port = String(port);
      return copy.href;
    };
    try {
      await start({
        DATABASE_URL: viaProxy(database, pgProxy.port),
        REDIS_URL: viaProxy(redis, redisProxy.port),
      });
      const submitsBefore = kie.requests.filter((request) => request.kind === 'submit').length;
      const before = await imagine('a long bridge --relax');
      await waitUntil(() => kie.requests.filter((request) => request.kind === 'submit').length > submitsBefore, 10_000);

      const pgCut = pgProxy.cut(5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const during = await imagine('a short bridge');
      const told = emulator.message(during.originalMessageId ?? during.responseMessageIds[0] ?? '')?.content ?? '';
      expect(told).toBe(refusals('en').storeUnavailable);
      await pgCut;

      const redisCut = redisProxy.cut(5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Records are up: the job is admitted, and its first step waits for Redis.
      const meanwhile = await imagine('a stone bridge');
      await redisCut;

      const done = (id: string | null) =>
        emulator.waitForMessage(emulator.seed.channels.imagine, (message) => message.id === id && finished(message), {
          timeoutMs: 60_000,
        });
      const grids = await Promise.all([done(before.originalMessageId), done(meanwhile.originalMessageId)]);
      expect(grids.map((grid) => grid.attachments.length)).toEqual([1, 1]);
      expect(kie.requests.filter((request) => request.kind === 'submit').length - submitsBefore).toBe(2);
    } finally {
      pgProxy.close();
      redisProxy.close();
    }
  }, 120_000);

  // A hung server is worse than a refused one: nothing fails, every query just waits. The claim, the
  // gate and the admission all wait on PostgreSQL here, and Discord's 3 seconds must still hold.
  it("GIVEN PostgreSQL hangs for 4 s (connections open, nothing answered) THEN /imagine is acknowledged within Discord's 3 s, and its placeholder becomes the result or a private try-again", async () => {
    const { emulator } = run.sandbox;
    const database = new URL(TEST_DATABASE_URL);
    const pgProxy = await OutageProxy.start({ host: database.hostname, port: Number(database.port || 5432) });
    const viaProxy = new URL(database.href);
    viaProxy.port = String(pgProxy.port);
    try {
      await start({ DATABASE_URL: viaProxy.href });
      await imagine('a warm-up bridge');
      const stall = pgProxy.stall(4_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const during = await imagine('a hanging bridge');
      expect(during.failed).toBe(false);
      expect(during.acknowledgedAt! - during.dispatchedAt).toBeLessThan(3_000);
      await stall;
      // The placeholder is replaced by the job's message, or (a store query that timed out while it
      // hung) by the private "try again": never left thinking, never silent.
      const answered = () =>
        during.responseMessageIds
          .map((id) => emulator.message(id))
          .find((message) => message && (finished(message) || message.content === refusals('en').storeUnavailable));
      await waitUntil(() => answered() !== undefined, 60_000);
      const answer = answered()!;
      if (answer.content !== refusals('en').storeUnavailable) expect(answer.attachments).toHaveLength(1);
    } finally {
      pgProxy.close();
    }
  }, 120_000);
});
