import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Fault } from './kit/faults.js';
import {
  ProviderSimulator,
  type RouteKind,
  type SimRequest,
  type SimResponse,
  type SimulatorOptions,
} from './kit/simulator.js';
import {
  DURATION_FACTOR,
  errorResponse,
  imagineRequestSchema,
  issuesText,
  tasksRequestSchema,
  TYPICAL_SECONDS,
  type ImagineRequest,
} from './acedata/bodies.js';
import {
  describeImage,
  describeRequestSchema,
  fetchImage,
  shortenPrompt,
  shortenRequestSchema,
} from './acedata/describe.js';
import { deriveFrom, type Derived } from './acedata/follow-ups.js';
import { promptProblem, readPrompt } from './acedata/prompt.js';
import { readRegion } from './acedata/region.js';
import { TaskBook, type SimTask } from './acedata/tasks.js';
import { VIDEO_SECONDS, VideoBook, videoRequestSchema, type VideoTask } from './acedata/videos.js';

export interface AcedataSimulatorOptions extends SimulatorOptions {
  /** Adds the undocumented top-level `state` to task records (pending/processing/succeeded/failed). Default false. */
  stateField?: boolean;
  /**
   * Running task records carry a partial `response` (progress and a preview URL, no `success`).
   * Default true: the MCP client's rule "a response without `success` is still running" exists
   * because such records are seen, and it is the reading a client can most easily get wrong.
   */
  runningResponse?: boolean;
  /** Status of the "balance used up" answer (its real form is not documented). Default 403. */
  creditsStatus?: 402 | 403;
  /** Return no `sub_image_urls` even when `split_images` is asked for (as edits do), only the grid. Default false. */
  ignoreSplitImages?: boolean;
}

const seedRequestSchema = z.object({ image_id: z.string().trim().min(1) }).loose();

/** How quickly Midjourney refuses a prompt it cannot run (moderation, unknown flags), in simulated ms. */
const REFUSAL_MS = 3_000;
const BANNED =
  'Banned prompt detected: Sorry! Our AI moderator thinks this prompt is probably against our community standards.';

/**
 * AceDataCloud's Midjourney API on loopback: `POST /midjourney/imagine` and `/midjourney/videos` (synchronous long-poll by
 * default, `{task_id}` at once with `async` or `callback_url`) and `POST /midjourney/tasks`
 * (`retrieve` / `retrieve_batch`), `POST /midjourney/describe`, `/midjourney/shorten` and
 * `/midjourney/seed` (answered at once), Bearer auth, `{success:false, error:{code,message}, trace_id}`
 * errors, follow-ups checked against the parent's `actions` (and `variation_region` on an upscale,
 * its `mask` URL fetched and checked, see acedata/region.ts), and Discord-style signed image URLs.
 */
export class AcedataSimulator extends ProviderSimulator {
  readonly provider = 'acedata';
  readonly basePath = '';
  /** Every imagine body accepted, in order, so tests can check what a client sent. */
  readonly submissions: Record<string, unknown>[] = [];
  /** Every image link sent to describe, and every prompt sent to shorten, in order. */
  readonly describes: string[] = [];
  readonly shortens: string[] = [];
  /** Every `image_id` sent to `/midjourney/seed`, in order. */
  readonly seedRequests: string[] = [];
  readonly book: TaskBook;
  readonly videos: VideoBook;
  /** Every `/midjourney/videos` body accepted, in order. */
  readonly videoSubmissions: Record<string, unknown>[] = [];
  private readonly creditsStatus: 402 | 403;

