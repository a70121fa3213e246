import { ProviderError } from '../providers/errors.js';
import type { ParentTask, SubmitRequest } from '../providers/types.js';
import type { Job, StoredImage } from './job.js';

export interface RequestSources {
  getJob(id: string): Promise<Job | undefined>;
  loadImage(image: StoredImage): Promise<{ bytes: Uint8Array; contentType: string }>;
}

/** What to ask the provider for a job: the prompt for an imagine, the parent task for a follow-up. */
export async function submitRequest(job: Job, sources: RequestSources): Promise<SubmitRequest> {
  const prompt = job.prompt;
  if (job.action === 'imagine') return { action: 'imagine', prompt };
  const parent = job.parentId ? await sources.getJob(job.parentId) : undefined;
  if (!parent?.taskId)
    throw new ProviderError('invalid_input', `parent job ${job.parentId ?? '?'} is unknown`, {
      userMessage: 'The job this acts on is no longer known.',
    });
  const parentTask = await toParentTask(parent, sources);
  const index = job.imageIndex ?? 1;
  switch (job.action) {
    case 'upscale':
      return { action: 'upscale', parent: parentTask, index, type: job.options.upscaleType ?? 'default' };
    case 'vary':
      return { action: 'vary', parent: parentTask, index, strength: job.options.strength ?? 'strong' };
    case 'reroll':
      return { action: 'reroll', parent: parentTask };
    case 'zoom':
      return { action: 'zoom', parent: parentTask, index, factor: job.options.zoom ?? 2 };
    case 'pan':
      return { action: 'pan', parent: parentTask, index, direction: job.options.direction ?? 'left' };
  }
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
      ? { origin: { taskId: grandparent.taskId, handle: grandparent.handle, index: parent.imageIndex ?? 1 } }
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
