import { REST, Routes } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Publisher } from '../../src/discord/publisher.js';
import { discordRestAgent } from '../../src/discord/rest-agent.js';
import type { Job } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { DiscordEmulator } from '../../src/sandbox/discord/index.js';
import { openKeyv } from '../../src/store/keyv.js';
import { createStores, type Stores } from '../../src/store/stores.js';
import { makeJob } from '../fixtures/jobs.js';

const logger = createLogger({ level: 'silent' });
const MESSAGE_ROUTE = '/channels/:channel/messages/:message';

/**
 * The publisher against the local Discord, with a real REST client and a real store: its rules are
 * what Discord sees, so they are counted in the emulator's request log.
 */
describe('Publisher', () => {
  let emulator: DiscordEmulator;
  let rest: REST;
  let stores: Stores;
  let close: () => Promise<void>;
  let publisher: Publisher;
  let channelId: string;
  const published: string[] = [];

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    // No retries of its own, so that a server error reaches the publisher's rules.
    rest = new REST({ api: emulator.restUrl, agent: discordRestAgent(), retries: 0 }).setToken(emulator.token);
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(async () => {
    const keyv = await openKeyv('sqlite://:memory:', logger);
    stores = createStores(keyv, logger);
    close = () => keyv.disconnect();
    channelId = emulator.createChannel(emulator.seed.guildId, { name: `publisher-${Date.now()}` }).id;
    published.length = 0;
    publisher = new Publisher({
      rest,
      stores,
      logger,
      applicationId: emulator.applicationId,
      view: (job) => ({ content: `Job \`${job.id}\`: ${job.state} ${job.progress ?? 0}%`, components: [] }),
      attachment: () => Promise.resolve(undefined),
      published: (job) => Promise.resolve(void published.push(job.id)),
    });
    emulator.clearRequests();
  });
  afterEach(async () => {
    publisher.stop();
    await close();
  });

  /** A job whose message exists in the channel, as launch leaves it. */
  async function shownJob(id: string, overrides: Partial<Job> = {}): Promise<Job> {
    const message = (await rest.post(Routes.channelMessages(channelId), {
      body: { content: `Job \`${id}\`: waiting` },
    })) as { id: string };
    const job = makeJob({
      id,
      channelId,
      guildId: emulator.seed.guildId,
      messageId: message.id,
      state: 'running',
      // Just made: its result is not late, so it replaces the waiting message in place.
      createdAt: Date.now(),
      ...overrides,
    });
    await stores.jobs.save(job);
    return job;
  }
  const finish = (job: Job) =>
    stores.jobs.update(
      job.id,
      (current) => current && { ...current, state: 'succeeded', publishSeq: current.publishSeq + 1 },
    );
  const editsOf = (messageId: string) =>
    emulator
      .requests()
      .filter(
        (request) => request.method === 'PATCH' && request.path === `/channels/${channelId}/messages/${messageId}`,
      );
  const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
    await expect.poll(condition, { timeout: timeoutMs, interval: 20 }).toBe(true);
  };

  it('GIVEN ten progress changes of one job while its channel is at its limit THEN one edit goes out, with the last state', async () => {
    const job = await shownJob('coalesce1');
    for (let count = 0; count < 5; count++) await publisher.reserveWrite(channelId);
    for (let progress = 10; progress <= 100; progress += 10) {
      const current = await stores.jobs.update(job.id, (record) => record && { ...record, progress });
      publisher.notify(current!, 'progress');
    }
    await publisher.drain();
    expect(editsOf(job.messageId!)).toHaveLength(1);
    expect(emulator.message(job.messageId!)?.content).toContain('100%');
  });

  it('GIVEN a final result waiting behind progress in one channel THEN the final edit goes first', async () => {
    const waiting = await Promise.all(['order1', 'order2', 'order3'].map((id) => shownJob(id)));
    const done = await shownJob('orderfin');
    // Use the channel's whole window (all four jobs are in it), so that everything notified next has to queue.
    for (let count = 0; count < 5; count++) await publisher.reserveWrite(channelId);
    for (const job of waiting) publisher.notify(job, 'progress');
    publisher.notify((await finish(done))!, 'final');
    await publisher.drain();
    const edits = emulator.requests().filter((request) => request.method === 'PATCH');
    expect(edits[0]?.path).toBe(`/channels/${channelId}/messages/${done.messageId}`);
  });

  it('GIVEN seven results at once in one channel THEN no more than five writes go out in any five seconds, and Discord never answers 429', async () => {
    const jobs = await Promise.all(Array.from({ length: 7 }, (_, index) => shownJob(`pace${index}x`)));
    emulator.clearRequests();
    for (const job of jobs) publisher.notify((await finish(job))!, 'final');
    await publisher.drain();
    const times = editsOfChannel().map((request) => request.at);
    expect(times).toHaveLength(7);
    for (const start of times)
      expect(times.filter((at) => at >= start && at < start + 5_000).length).toBeLessThanOrEqual(5);
    expect(emulator.requests().filter((request) => request.status === 429)).toEqual([]);
  }, 20_000);
  const editsOfChannel = () =>
    emulator
      .requests()
      .filter((request) => request.method === 'PATCH' && request.path.startsWith(`/channels/${channelId}/`));

  it('GIVEN a final edit Discord answers with a server error THEN it is tried again until it lands, and its publication is recorded', async () => {
    const job = await shownJob('retry123');
    emulator.failNext({ method: 'PATCH', template: MESSAGE_ROUTE, status: 502 });
    publisher.notify((await finish(job))!, 'final');
    await until(async () => (await stores.jobs.get(job.id))?.publishedSeq === 1);
    expect(editsOf(job.messageId!).map((request) => request.status)).toEqual([502, 200]);
    expect(emulator.message(job.messageId!)?.content).toContain('succeeded');
    expect(published).toEqual([job.id]);
  });

  it('GIVEN a final result whose message a user deleted THEN it is recorded as published once, and not tried again', async () => {
    const job = await shownJob('gone1234');
    await rest.delete(Routes.channelMessage(channelId, job.messageId!));
    emulator.clearRequests();
    publisher.notify((await finish(job))!, 'final');
    await until(async () => (await stores.jobs.get(job.id))?.publishedSeq === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(editsOf(job.messageId!).map((request) => request.status)).toEqual([404]);
  });

  it('GIVEN a published state notified again THEN nothing is sent', async () => {
    const job = await shownJob('twice123');
    publisher.notify((await finish(job))!, 'final');
    await until(async () => (await stores.jobs.get(job.id))?.publishedSeq === 1);
    publisher.notify((await stores.jobs.get(job.id))!, 'final');
    await publisher.drain();
    expect(editsOf(job.messageId!)).toHaveLength(1);
  });

  it('GIVEN a posted job whose message id was never recorded THEN posting again with its nonce finds that message: no duplicate', async () => {
    const posted = (await rest.post(Routes.channelMessages(channelId), {
      body: { content: 'Job `nonce123`: waiting', nonce: 'nonce123', enforce_nonce: true },
    })) as { id: string };
    const job = makeJob({
      id: 'nonce123',
      channelId,
      guildId: emulator.seed.guildId,
      state: 'running',
      shownBy: 'post',
      createdAt: Date.now(),
    });
    await stores.jobs.save(job);
    publisher.notify((await finish(job))!, 'final');
    await until(async () => (await stores.jobs.get(job.id))?.publishedSeq === 1);
    expect((await stores.jobs.get(job.id))?.messageId).toBe(posted.id);
    expect(emulator.messages(channelId).filter((message) => message.content.includes('nonce123'))).toHaveLength(1);
    expect(emulator.message(posted.id)?.content).toContain('succeeded');
  });

  it('GIVEN a late result THEN it is posted as a new message with a nonce, the waiting one is deleted, and a later decision edits the new one', async () => {
    const job = await shownJob('late0001', { createdAt: Date.now() - 60_000 });
    publisher.notify((await finish(job))!, 'final');
    await until(async () => (await stores.jobs.get(job.id))?.publishedSeq === 1);
    const stored = (await stores.jobs.get(job.id))!;
    expect(stored.messageId).not.toBe(job.messageId);
    expect(stored.resultShown).toBe(true);
    expect(stored.waitingMessageId).toBeUndefined();
    expect(emulator.message(job.messageId!)).toBeUndefined();
    const posted = emulator.message(stored.messageId!);
    expect(posted?.nonce).toBe('rlate0001');
    expect(posted?.content).toContain('succeeded');
    // A moderator's later decision is shown by editing the result, never by posting it again.
    await stores.jobs.update(job.id, (current) => current && { ...current, publishSeq: current.publishSeq + 1 });
    publisher.notify((await stores.jobs.get(job.id))!, 'final');
    await until(async () => (await stores.jobs.get(job.id))?.publishedSeq === 2);
    expect(emulator.messages(channelId).filter((message) => message.content.includes('late0001'))).toHaveLength(1);
    expect(editsOf(stored.messageId!)).toHaveLength(1);
  });
});