  constructor(options: AcedataSimulatorOptions = {}) {
    super(options);
    this.creditsStatus = options.creditsStatus ?? 403;
    this.book = new TaskBook({
      serve: (name, render, contentType, lifetimeMs) => this.serveFile(name, render, contentType, lifetimeMs),
      expire: (prefix) => this.expireFiles(prefix),
      now: () => this.clock.now(),
      imageEdge: this.options.imageEdge,
      progressSteps: this.options.progressSteps,
      stateField: options.stateField ?? false,
      runningResponse: options.runningResponse ?? true,
      ignoreSplitImages: options.ignoreSplitImages ?? false,
    });
    this.videos = new VideoBook({
      serve: (name, render, contentType, lifetimeMs) => this.serveFile(name, render, contentType, lifetimeMs),
      expire: (prefix) => this.expireFiles(prefix),
      now: () => this.clock.now(),
      imageEdge: this.options.imageEdge,
      videoBytes: this.options.videoBytes,
      progressSteps: this.options.progressSteps,
      runningResponse: options.runningResponse ?? true,
    });
  }

  protected classify(method: string, path: string): RouteKind {
    if (method === 'POST' && (path === '/midjourney/imagine' || path === '/midjourney/videos')) return 'submit';
    // Reading a finished image's seed is a query, like reading its task.
    if (method === 'POST' && (path === '/midjourney/tasks' || path === '/midjourney/seed')) return 'status';
    // Each describe or shorten is work AceData bills, answered at once: a submit.
    if (method === 'POST' && (path === '/midjourney/describe' || path === '/midjourney/shorten')) return 'submit';
    return 'other';
  }

  protected faultResponse(fault: Fault): SimResponse {
    switch (fault.kind) {
      case 'rate_limited': {
        const response = errorResponse(
          429,
          'too_many_requests',
          'Too many requests, please slow down and try again later.',
        );
        return fault.retryAfterSeconds === undefined
          ? response
          : { ...response, headers: { 'retry-after': String(fault.retryAfterSeconds) } };
      }
      case 'credits':
        return errorResponse(
          this.creditsStatus,
          'used_up',
          'Your balance is not enough, please recharge your account.',
        );
      case 'auth':
        return errorResponse(401, 'invalid_token', 'The token is invalid or has expired.');
      default:
        return errorResponse(fault.status ?? 500, 'api_error', 'fetch failed');
    }
  }

  protected async handle(request: SimRequest): Promise<SimResponse | undefined> {
    if (!request.path.startsWith('/midjourney/')) return undefined;
    if (!request.headers.authorization) return errorResponse(401, 'invalid_token', 'The token is not provided.');
    if (!this.isAuthorised(request)) return errorResponse(401, 'invalid_token', 'The token is invalid or has expired.');
    if (request.method === 'POST' && request.path === '/midjourney/describe') return this.describe(request);
    if (request.method === 'POST' && request.path === '/midjourney/shorten') return this.shorten(request);
    if (request.method === 'POST' && request.path === '/midjourney/seed') return this.seed(request);
    const route = this.classify(request.method, request.path);
    if (route === 'submit') return request.path === '/midjourney/videos' ? this.video(request) : this.imagine(request);
    if (route === 'status') return this.tasks(request);
    return errorResponse(400, 'api_not_implemented', `The API ${request.method} ${request.path} is not implemented.`);
  }

  private async imagine(request: SimRequest): Promise<SimResponse> {
    const body = this.parseJsonBody(request);
    if (!body.ok) return errorResponse(400, 'bad_request', 'The request body is not valid JSON.');
    const parsed = imagineRequestSchema.safeParse(body.value);
    if (!parsed.success) return errorResponse(400, 'bad_request', `Invalid request: ${issuesText(parsed.error)}`);
    const input = parsed.data;
    const derived = await this.derive(input);
    if ('error' in derived) return derived.error;

    const rejected = request.fault?.kind === 'content_rejected';
    const problem = input.action === 'generate' ? promptProblem(readPrompt(input.prompt ?? '')) : undefined;
    const failure = rejected
      ? { code: 'forbidden', message: BANNED }
      : problem
        ? { code: 'bad_request', message: problem }
        : undefined;
    const duration = failure
      ? REFUSAL_MS
      : this.durationMs(input.mode, TYPICAL_SECONDS) * (DURATION_FACTOR[input.action] ?? 1);
    const task = this.book.create({
      ...derived,
      request: input,
      action: input.action,
      failure,
      expireUrls: request.fault?.kind === 'expired_urls',
      durationMs: duration,
    });
    if (task.callback && String(request.headers.accept ?? '').includes('application/x-ndjson'))
      task.callback.stream = true;
    this.submissions.push(body.value as Record<string, unknown>);

    if (input.async || input.callback_url) return { status: 200, json: { task_id: task.id } };
    return this.holdUntilDone(task, input.timeout);
  }

