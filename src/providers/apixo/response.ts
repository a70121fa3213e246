import { ProviderError } from '../errors.js';
import type { ResultImage, TaskUpdate } from '../types.js';
import { taskFailure } from './failures.js';
import type { StatusData } from './schemas.js';

/** A status body (polled or called back) as the bot's TaskUpdate. */
export function toUpdate(data: StatusData): TaskUpdate {
  const base = { taskId: data.taskId, statusText: data.state };
  switch (data.state) {
    case 'pending':
      return { ...base, state: 'queued' };
    case 'success': {
      const urls = data.resultJson?.resultUrls;
      if (!urls || urls.length === 0) {
        throw new ProviderError('unknown', `apixo: task ${data.taskId} succeeded without result URLs`);
      }
      const images = urls.map((url): ResultImage =>
        url ? { kind: 'url', url } : { kind: 'rejected', rejected: true },
      );
      return { ...base, state: 'succeeded', images };
    }
    case 'failed':
      return { ...base, state: 'failed', failure: taskFailure(data.failCode, data.failMsg) };
    default:
      return { ...base, state: 'running' };
  }
}
