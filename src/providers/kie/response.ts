import { ProviderError } from '../errors.js';
import type { ResultImage, TaskUpdate } from '../types.js';
import { taskFailure } from './failures.js';
import type { CallbackBody, RecordData } from './schemas.js';

function toImage(url: string): ResultImage {
  return url ? { kind: 'url', url } : { kind: 'rejected', rejected: true };
}

/** A record-info `data` as the bot's TaskUpdate. */
export function recordToUpdate(data: RecordData): TaskUpdate {
  const base = { taskId: data.taskId };
  switch (data.successFlag) {
    case 0:
      return { ...base, state: 'running', statusText: 'generating' };
    case 1: {
      const urls = data.resultInfoJson?.resultUrls ?? [];
      if (urls.length === 0)
        throw new ProviderError('unknown', `kie: task ${data.taskId} succeeded without result URLs`);
      // mj_video, mj_video_hd and the extend task types: the result URLs are videos.
      if (data.taskType?.startsWith('mj_video')) return { ...base, state: 'succeeded', videos: urls.filter(Boolean) };
      return { ...base, state: 'succeeded', images: urls.map(toImage) };
    }
    case 2:
    case 3:
      return {
        ...base,
        state: 'failed',
        statusText: data.successFlag === 2 ? 'failed' : 'generation failed',
        failure: taskFailure(data.successFlag, data.errorCode, data.errorMessage),
      };
    default:
      return { ...base, state: 'running', statusText: `successFlag ${data.successFlag}` };
  }
}

/**
 * A callback as the bot's TaskUpdate. Its `resultUrls` are plain strings (record-info's are
 * `{resultUrl}` objects); a failure carries only `code` and `msg`.
 */
export function callbackToUpdate(callback: CallbackBody): TaskUpdate {
  const { taskId } = callback.data;
  const urls = callback.data.resultUrls ?? [];
  if (callback.code === 200 && urls.length > 0) return { taskId, state: 'succeeded', images: urls.map(toImage) };
  return {
    taskId,
    state: 'failed',
    failure: taskFailure(2, callback.code === 200 ? null : callback.code, callback.msg),
  };
}
