import type { ButtonInteraction } from 'discord.js';
import { isFinished } from '../jobs/job.js';
import { counterDay } from '../store/job-store.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { BotContext } from './context.js';
import { replyPrivately } from './launch.js';
import { ownJobsTextFor } from './own-jobs-text.js';

/**
 * ❌ Cancel on a queued or running job's message: its owner only. A queued job leaves the queue
 * and gives back the allowance it took (when it was counted today); a running one is no longer
 * published (no provider here documents stopping a task).
 */
export async function cancelJob(interaction: ButtonInteraction, context: BotContext, jobId: string): Promise<void> {
  const say = ownJobsTextFor(interaction);
  const job = await context.stores.jobs.get(jobId);
  if (!job || job.guildId !== interaction.guildId) {
    await replyPrivately(interaction, say.unknownJob(jobId));
    return;
  }
  if (job.userId !== interaction.user.id) {
    await replyPrivately(interaction, say.onlyOwnerCancels(job.userId));
    return;
  }
  if (isFinished(job)) {
    await replyPrivately(interaction, say.alreadyFinished(jobId));
    return;
  }
  const cancelled = await context.jobs.cancel(jobId);
  if (!cancelled) {
    await replyPrivately(interaction, say.alreadyFinished(jobId));
    return;
  }
  if (cancelled.wasQueued && counterDay(job.createdAt) === counterDay(context.now())) {
    await context.gate
      .refund(interaction, 1)
      .catch((error: unknown) => context.logger.warn({ err: error, jobId }, 'could not give back a cancelled job'));
  }
  const answer = say.cancelled(jobId, cancelled.wasQueued);
  await replyPrivately(
    interaction,
    cancelled.wasQueued ? answer : answer + say.cancelledNotStopped(PROVIDER_NAMES[job.provider]),
  );
}
