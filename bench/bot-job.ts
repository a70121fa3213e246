import type { Sandbox } from '../src/sandbox/run.js';
import type { ProviderSimulator } from '../src/sandbox/providers/index.js';
import { resultReadyAt, waitForFinal, type FinalEdits } from './sandbox.js';

/** One /imagine through the real bot, and when each step of it happened. */
export interface BotJobTiming {
  jobId: string;
  taskId: string;
  succeeded: boolean;
  /** Status queries the bot made for the job (its own count, `job.polls`). */
  statusRequests: number;
  /** Simulated time the provider had the result ready. */
  readySim: number;
  /** Real time the bot learned the job was done (`job.finishedAt`). */
  detectedReal: number;
  /** Real time the final message (with the image) was in the channel. */
  finalReal: number;
}

export interface BotJobInput {
  userId: string;
  channelId: string;
  prompt: string;
  timeoutMs: number;
}

/** Runs `/imagine` as a user, waits for the final message and reads the job back from the bot's store. */
export async function runBotJob(
  sandbox: Sandbox,
  simulator: ProviderSimulator,
  edits: FinalEdits,
  input: BotJobInput,
): Promise<BotJobTiming> {
  const { emulator } = sandbox;
  const interaction = await emulator.slashCommand(
    { userId: input.userId, channelId: input.channelId, name: 'imagine', options: { prompt: input.prompt } },
    { wait: 'ack', timeoutMs: input.timeoutMs },
  );
  if (interaction.failed || interaction.ephemeral)
    throw new Error(`/imagine "${input.prompt}" was ${interaction.failed ? 'not acknowledged in time' : 'refused'}`);
  const final = await waitForFinal(emulator, interaction, input.timeoutMs);
  const [job] = await sandbox.bot!.context.stores.jobs.recentOf(interaction.guildId, input.userId);
  if (!job?.taskId || job.finishedAt === undefined) throw new Error(`no finished job behind message ${final.id}`);
  const readySim = resultReadyAt(simulator, job.taskId);
  const finalReal = edits.at(job.id);
  if (readySim === undefined || finalReal === undefined)
    throw new Error(`job ${job.id}: the simulator does not know task ${job.taskId}, or its final edit was not seen`);
  return {
    jobId: job.id,
    taskId: job.taskId,
    succeeded: job.state === 'succeeded',
    statusRequests: job.polls,
    readySim,
    detectedReal: job.finishedAt,
    finalReal,
  };
}
