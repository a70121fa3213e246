import { z } from 'zod';
import { imageSize } from '../images/outpaint-canvas.js';
import type { Logger } from '../logger.js';
import type { ParsedPrompt } from '../prompt/types.js';
import { ACEDATA_CAPABILITIES, ACEDATA_PARAMETERS } from './acedata/capabilities.js';
import { acedataFailure, mapAcedataError } from './acedata/failures.js';
import { acedataAction, buildImagineBody, buildVideoBody } from './acedata/request.js';
import { updateFromRecord, updateFromResult } from './acedata/response.js';
import {
  describeResultSchema,
  errorDetailSchema,
  imagineResultSchema,
  seedResultSchema,
  shortenResultSchema,
  taskBatchSchema,
  taskRecordSchema,
} from './acedata/schemas.js';
import { ProviderError } from './errors.js';
import { bearerHttp, type ProviderHttp } from './http.js';
import { checkPromptSupport } from './prompt-support.js';
import type {
  AdapterOptions,
  CallOptions,
  ParentTask,
  PromptCheck,
  ProviderAdapter,
  SubmitRequest,
  TaskUpdate,
} from './types.js';

/** A tasks answer may also be the error envelope with HTTP 200; both shapes are read. */
const recordOrErrorSchema = taskRecordSchema.extend({
  success: z.boolean().nullish(),
  error: errorDetailSchema.nullish(),
});

/** "1️⃣ a cat…", "2. a cat…" → "a cat…": the bot numbers prompts itself. */
function withoutNumber(prompt: string): string {
  return prompt.replace(/^\s*(?:[1-9]\uFE0F?\u20E3|\d+[.)]|[①-⑩])\s*/u, '').trim();
}

/**
 * AceDataCloud's Midjourney API: one `imagine` endpoint whose `action` names the Midjourney button
 * (`generate`, `upscale1..4`, `variation1..4`, `reroll`, zoom, pan), a `tasks` endpoint to poll, and
 * `describe` and `shorten`, which answer at once.
 * Prompt parameters travel as `--flags` in the text, because a real Midjourney bot reads it.
 */
export class AcedataAdapter implements ProviderAdapter {
  readonly id = 'acedata' as const;
  readonly capabilities = ACEDATA_CAPABILITIES;
  readonly parameters = ACEDATA_PARAMETERS;
  private readonly http: ProviderHttp;
  private readonly logger: Logger;

  constructor(options: AdapterOptions) {
    this.logger = options.logger;
    this.http = bearerHttp('acedata', options, mapAcedataError);
  }

  /** Checks a prompt against what the Midjourney bot behind AceData accepts. */
  checkPrompt(prompt: ParsedPrompt): PromptCheck {
    const check = checkPromptSupport(prompt, this.parameters, this.capabilities, 'AceDataCloud');
    const { hd, version, niji } = prompt.params;
    if (hd && (niji !== undefined || (version !== '8' && version !== '8.1'))) {
      // AceData: "HD high-definition output (2K resolution, supported only by V8 and V8.1)".
      const error = {
        param: 'hd',
        message: 'AceDataCloud makes --hd (2K) images with --v 8 or --v 8.1 only; add one of them.',
      };
      return check.ok ? { ok: false, errors: [error] } : { ok: false, errors: [...check.errors, error] };
    }
    if (prompt.imageUrls.length === 1 && prompt.text === '') {
      // Midjourney needs text next to a single image prompt; two to five images alone are a blend.
      const error = { message: 'One image prompt needs some text with it (or give 2–5 images to blend them).' };
      return check.ok ? { ok: false, errors: [error] } : { ok: false, errors: [...check.errors, error] };
    }
    return check;
  }

