import { ProviderError } from '../providers/errors.js';
import type { ParentTask, SubmitRequest } from '../providers/types.js';
import { gridNumber, type Job, type StoredImage } from './job.js';

export interface RequestSources {
  getJob(id: string): Promise<Job | undefined>;
  loadImage(image: StoredImage): Promise<{ bytes: Uint8Array; contentType: string }>;
}

/** What to ask the provider for a job: its prompt for an imagine, its follow-up and parent task otherwise. */
export async function submitRequest(job: Job, sources: RequestSources): Promise<SubmitRequest> {
  if (!job.followUp) return { prompt: job.prompt };
  const parent = job.parentId ? await sources.getJob(job.parentId) : undefined;
  if (!parent?.taskId)
    throw new ProviderError('invalid_input', `parent job ${job.parentId ?? '?'} is unknown`, {
      userMessage: 'The job this acts on is no longer known.',
    });
  return { followUp: job.followUp, parent: await toParentTask(parent, sources) };
}

/** A finished job as the parent of a follow-up; an upscale also names the grid it came from. */
async function toParentTask(parent: Job, sources: RequestSources): Promise<ParentTask> {
  const origin = parent.action === 'upscale' ? await originOf(parent, sources) : undefined;
  return {
    action: parent.action,
    taskId: parent.taskId ?? '',
    handle: parent.handle,
    prompt: parent.prompt,
    imageCount: parent.images?.length ?? (parent.gridImage ? 4 : 0),
    ...(origin ? { origin } : {}),
    imageUrl: (index) => {
      const image = parent.images?.[index - 1];
      return image?.kind === 'url' ? image.url : undefined;
    },
    loadImage: async (index) => {
      const image = parent.images?.[index - 1];
      if (!image || image.kind === 'rejected')
        throw new ProviderError('invalid_input', `parent image ${index} is unavailable`, {
          userMessage: 'That image is not available any more.',
        });
      return sources.loadImage(image);
    },
  };
}

/**
 * The grid an upscale comes from, past any re-upscales in between (a few at most), and which of
 * its images: the upscale's own record says (imageNumber), or, for records from before it did,
 * the U number of the upscale taken from the grid.
 */
async function originOf(upscale: Job, sources: RequestSources): Promise<ParentTask['origin']> {
  let child = upscale;
  for (let hops = 0; hops < 8 && child.parentId; hops += 1) {
    const parent = await sources.getJob(child.parentId);
    if (!parent?.taskId) return undefined;
    if (parent.action !== 'upscale')
      return { taskId: parent.taskId, handle: parent.handle, index: upscale.imageNumber ?? gridNumber(child) };
    child = parent;
  }
  return undefined;
}
