import type { TaskUpdate } from '../providers/types.js';
import type { BlobStore } from '../store/stores.js';
import { makesVideo } from './follow-up.js';
import type { Job, StoredImage } from './job.js';
import { newJobId } from './new-job.js';

/** A failure the provider reported without a reason. */
export const UNFINISHED: NonNullable<Job['failure']> = {
  code: 'unknown',
  userMessage: 'The image service could not finish this job.',
};

/**
 * Folds a finished task into the job: its images (bytes go to the blob store, so job records stay
 * small), seed, handle and the follow-ups the provider offers now.
 */
export async function foldSuccess(job: Job, update: TaskUpdate, blobs: BlobStore, now: number): Promise<void> {
  if (makesVideo(job.action)) {
    // A callback cannot always tell videos from images (Kie's lists plain URLs): the job knows.
    job.videos = update.videos ?? (update.images ?? []).flatMap((image) => (image.kind === 'url' ? [image.url] : []));
    job.images = undefined;
    job.gridImage = undefined;
  } else {
    job.images = update.images ? await storeImages(update.images, blobs) : undefined;
    job.gridImage = update.gridImage ? (await storeImages([update.gridImage], blobs))[0] : undefined;
  }
  job.seed = update.seed ?? job.seed;
  job.handle = update.handle ?? job.handle;
  job.followUps = update.followUps;
  job.progress = 100;
  job.state = 'succeeded';
  job.finishedAt = now;
}

/** Folds a "still running" update into the job; true when its message would read differently. */
export function foldRunning(job: Job, update: TaskUpdate, now: number): boolean {
  const changed =
    job.state !== 'running' ||
    update.progress !== job.progress ||
    update.previewUrl !== job.previewUrl ||
    update.statusText !== job.statusText;
  job.progress = update.progress ?? job.progress;
  job.previewUrl = update.previewUrl ?? job.previewUrl;
  job.statusText = update.statusText;
  job.handle = update.handle ?? job.handle;
  // Only a status query bounds the finish; the submit's own "running" says nothing about it, and a
  // job that finished before the first query teaches nothing (its span starts at zero).
  if (job.polls > 0) job.lastSeenRunningAt = now;
  job.state = 'running';
  return changed;
}

async function storeImages(images: NonNullable<TaskUpdate['images']>, blobs: BlobStore): Promise<StoredImage[]> {
  return Promise.all(
    images.map(async (image): Promise<StoredImage> => {
      if (image.kind !== 'base64') return image;
      const blobId = newJobId() + newJobId();
      await blobs.set(blobId, Buffer.from(image.data, 'base64'));
      return { kind: 'blob', blobId, contentType: image.contentType };
    }),
  );
}
