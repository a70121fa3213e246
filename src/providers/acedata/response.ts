import { ProviderError } from '../errors.js';
import type { FollowUp, PanDirection, ResultImage, TaskUpdate } from '../types.js';
import { acedataFailure } from './failures.js';
import type { ImagineResult, TaskRecord } from './schemas.js';

/** The follow-up each AceData action stands for (1-based indices; an upscale's own image is 1). */
export function followUpForAction(action: string): FollowUp | undefined {
  const grid = /^(upscale|variation)([1-4])$/.exec(action);
  if (grid) {
    const index = Number(grid[2]);
    return grid[1] === 'upscale'
      ? { action: 'upscale', index, type: 'default' }
      : { action: 'vary', index, strength: 'strong' };
  }
  const pan = /^pan_(left|right|up|down)$/.exec(action);
  if (pan) return { action: 'pan', index: 1, direction: pan[1] as PanDirection };
  switch (action) {
    case 'reroll':
      return { action: 'reroll' };
    case 'upscale_2x':
      return { action: 'upscale', index: 1, type: '2x' };
    case 'upscale_4x':
      return { action: 'upscale', index: 1, type: '4x' };
    case 'variation_subtle':
      return { action: 'vary', index: 1, strength: 'subtle' };
    case 'variation_strong':
      return { action: 'vary', index: 1, strength: 'strong' };
    case 'zoom_out_2x':
      return { action: 'zoom', index: 1, factor: 2 };
    case 'zoom_out_1_5x':
      return { action: 'zoom', index: 1, factor: 1.5 };
    default:
      // variation_region has no bot button yet; unknown future actions are skipped, not fatal.
      return undefined;
  }
}

/** Normalises the `actions` list AceData returns with a finished image. */
export function followUpsFromActions(actions: readonly string[]): FollowUp[] {
  return actions.flatMap((action) => {
    const followUp = followUpForAction(action);
    return followUp ? [followUp] : [];
  });
}

/**
 * The top-level `state` of a task record. Its values are not documented: the finished and failed
 * words are the MCP client's; queue words are read as queued and any other word as running.
 */
export function stateWord(state: string | null | undefined): 'succeeded' | 'failed' | 'queued' | 'running' | undefined {
  if (!state) return undefined;
  const word = state.toLowerCase();
  if (['complete', 'completed', 'succeeded', 'success', 'finished', 'done'].includes(word)) return 'succeeded';
  if (['failed', 'failure', 'error', 'cancelled', 'canceled', 'timeout'].includes(word)) return 'failed';
  if (['pending', 'queued', 'queueing', 'waiting', 'submitted', 'created'].includes(word)) return 'queued';
  return 'running';
}

const url = (value: string): ResultImage => ({ kind: 'url', url: value });

/** A grid comes from generate, variationN, reroll, zoom, pan and vary on an upscale; upscales are single. */
function isGrid(result: ImagineResult, requestAction: string | null | undefined): boolean {
  if (requestAction) return !requestAction.startsWith('upscale');
  return (result.actions ?? []).some((action) => /^(upscale[1-4]|variation[1-4]|reroll)$/.test(action));
}

function hasImage(result: ImagineResult): boolean {
  return Boolean(
    result.image_url ||
    result.raw_image_url ||
    (result.sub_image_urls?.length ?? 0) > 0 ||
    (result.video_urls?.length ?? 0) > 0,
  );
}

/**
 * Whether a result is final. A partial result (a polled record mid-run, or a streamed update)
 * either lacks `success` or says `success: true` with `progress` below 100 and no actions yet.
 */
function isFinal(result: ImagineResult, stateSaysDone: boolean): boolean {
  if (!hasImage(result)) return false;
  if (result.progress != null && result.progress < 100) return false;
  return result.success === true || stateSaysDone;
}

function failedUpdate(
  taskId: string,
  where: string,
  result: ImagineResult | null | undefined,
  fallback?: string,
): TaskUpdate {
  const error = result?.error;
  const failure = acedataFailure(where, {
    code: error?.code ?? undefined,
    message: error?.message ?? fallback ?? 'the task failed without a reason',
  });
  return { taskId, state: 'failed', failure: failure.toJSON() };
}

function succeededUpdate(taskId: string, result: ImagineResult, requestAction: string | null | undefined): TaskUpdate {
  const videos = (result.video_urls ?? []).filter((value) => value !== '');
  if (videos.length > 0) {
    // A video result: Extend takes its `video_id` and a video's index.
    const update: TaskUpdate = { taskId, state: 'succeeded', progress: 100, videos, followUps: [] };
    if (result.video_id) update.handle = result.video_id;
    return update;
  }
  const singles = (result.sub_image_urls ?? []).filter((value) => value !== '');
  const main = result.raw_image_url || result.image_url || undefined;
  const update: TaskUpdate = {
    taskId,
    state: 'succeeded',
    progress: 100,
    followUps: followUpsFromActions(result.actions ?? []),
  };
  if (result.image_id) update.handle = result.image_id;
  if (singles.length > 0) update.images = singles.map(url);
  else if (main && isGrid(result, requestAction)) update.gridImage = url(main);
  else if (main) update.images = [url(main)];
  return update;
}

function runningUpdate(taskId: string, result: ImagineResult): TaskUpdate {
  const update: TaskUpdate = { taskId, state: 'running' };
  if (result.progress != null) update.progress = Math.max(0, Math.min(99, Math.round(result.progress)));
  if (result.image_url) update.previewUrl = result.image_url;
  return update;
}

/** Interprets an imagine result (a callback body, a synchronous answer, or a record's `response`). */
export function updateFromResult(
  taskId: string,
  result: ImagineResult,
  requestAction?: string | null,
  state?: string | null,
): TaskUpdate {
  const word = stateWord(state);
  if (result.success === false || word === 'failed')
    return failedUpdate(taskId, `task ${taskId}`, result, state ?? undefined);
  if (isFinal(result, word === 'succeeded')) return succeededUpdate(taskId, result, requestAction);
  return runningUpdate(taskId, result);
}

/**
 * Interprets a task record. No `response` yet means queued; a `response` without `success` is a
 * run in progress; `success: false` (or a failed `state`) is a failure.
 */
export function updateFromRecord(record: TaskRecord, askedFor?: string): TaskUpdate {
  const taskId = record.id ?? record.response?.task_id ?? askedFor;
  if (!taskId || (!record.id && !record.response && !record._id)) {
    // An empty answer for an id AceData does not know: polling it again would never end.
    throw new ProviderError('invalid_input', `acedata POST /midjourney/tasks: no task ${askedFor ?? '(no id)'}`, {
      userMessage: 'The image service does not know this task any more.',
    });
  }
  const requestAction = record.request?.action;
  if (record.response) {
    const update = updateFromResult(taskId, record.response, requestAction, record.state);
    if (update.state === 'succeeded' && !update.handle && record.image_id) update.handle = record.image_id;
    return update;
  }
  const word = stateWord(record.state);
  if (word === 'failed') return failedUpdate(taskId, `task ${taskId}`, undefined, record.state ?? undefined);
  // No response and no word: not started. "succeeded" without a response: the URLs are not there yet.
  const update: TaskUpdate = { taskId, state: word === undefined || word === 'queued' ? 'queued' : 'running' };
  if (record.state) update.statusText = record.state;
  return update;
}
