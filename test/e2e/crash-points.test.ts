import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailpointName } from '../../src/failpoints.js';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import type { Sandbox } from '../../src/sandbox/run.js';
import { startBotProcess, startCrashSandbox, type BotProcess } from './bot-process.js';

/** Each scenario is one `/imagine` of two prompts, so both the reply and a posted message are at stake. */
const PROMPT = '{a red, a blue} kite over the dunes';
const JOBS = 2;
/** With SIGTERM the failpoint pauses this long and goes on: the graceful shutdown must wait for it. */
const TERM_PAUSE_MS = 300;

const STAGES: { stage: FailpointName; what: string }[] = [
  { stage: 'job.before-submit', what: 'before the submit' },
  { stage: 'job.after-accept', what: 'after the provider accepted, before its task id is recorded' },
  { stage: 'job.after-finish', what: 'after the provider finished, before the message edit' },
  { stage: 'publish.before-edit', what: 'as the final edit is about to go out' },
  { stage: 'publish.after-edit', what: 'during the edit: it landed, the mirror and its record did not' },
  { stage: 'publish.after-mirror', what: 'the mirror is posted, its id not recorded' },
];
const SIGNALS: NodeJS.Signals[] = ['SIGKILL', 'SIGTERM'];

const isJobMessage = (message: MessageView) => /Job `[a-z0-9]+`/.test(message.content);
const jobIdIn = (content: string) => /Job `([a-z0-9]+)`/.exec(content)?.[1];

/**
 * The bot process is killed at each instant of a job's life where a crash costs the most, with
 * SIGKILL (no chance to clean up) and with SIGTERM (a graceful shutdown). After a restart every
 * job's message reaches its final state, each job has one message and one moderation mirror, and
 * the provider saw one task per job, except where a SIGKILL lands between the provider accepting a
 * task and the bot recording its id: no provider here takes an idempotency key, so that task is
 * submitted again, and the test counts exactly those.
 */
describe('crash points: the bot is killed at the worst instants of a job and started again', () => {
  let sandbox: Sandbox;
  let bot: BotProcess | undefined;
  const directory = mkdtempSync(join(tmpdir(), 'crash-points-'));
  const submits = () => sandbox.simulators.get('kie')!.requests.filter((request) => request.kind === 'submit').length;

  beforeAll(async () => {
    sandbox = await startCrashSandbox();
  });
  afterAll(async () => {
    await bot?.kill('SIGKILL');
    await sandbox?.stop();
  });

  const scenarios = STAGES.flatMap(({ stage, what }) => SIGNALS.map((signal) => ({ stage, what, signal })));
  it.each(scenarios)(
    'GIVEN $signal at $stage ($what) THEN after a restart every message is final, once, and submits are counted',
    { timeout: 90_000 },
    async ({ stage, signal }) => {
      const { emulator } = sandbox;
      const { alice, mia } = emulator.seed.users;
      const name = `${stage}-${signal}`.replace(/[^a-z-]/gi, '-').toLowerCase();
      const channelId = emulator.createChannel(emulator.seed.guildId, { name }).id;
      const modChannelId = emulator.createChannel(emulator.seed.guildId, { name: `${name}-mod` }).id;
      const environment = {
        ...sandbox.environment,
        STORE_URL: `sqlite://${join(directory, `${name}.sqlite`)}`,
        SHUTDOWN_GRACE_MS: '5000',
        // Each job's own message is followed; a slow run must not turn a result into a new post.
        RESULT_PING_AFTER_MS: '3600000',
      };
      const finalEdits = new Map<string, number>();
      const countEdit = ({ message }: { message: { id: string; channelId: string; attachments: unknown[] } }) => {
        if (message.channelId === channelId && message.attachments.length > 0)
          finalEdits.set(message.id, (finalEdits.get(message.id) ?? 0) + 1);
      };
      emulator.events.on('message.update', countEdit);
      const submitsBefore = submits();
      try {
        bot = await startBotProcess({
          ...environment,
          FAILPOINTS: signal === 'SIGKILL' ? stage : `${stage}:${TERM_PAUSE_MS}`,
        });
        const settings = await emulator.slashCommand(
          { userId: mia, channelId, name: 'settings', options: { mod_channel: modChannelId } },
          { wait: 'ack' },
        );
        expect(settings.failed).toBe(false);
        const command = await emulator.slashCommand(
          { userId: alice, channelId, name: 'imagine', options: { prompt: PROMPT } },
          { wait: 'ack' },
        );
        expect(command.ephemeral).toBe(false);
        await bot.waitForLine(`"failpoint":"${stage}"`);
        await bot.kill(signal);
        const acceptedBeforeKill = submits() - submitsBefore;

        bot = await startBotProcess(environment);
        const done = () => {
          const messages = emulator.messages(channelId).filter(isJobMessage);
          const mirrors = emulator.messages(modChannelId).filter((message) => message.content.startsWith('**Job'));
          return (
            messages.length === JOBS &&
            messages.every((message) => message.attachments.length === 1) &&
            mirrors.length >= JOBS
          );
        };
        await expect.poll(done, { timeout: 60_000, interval: 100 }).toBe(true);
        // Anything late would have arrived by now: the jobs are long finished.
        await new Promise((resolve) => setTimeout(resolve, 500));

        const messages = emulator.messages(channelId).filter(isJobMessage);
        const jobIds = messages.map((message) => jobIdIn(message.content));
        expect(new Set(jobIds).size, 'one message per job, no duplicate').toBe(JOBS);
        expect(messages.map((message) => message.id)).toContain(command.originalMessageId);
        const mirrored = emulator
          .messages(modChannelId)
          .map((message) => jobIdIn(message.content))
          .filter(Boolean);
        expect(mirrored.sort(), 'one mirror per job').toEqual([...jobIds].sort());
        // The final edit lands once, except when the kill fell between it and its record: then the
        // restarted bot repeats that same edit (nothing a member can tell apart), once. The publisher
        // edits one message of a channel at a time, so only the message it was working on repeats.
        const repeatedEdit =
          (stage === 'publish.after-edit' || stage === 'publish.after-mirror') && signal === 'SIGKILL';
        const edits = messages.map((message) => finalEdits.get(message.id) ?? 0);
        expect(
          edits.every((count) => count === 1 || (repeatedEdit && count === 2)),
          `final edits per message: ${edits.join(', ')}`,
        ).toBe(true);
        expect(edits.reduce((sum, count) => sum + count, 0)).toBe(JOBS + (repeatedEdit ? 1 : 0));
        // Tasks at the provider: one per job, plus one per job whose accepted task was cut off unrecorded.
        const resubmitted = stage === 'job.after-accept' && signal === 'SIGKILL' ? acceptedBeforeKill : 0;
        expect(submits() - submitsBefore).toBe(JOBS + resubmitted);
        expect(emulator.interactions({ state: 'failed' })).toEqual([]);
      } finally {
        emulator.events.off('message.update', countEdit);
        await bot?.kill('SIGTERM');
        bot = undefined;
      }
    },
  );
});
