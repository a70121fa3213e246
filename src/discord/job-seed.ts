import { ProviderError } from '../providers/errors.js';
import type { Job } from '../jobs/job.js';
import type { BotContext } from './context.js';

/** A job's seed as Show seed and Send to me tell it: known, given by no one, or not reachable just now. */
export type JobSeed = { kind: 'seed'; seed: string } | { kind: 'none' } | { kind: 'unavailable'; reason: string };

/** Whether finding this job's seed takes a request to its provider (which may outlast Discord's 3 seconds). */
export function seedNeedsRequest(job: Job, context: Pick<BotContext, 'adapters'>): boolean {
  // A video's handle is its video id, not an image id: the seed endpoint takes images.
  const image = job.state === 'succeeded' && job.taskId !== undefined && (job.videos?.length ?? 0) === 0;
  return !job.seed && image && context.adapters.get(job.provider)?.seed !== undefined;
}

/**
 * The job's seed: the one stored with it, or, where the provider gives seeds only on request
 * (AceData), asked for once and stored on the job so the next ask makes no request.
 */
export async function seedOfJob(
  job: Job,
  context: Pick<BotContext, 'adapters' | 'stores' | 'logger'>,
): Promise<JobSeed> {
  if (job.seed) return { kind: 'seed', seed: job.seed };
  const adapter = context.adapters.get(job.provider);
  if (!seedNeedsRequest(job, context) || !adapter?.seed || !job.taskId) return { kind: 'none' };
  try {
    const seed = await adapter.seed(
      { taskId: job.taskId, handle: job.handle },
      { signal: AbortSignal.timeout(10_000), logger: context.logger },
    );
    // The seed is the member's answer either way: a failed write costs only a repeat request next time.
    await context.stores.jobs
      .update(job.id, (current) => (current && !current.seed ? { ...current, seed } : current))
      .catch((error: unknown) => context.logger.warn({ err: error, jobId: job.id }, 'could not store a seed'));
    return { kind: 'seed', seed };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    context.logger.warn({ err: error, jobId: job.id, provider: job.provider }, 'seed request failed');
    return { kind: 'unavailable', reason: error.userMessage };
  }
}
