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
  const grandparent =
    parent.action === 'upscale' && parent.parentId ? await sources.getJob(parent.parentId) : undefined;
  return {
    action: parent.action,
    taskId: parent.taskId ?? '',
    handle: parent.handle,
    prompt: parent.prompt,
    imageCount: parent.images?.length ?? (parent.gridImage ? 4 : 0),
    ...(grandparent?.taskId
      ? { origin: { taskId: grandparent.taskId, handle: grandparent.handle, index: gridNumber(parent) } }
      : {}),
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
