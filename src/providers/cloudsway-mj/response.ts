import { failureCodeForComment, failureFor } from './failures.js';
import type { ResultImage, TaskState, TaskUpdate } from '../types.js';
import type { MjJob } from './schemas.js';

const STATE_BY_STATUS: Record<number, TaskState> = { 0: 'queued', 1: 'running', 2: 'succeeded', 3: 'failed' };

/** "30%", "30", 30 or 0.3 → 0–100; undefined when unreadable. */
export function readProgress(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const number = typeof value === 'number' ? value : Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(number)) return undefined;
  const percent = typeof value === 'number' && number > 0 && number < 1 ? number * 100 : number;
  return Math.min(100, Math.max(0, Math.round(percent)));
}

/** One image per URL; an empty URL is an image the provider's moderation withheld. */
function toImages(job: MjJob): ResultImage[] {
  const audits = job.audits ?? [];
  return (job.urls ?? []).map((url, index): ResultImage => {
    if (url !== null && url.trim() !== '') return { kind: 'url', url };
    const audit = audits[index];
    return audit ? { kind: 'rejected', rejected: true, reason: audit } : { kind: 'rejected', rejected: true };
  });
}

/**
 * Normalises a job object into a TaskUpdate. State comes from `status`, never from `comment`.
 * Quirk (CONTRACTS.md §A): status 2 may arrive before `urls` fill in, so 2 with no URL is still running.
 * A job whose every image was withheld failed for moderation; a partial withholding succeeds with
 * `rejected` placeholders so the other images stay usable.
 */
export function jobToUpdate(job: MjJob): TaskUpdate {
  const images = toImages(job);
  let state = STATE_BY_STATUS[job.status] ?? 'running';
  if (state === 'succeeded' && images.length === 0) state = 'running';
  const update: TaskUpdate = { taskId: job.id, state };
  if (job.comment) update.statusText = job.comment;
  const progress = readProgress(job.progress);
  if (progress !== undefined && (state === 'running' || state === 'queued')) update.progress = progress;
  if (job.seed !== null && job.seed !== undefined && String(job.seed) !== '0') update.seed = String(job.seed);

  if (state === 'succeeded' && images.every((image) => image.kind === 'rejected')) {
    return {
      ...update,
      state: 'failed',
      images,
      failure: failureFor('content_rejected', job, 'every image was withheld by moderation'),
    };
  }
  if (state === 'succeeded') return { ...update, images, progress: 100 };
  if (state === 'failed') return { ...update, failure: failureFor(failureCodeForComment(job.comment), job) };
  return update;
}