  /** `{image_url}` → `{success, task_id, descriptions:[4]}`, after fetching the image as AceData does. */
  private async describe(request: SimRequest): Promise<SimResponse> {
    const body = this.parseJsonBody(request);
    if (!body.ok) return errorResponse(400, 'bad_request', 'The request body is not valid JSON.');
    const parsed = describeRequestSchema.safeParse(body.value);
    if (!parsed.success) return errorResponse(400, 'bad_request', `Invalid request: ${issuesText(parsed.error)}`);
    this.describes.push(parsed.data.image_url);
    if (request.fault?.kind === 'content_rejected') return errorResponse(400, 'forbidden', BANNED);
    const fetched = await fetchImage(parsed.data.image_url);
    if (!fetched.ok) return errorResponse(400, 'bad_request', `Invalid image URL: ${fetched.message}.`);
    const described = await describeImage(fetched.bytes);
    if (!described.ok) return errorResponse(400, 'bad_request', 'Invalid image URL: the file is not an image.');
    return { status: 200, json: { success: true, task_id: randomUUID(), descriptions: described.descriptions } };
  }

  /** `{prompt}` → `{success, task_id, prompts:[…]}`; a prompt of a few words has nothing to shorten. */
  private shorten(request: SimRequest): SimResponse {
    const body = this.parseJsonBody(request);
    if (!body.ok) return errorResponse(400, 'bad_request', 'The request body is not valid JSON.');
    const parsed = shortenRequestSchema.safeParse(body.value);
    if (!parsed.success) return errorResponse(400, 'bad_request', `Invalid request: ${issuesText(parsed.error)}`);
    this.shortens.push(parsed.data.prompt);
    if (request.fault?.kind === 'content_rejected') return errorResponse(400, 'forbidden', BANNED);
    const prompts = shortenPrompt(parsed.data.prompt);
    if (!prompts) return errorResponse(400, 'bad_request', 'The prompt is too short to be shortened.');
    return { status: 200, json: { success: true, task_id: randomUUID(), prompts } };
  }

  /**
   * `{image_id}` → `{seed}` (a string, as in AceData's Seed API guide), for a finished image. An
   * upscale has its grid's seed, as on Midjourney. The guide's errors: 400 for a missing or invalid
   * parameter (here also an unknown or unfinished image), 401, 429 and 500 (the kit's faults).
   */
  private seed(request: SimRequest): SimResponse {
    const body = this.parseJsonBody(request);
    if (!body.ok) return errorResponse(400, 'bad_request', 'The request body is not valid JSON.');
    const parsed = seedRequestSchema.safeParse(body.value);
    if (!parsed.success) return errorResponse(400, 'bad_request', `Invalid request: ${issuesText(parsed.error)}`);
    this.seedRequests.push(parsed.data.image_id);
    const task = this.book.byImage(parsed.data.image_id);
    if (!task)
      return errorResponse(
        400,
        'bad_request',
        `The image_id ${parsed.data.image_id} does not exist or is not finished.`,
      );
    return { status: 200, json: { seed: String(task.seed) } };
  }