  /**
   * Starts a task with `POST /midjourney/imagine` and answers at once with its id: the body always
   * asks for `async` (or a callback), never AceData's default minutes-long synchronous wait.
   * @see https://platform.acedata.cloud/documents/e52c028d-897a-4d51-b110-60fccbe6118d
   */
  async submit(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate> {
    const video = request.followUp?.action === 'animate' || request.followUp?.action === 'extend';
    if (video) return this.submitVideo(request, options);
    const action = acedataAction(request); // refuses unsupported combinations before any call
    const handle = request.followUp ? await this.parentHandle(request.parent, options) : undefined;
    const maskUrl =
      request.followUp && request.followUp.action === 'region'
        ? await this.maskUrl(request.parent, options)
        : undefined;
    const body = buildImagineBody(request, handle, options.callbackUrl, options.translate !== false, maskUrl);
    const result = await this.http.send({
      method: 'POST',
      path: '/midjourney/imagine',
      json: body,
      schema: imagineResultSchema,
      kind: 'submit',
      signal: options.signal,
    });
    if (result.success === false) {
      throw acedataFailure('POST /midjourney/imagine', {
        code: result.error?.code,
        message: result.error?.message ?? 'refused',
      });
    }
    if (!result.task_id)
      throw new ProviderError('unknown', 'acedata POST /midjourney/imagine: the answer has no task_id');
    (options.logger ?? this.logger).debug(
      { provider: 'acedata', action, taskId: result.task_id },
      'acedata task submitted',
    );
    // Should AceData ever ignore `async` and answer with the finished task, that answer is the result.
    if (result.success === true) return updateFromResult(result.task_id, result, action);
    return { taskId: result.task_id, state: 'queued' };
  }

  /**
   * Asks `POST /midjourney/tasks` (`action: "retrieve"`) about one task.
   * @see https://platform.acedata.cloud/documents/58ea7cc1-c685-40c3-a619-f29f9ac5d8f4
   */
  async status(taskId: string, options: CallOptions): Promise<TaskUpdate> {
    const record = await this.http.send({
      method: 'POST',
      path: '/midjourney/tasks',
      json: { id: taskId, action: 'retrieve' },
      schema: recordOrErrorSchema,
      kind: 'idempotent',
      signal: options.signal,
    });
    if (record.success === false && record.error) {
      throw acedataFailure('POST /midjourney/tasks', { code: record.error.code, message: record.error.message });
    }
    return updateFromRecord(record, taskId);
  }

  /**
   * Asks about several tasks in one call (`action: "retrieve_batch"`), for the poller. Tasks
   * AceData does not return are absent from the map.
   * @see https://platform.acedata.cloud/documents/58ea7cc1-c685-40c3-a619-f29f9ac5d8f4
   */
  async statusMany(taskIds: readonly string[], options: CallOptions): Promise<Map<string, TaskUpdate>> {
    const updates = new Map<string, TaskUpdate>();
    if (taskIds.length === 0) return updates;
    const batch = await this.http.send({
      method: 'POST',
      path: '/midjourney/tasks',
      json: { ids: taskIds, action: 'retrieve_batch' },
      schema: taskBatchSchema,
      kind: 'idempotent',
      signal: options.signal,
    });
    for (const record of batch.items) {
      if (!record.id) continue;
      updates.set(record.id, updateFromRecord(record, record.id));
    }
    return updates;
  }

  /**
   * Reads a callback: the imagine result plus `task_id`, or `{success:false, task_id, error}`.
   * Streamed progress callbacks (`success: true` with `progress` below 100) read as running.
   * @see https://platform.acedata.cloud/documents/e52c028d-897a-4d51-b110-60fccbe6118d
   */
  parseCallback(body: unknown): TaskUpdate {
    const parsed = imagineResultSchema.safeParse(body);
    if (!parsed.success || !parsed.data.task_id || typeof parsed.data.success !== 'boolean') {
      throw new ProviderError('invalid_input', 'acedata callback: not an AceData task result (no task_id or success)');
    }
    return updateFromResult(parsed.data.task_id, parsed.data);
  }

  /**
   * Four prompts for an image: `POST /midjourney/describe` with `{image_url}`, answered with
   * `{descriptions:[…]}`. Midjourney numbers them ("1️⃣ …"); the numbers are taken off.
   * See CONTRACTS.md §D (AceData's MidjourneyAPI guides); the page's address was not captured.
   */
  async describe(imageUrl: string, options: CallOptions): Promise<string[]> {
    const result = await this.http.send({
      method: 'POST',
      path: '/midjourney/describe',
      json: { image_url: imageUrl },
      schema: describeResultSchema,
      kind: 'submit',
      signal: options.signal,
    });
    return this.promptsOf('POST /midjourney/describe', result, result.descriptions);
  }

  /**
   * Shorter versions of a prompt: `POST /midjourney/shorten` with `{prompt}`, answered with `{prompts:[…]}`.
   * See CONTRACTS.md §D (AceData's MidjourneyAPI guides); the page's address was not captured.
   */
  async shorten(prompt: string, options: CallOptions): Promise<string[]> {
    const result = await this.http.send({
      method: 'POST',
      path: '/midjourney/shorten',
      json: { prompt },
      schema: shortenResultSchema,
      kind: 'submit',
      signal: options.signal,
    });
    return this.promptsOf('POST /midjourney/shorten', result, result.prompts);
  }

  /**
   * The seed of a finished image: `POST /midjourney/seed` with its `{image_id}`, answered with `{seed}`.
   * A task stored without its `image_id` is looked up first. AceData's "Midjourney Seed API
   * Integration Instructions" (AceDataCloud docs, `/midjourney/seed`); document 32abf45d-1a7e-473e-8d7d-b00b939f7a91.
   * @see https://platform.acedata.cloud/documents/32abf45d-1a7e-473e-8d7d-b00b939f7a91
   */
  async seed(task: { taskId: string; handle?: string }, options: CallOptions): Promise<string> {
    const imageId = task.handle ?? (await this.status(task.taskId, options)).handle;
    if (!imageId) throw new ProviderError('invalid_input', `acedata: task ${task.taskId} has no image_id`);
    const result = await this.http.send({
      method: 'POST',
      path: '/midjourney/seed',
      json: { image_id: imageId },
      schema: seedResultSchema,
      kind: 'idempotent',
      signal: options.signal,
    });
    if (result.success === false || !result.seed) {
      throw acedataFailure('POST /midjourney/seed', {
        code: result.error?.code,
        message: result.error?.message ?? 'the answer has no seed',
      });
    }
    return result.seed;
  }

  /** The prompts of a describe or shorten answer, or the failure it reports (also with HTTP 200). */
  private promptsOf(
    where: string,
    result: { success?: boolean | null; error?: { code?: string | null; message?: string | null } | null },
    prompts: readonly string[] | null | undefined,
  ): string[] {
    if (result.success === false)
      throw acedataFailure(where, { code: result.error?.code, message: result.error?.message ?? 'refused' });
    const cleaned = (prompts ?? []).map(withoutNumber).filter((prompt) => prompt !== '');
    if (cleaned.length === 0) throw new ProviderError('unknown', `acedata ${where}: the answer has no prompts`);
    return cleaned;
  }

  /**
   * Animate and Extend: `POST /midjourney/videos`, asynchronous like imagine; its tasks are read
   * with the same `/midjourney/tasks`. https://platform.acedata.cloud/documents/midjourney-videos
   */
  private async submitVideo(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate> {
    const body = buildVideoBody(request, options.callbackUrl);
    const result = await this.http.send({
      method: 'POST',
      path: '/midjourney/videos',
      json: body,
      schema: imagineResultSchema,
      kind: 'submit',
      signal: options.signal,
    });
    if (result.success === false) {
      throw acedataFailure('POST /midjourney/videos', {
        code: result.error?.code,
        message: result.error?.message ?? 'refused',
      });
    }
    if (!result.task_id)
      throw new ProviderError('unknown', 'acedata POST /midjourney/videos: the answer has no task_id');
    if (result.success === true) return updateFromResult(result.task_id, result, body.action);
    return { taskId: result.task_id, state: 'queued' };
  }

  /**
   * Where AceData fetches the Vary (Region) mask: the bot serves it at the upscale's own size (the
   * mask is of the image it repaints). Without a public URL there is nowhere to serve it from; the
   * button is not offered then, so this is only a job from before the URL went away.
   */
  private async maskUrl(parent: ParentTask, options: CallOptions): Promise<string> {
    const size = await imageSize((await parent.loadImage(1)).bytes);
    const url = options.regionMaskUrl?.(size);
    if (!url)
      throw new ProviderError(
        'unsupported',
        'acedata: variation_region needs a mask URL, and the bot has no public URL',
        {
          userMessage: 'Vary (Region) on AceDataCloud needs the bot’s public address, which is not set any more.',
        },
      );
    return url;
  }

  /** The parent's `image_id`; a parent stored without one is looked up by its task id. */
  private async parentHandle(parent: ParentTask, options: CallOptions): Promise<string> {
    if (parent.handle) return parent.handle;
    const update = await this.status(parent.taskId, options);
    if (!update.handle) {
      throw new ProviderError(
        'invalid_input',
        `acedata: parent task ${parent.taskId} has no image_id (state ${update.state})`,
        {
          userMessage: 'The image this button belongs to is not finished at the image service.',
        },
      );
    }
    return update.handle;
  }
}
