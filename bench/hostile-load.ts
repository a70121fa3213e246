import { setTimeout as sleep } from 'node:timers/promises';
import type { InteractionRecord } from '../src/sandbox/discord/index.js';
import { PATHOLOGICAL } from '../test/prompt/hostile.js';
import { startApixoSandbox } from './ack.js';
import { BenchChild, type LoopDelayReading } from './child.js';
import { createUsers } from './sandbox.js';

/** One member sends the worst prompts the reliability tests know, ten a second, for ten seconds. */
const PER_SECOND = 10;
const SECONDS = 10;

export interface HostileLoadResult {
  commands: number;
  /** The bot's event-loop delay while they arrive. */
  loop_delay_ms: LoopDelayReading;
  /** The same window with nobody sending anything, as the reference. */
  idle_loop_delay_ms: LoopDelayReading;
  failed: number;
}

/**
 * The cost of hostile input in the running bot: its event-loop delay while one member sends the
 * pathological prompts (test/prompt/hostile.ts) through /imagine, ten a second, against the same
 * window at rest.
 */
export async function measureHostileLoad(): Promise<HostileLoadResult> {
  const sandbox = await startApixoSandbox();
  const child = await BenchChild.start('./bot-process.ts', sandbox.environment);
  try {
    const { emulator } = sandbox;
    const [member] = createUsers(emulator, 1, 'hostile');
    const inputs = Object.values(PATHOLOGICAL);
    const send = (prompt: string) =>
      emulator.slashCommand(
        { userId: member!, channelId: emulator.seed.channels.imagine, name: 'imagine', options: { prompt } },
        { wait: 'ack', timeoutMs: 10_000 },
      );
    // Every input once first, so the compilers have seen them: the steady state is measured.
    for (const input of inputs) await send(input);
    await child.startLoopDelay();
    await sleep(SECONDS * 1000);
    const idle = await child.stopLoopDelay();
    await child.startLoopDelay();
    const sent: Promise<InteractionRecord>[] = [];
    for (let index = 0; index < PER_SECOND * SECONDS; index++) {
      sent.push(send(inputs[index % inputs.length]!));
      await sleep(1000 / PER_SECOND);
    }
    const records = await Promise.all(sent);
    const loopDelay = await child.stopLoopDelay();
    return {
      commands: records.length,
      loop_delay_ms: loopDelay,
      idle_loop_delay_ms: idle,
      failed: records.filter((record) => record.failed).length,
    };
  } finally {
    await child.stop();
    await sandbox.stop();
  }
}