  /**
   * `POST /midjourney/videos`: `generate` needs a first-frame `image_url`, `extend` a finished
   * `video_id` (and an index among its four videos); both need a prompt, as the guide says.
   */
  private async video(request: SimRequest): Promise<SimResponse> {
    const body = this.parseJsonBody(request);
    if (!body.ok) return errorResponse(400, 'bad_request', 'The request body is not valid JSON.');
    const parsed = videoRequestSchema.safeParse(body.value);
    if (!parsed.success) return errorResponse(400, 'bad_request', `Invalid request: ${issuesText(parsed.error)}`);
    const input = parsed.data;
    if (!input.prompt?.trim())
      return errorResponse(400, 'bad_request', `The prompt is required for the ${input.action} action.`);
    let seed = randomInt(2 ** 31);
    if (input.action === 'generate' && !input.image_url)
      return errorResponse(400, 'bad_request', 'The image_url is required for the generate action.');
    if (input.action === 'extend') {
      if (!input.video_id) return errorResponse(400, 'bad_request', 'The video_id is required for the extend action.');
      const parent = this.videos.byVideo(input.video_id);
      if (!parent)
        return errorResponse(400, 'bad_request', `The video_id ${input.video_id} does not exist or is not finished.`);
      seed = parent.seed + input.video_index;
    }
    const rejected = request.fault?.kind === 'content_rejected';
    const task = this.videos.create({
      request: input,
      seed,
      failure: rejected ? { code: 'forbidden', message: BANNED } : undefined,
      expireUrls: request.fault?.kind === 'expired_urls',
      durationMs: rejected ? REFUSAL_MS : this.durationMs(input.mode, VIDEO_SECONDS),
    });
    this.videoSubmissions.push(body.value as Record<string, unknown>);
    if (input.async || input.callback_url) return { status: 200, json: { task_id: task.id } };
    return this.holdVideo(task, input.timeout);
  }

  private async holdVideo(task: VideoTask, timeoutSeconds: number | undefined): Promise<SimResponse> {
    const deadline = timeoutSeconds === undefined ? Infinity : task.createdAt + timeoutSeconds * 1000;
    for (;;) {
      const now = this.clock.now();
      const phase = this.videos.phase(task, now);
      if (phase.kind === 'succeeded') return { status: 200, json: this.videos.final(task) };
      if (phase.kind === 'failed')
        return errorResponse(400, task.failure?.code ?? 'bad_request', task.failure?.message ?? 'failed', {
          task_id: task.id,
        });
      if (now >= deadline)
        return errorResponse(500, 'timeout', `The task did not finish within ${timeoutSeconds} seconds.`, {
          task_id: task.id,
        });
      await sleep(Math.max(1, Math.min(25, this.clock.toRealMs(Math.min(task.finishesAt, deadline) - now))));
    }
  }

  /** A task record of either kind: imagine or video. */
  private recordOf(id: string, expire: boolean): Record<string, unknown> | undefined {
    const task = this.book.get(id);
    if (task) {
      if (expire) this.book.expireResults(task);
      return this.book.record(task);
    }
    const video = this.videos.get(id);
    if (!video) return undefined;
    if (expire) this.videos.expireResults(video);
    return this.videos.record(video);
  }

  /** Checks the action against its parent image and works out what the new task will be. */
  private async derive(input: ImagineRequest): Promise<Derived | { error: SimResponse }> {
    if (input.action === 'generate') {
      if (!input.prompt?.trim())
        return { error: errorResponse(400, 'bad_request', 'The prompt is required for the generate action.') };
      const reading = readPrompt(input.prompt);
      return {
        kind: 'grid',
        aspect: reading.aspect,
        cell: this.book.cellFor(reading.aspect),
        seed: randomInt(2 ** 31),
        label: 'imagine',
      };
    }
    if (!input.image_id)
      return { error: errorResponse(400, 'bad_request', `The image_id is required for the ${input.action} action.`) };
    const parent = this.book.byImage(input.image_id);
    if (!parent)
      return {
        error: errorResponse(400, 'bad_request', `The image_id ${input.image_id} does not exist or is not finished.`),
      };
    const allowed = this.book.final(parent).actions as string[];
    // Vary (Region) is a button on an upscaled image although AceData's `actions` never list it.
    const regionOk = input.action === 'variation_region' && parent.kind === 'single';
    if (!allowed.includes(input.action) && !regionOk) {
      return {
        error: errorResponse(
          400,
          'bad_request',
          `The action ${input.action} is not available for image_id ${input.image_id}; available actions: ${allowed.join(', ')}.`,
        ),
      };
    }
    if (input.action === 'variation_region') {
      // The mask is fetched and checked now, so a bad one is refused here rather than failing later.
      const read = await readRegion(input.mask, parent);
      if (!read.ok) return { error: errorResponse(400, 'bad_request', read.message) };
      // Midjourney's Vary (Region) answers with a grid of the upscale's size, each image repainted.
      return { ...deriveFrom(parent, input.action), cell: read.region.source.size, region: read.region };
    }
    return deriveFrom(parent, input.action);
  }

  /** AceData's default: the request stays open until the task ends, or until `timeout` seconds pass. */
  private async holdUntilDone(task: SimTask, timeoutSeconds: number | undefined): Promise<SimResponse> {
    const deadline = timeoutSeconds === undefined ? Infinity : task.createdAt + timeoutSeconds * 1000;
    for (;;) {
      const now = this.clock.now();
      const phase = this.book.phase(task, now);
      if (phase.kind === 'succeeded') return { status: 200, json: this.book.final(task) };
      if (phase.kind === 'failed')
        return errorResponse(400, task.failure?.code ?? 'bad_request', task.failure?.message ?? 'failed', {
          task_id: task.id,
        });
      if (now >= deadline) {
        return errorResponse(
          500,
          'timeout',
          `The task did not finish within ${timeoutSeconds} seconds; query it later with its task_id.`,
          { task_id: task.id },
        );
      }
      const next = Math.min(task.finishesAt, deadline) - now;
      await sleep(Math.max(1, Math.min(25, this.clock.toRealMs(next))));
    }
  }

  private tasks(request: SimRequest): SimResponse {
    const body = this.parseJsonBody(request);
    if (!body.ok) return errorResponse(400, 'bad_request', 'The request body is not valid JSON.');
    const parsed = tasksRequestSchema.safeParse(body.value);
    if (!parsed.success) return errorResponse(400, 'bad_request', `Invalid request: ${issuesText(parsed.error)}`);
    const expire = request.fault?.kind === 'expired_urls';
    if (parsed.data.action === 'retrieve_batch') {
      const ids = parsed.data.ids ?? [];
      if (ids.length === 0)
        return errorResponse(400, 'bad_request', 'The ids are required for the retrieve_batch action.');
      const items = ids.flatMap((id) => {
        const record = this.recordOf(id, expire);
        return record ? [record] : [];
      });
      return { status: 200, json: { items, count: items.length } };
    }
    if (!parsed.data.id) return errorResponse(400, 'bad_request', 'The id is required for the retrieve action.');
    const record = this.recordOf(parsed.data.id, expire);
    // Not documented: what AceData answers for an unknown id. A 404 in its error form is assumed.
    if (!record) return errorResponse(404, 'not_found', `The task ${parsed.data.id} was not found.`);
    return { status: 200, json: record };
  }

  /** Final callbacks (and, for ndjson requests, one per progress step), retried by the kit's sender. */
  protected override sendDueCallbacks(): void {
    for (const task of this.book.all()) {
      const callback = task.callback;
      if (!callback || callback.sentFinal) continue;
      const phase = this.book.phase(task);
      if (phase.kind === 'succeeded' || phase.kind === 'failed') {
        callback.sentFinal = true;
        this.callbacks.send(callback.url, this.book.final(task));
      } else if (callback.stream && phase.kind === 'running' && phase.progress !== callback.lastProgress) {
        callback.lastProgress = phase.progress;
        this.callbacks.send(callback.url, this.book.partial(task, phase.progress, true));
      }
    }
    for (const task of this.videos.all()) {
      if (!task.callback || task.callback.sentFinal) continue;
      const phase = this.videos.phase(task);
      if (phase.kind !== 'succeeded' && phase.kind !== 'failed') continue;
      task.callback.sentFinal = true;
      this.callbacks.send(task.callback.url, this.videos.final(task));
    }
  }
}
