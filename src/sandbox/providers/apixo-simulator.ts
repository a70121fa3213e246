import { readPaint } from './apixo/paint.js';
import { CallbackSender } from './kit/callbacks.js';
import type { Fault } from './kit/faults.js';
import { fetchImage } from './kit/fetch-image.js';
import { isImage, polygonMaskSvg, renderImage, renderOutpaint, renderRegionEdit, sizeForAspect } from './kit/images.js';
import {
  ProviderSimulator,
  type RouteKind,
  type SimRequest,
  type SimResponse,
  type SimulatorOptions,
} from './kit/simulator.js';
import {
  GENERATING_MODES,
  readInput,
  requestSchema,
  type EffectiveInput,
  type FieldGeneration,
  type UnknownFields,
} from './apixo/input.js';
import {
  completedAt,
  hashString,
  imageCountFor,
  labelFor,
  seededSeconds,
  stateAt,
  TYPICAL_RANGES,
  upscaleScale,
  type ApixoTask,
} from './apixo/tasks.js';

export interface ApixoSimulatorOptions extends SimulatorOptions {
  /** Which field names `input` takes (UNKNOWN upstream). Default 'both'. */
  fieldNames?: FieldGeneration;
  /** What happens to a field the chosen generation does not know. Default 'reject' (never kinder than a strict API). */
  unknownFields?: UnknownFields;
  /** The base `imageIndex` counts from (UNKNOWN upstream; the doc says "0-3"). Default 0. */
  imageIndexBase?: 0 | 1;
}

/** What a submit looked like, for tests that check the translation. */
export interface ApixoSubmission {
  body: unknown;
  input?: EffectiveInput;
  taskId?: string;
  status: number;
}

const SUBMIT = '/api/v1/generateTask/midjourney';
const STATUS = '/api/v1/statusTask/midjourney';
/** "URLs expire after 24 h" (status docs; the model page says 15 days: the shorter one is simulated). */
const URL_LIFETIME_MS = 24 * 3600_000;

/**
 * APIXO's Midjourney API on loopback (CONTRACTS.md §C): the `{code,message,data}` envelope,
 * `resultJson` as a string, states pending/processing/success/failed with no progress, the prompt
 * cut at the first `--`, callbacks with the status envelope, 24-hour result URLs.
 */
export class ApixoSimulator extends ProviderSimulator {
  readonly provider = 'apixo';
  readonly basePath = '/api/v1';
  /** APIXO waits 30 s for a callback answer, then retries after 30 s, … (the kit's default delays). */
  override readonly callbacks = new CallbackSender(this.clock, this.options.callbackRetryDelaysMs, 30_000);
  readonly submissions: ApixoSubmission[] = [];
  readonly fieldNames: FieldGeneration;
  readonly unknownFields: UnknownFields;
  readonly imageIndexBase: 0 | 1;
  private readonly tasks = new Map<string, ApixoTask>();

  constructor(options: ApixoSimulatorOptions = {}) {
    super(options);
    this.fieldNames = options.fieldNames ?? 'both';
    this.unknownFields = options.unknownFields ?? 'reject';
    this.imageIndexBase = options.imageIndexBase ?? 0;
  }

  /** A task as stored, for tests. */
  task(taskId: string): Readonly<ApixoTask> | undefined {
    return this.tasks.get(taskId);
  }

  protected classify(method: string, path: string): RouteKind {
    if (method === 'POST' && path === SUBMIT) return 'submit';
    if (method === 'GET' && path === STATUS) return 'status';
    return 'other';
  }

  protected faultResponse(fault: Fault): SimResponse {
    switch (fault.kind) {
      case 'rate_limited':
        return {
          status: 429,
          json: { code: 429, message: 'Rate limit exceeded, please retry later', data: null },
          ...(fault.retryAfterSeconds === undefined
            ? {}
            : { headers: { 'retry-after': String(fault.retryAfterSeconds) } }),
        };
      case 'credits':
        // The doc's own example of this error (a 400, not a 402).
        return { status: 400, json: { code: 400, message: 'Insufficient credits', data: null } };
      case 'auth':
        return unauthorised();
      default: {
        const status = fault.status ?? 500;
        return { status, json: { code: status, message: 'Internal server error', data: null } };
      }
    }
  }

  protected handle(request: SimRequest): Promise<SimResponse | undefined> {
    const route = this.classify(request.method, request.path);
    if (route === 'other')
      return Promise.resolve(request.path.startsWith(this.basePath) ? refusal(404, 'Not found') : undefined);
    if (!this.isAuthorised(request)) return Promise.resolve(unauthorised());
    return route === 'submit' ? Promise.resolve(this.submit(request)) : this.status(request);
  }

  private submit(request: SimRequest): SimResponse {
    const json = this.parseJsonBody(request);
    const record = (response: SimResponse, input?: EffectiveInput, taskId?: string): SimResponse => {
      this.submissions.push({
        body: json.ok ? json.value : request.body.toString('utf8'),
        input,
        taskId,
        status: response.status,
      });
      return response;
    };
    if (!json.ok) return record(refusal(400, 'Invalid request body: not JSON'));
    const body = requestSchema.safeParse(json.value);
    if (!body.success) {
      const issue = body.error.issues[0];
      return record(refusal(400, `Invalid parameter: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`));
    }
    const read = readInput(body.data.input, this.fieldNames, this.unknownFields);
    if (!read.ok) return record(refusal(400, read.message));
    const input = read.input;

    const taskId = `task_${this.newId(10)}`;
    const task = this.createTask(taskId, input, request.fault);
    if ('refusal' in task) return record(task.refusal, input);
    if (body.data.request_type === 'callback') task.callbackUrl = body.data.callback_url;
    this.tasks.set(taskId, task);
    return record({ status: 200, json: { code: 200, message: 'success', data: { taskId } } }, input, taskId);
  }

  private createTask(
    taskId: string,
    input: EffectiveInput,
    fault: Fault | undefined,
  ): ApixoTask | { refusal: SimResponse } {
    const now = this.clock.now();
    const speed = input.speed ?? 'fast';
    const override = this.options.durations?.[speed === 'draft' ? 'turbo' : speed];
    const durationMs = (override ?? seededSeconds(taskId, TYPICAL_RANGES[speed])) * 1000;
    const task: ApixoTask = {
      id: taskId,
      input,
      createdAt: now,
      durationMs,
      imageCount: imageCountFor(input.mode),
      aspect: input.aspect ?? '1:1',
      seed: hashString(taskId),
      scale: 1,
      callbackSent: false,
      expireUrls: fault?.kind === 'expired_urls',
    };
    if (fault?.kind === 'content_rejected') task.failure = moderationFailure(durationMs);
    const paint = input.canvas ? readPaint(input) : undefined;
    if (paint?.ok) {
      const { width, height } = paint.geometry.canvas;
      task.size = { width, height };
      task.aspect = reducedAspect(width, height);
      const { imgPos, shapes } = paint.geometry;
      const sameFrame = imgPos.x === 0 && imgPos.y === 0 && imgPos.width === width && imgPos.height === height;
      if (sameFrame && shapes) task.region = { shapes };
      if (!sameFrame) task.placement = imgPos;
      const sourceUrl = input.image_urls?.[0];
      if (sourceUrl) this.fetchSource(task, sourceUrl);
    }

    if (!GENERATING_MODES.has(input.mode)) {
      const parent = input.taskId === undefined ? undefined : this.tasks.get(input.taskId);
      if (!parent || stateAt(parent, now) !== 'success') {
        // A documented failCode rather than a refusal: the task is taken, then fails.
        task.failure ??= {
          failCode: 'INVALID_TASK_ID',
          failMsg: 'Invalid previous task ID',
          afterMs: Math.min(2_000, durationMs),
        };
        return task;
      }
      task.aspect = parent.aspect;
      if (input.mode === 'reroll') {
        task.input = { ...parent.input, ...input };
        task.imageCount = parent.imageCount;
        return task;
      }
      const last = this.imageIndexBase + parent.imageCount - 1;
      const index = input.imageIndex ?? -1;
      if (index < this.imageIndexBase || index > last) {
        return {
          refusal: refusal(
            400,
            `Invalid parameter: input.imageIndex must be between ${this.imageIndexBase} and ${last}`,
          ),
        };
      }
      task.parent = { taskId: parent.id, index: index - this.imageIndexBase + 1 };
      if (input.mode === 'upscale' || input.mode === 'enhance') {
        // An upscale shows the chosen grid image itself, larger: same seed, same image number.
        task.seed = parent.seed;
        task.scale = parent.scale * (input.mode === 'upscale' ? upscaleScale(input.type) : 2);
      }
    }
    return task;
  }

  /**
   * Fetches an upload-paint's source as the task is taken, as APIXO must before it paints. A source
   * it cannot download, or that is not an image, fails the task with the documented
   * INVALID_IMAGE_URL, early, as INVALID_TASK_ID does.
   */
  private fetchSource(task: ApixoTask, url: string): void {
    const fail = () => {
      task.failure ??= {
        failCode: 'INVALID_IMAGE_URL',
        failMsg: 'Unable to access image URL',
        afterMs: Math.min(2_000, task.durationMs),
      };
    };
    const source: NonNullable<ApixoTask['source']> = { url, settled: false, ready: Promise.resolve() };
    source.ready = (async () => {
      const fetched = await fetchImage(url);
      if (!fetched.ok || !(await isImage(fetched.bytes))) fail();
      else source.bytes = fetched.bytes;
    })().finally(() => {
      source.settled = true;
    });
    task.source = source;
  }

  private async status(request: SimRequest): Promise<SimResponse> {
    const taskId = request.query.get('taskId');
    if (!taskId) return refusal(400, 'Invalid parameter: taskId is required');
    const task = this.tasks.get(taskId);
    if (!task) return refusal(404, 'Task not found');
    // Whether the task succeeds depends on its source, so no answer before that is known.
    await task.source?.ready;
    const now = this.clock.now();
    if (request.fault?.kind === 'content_rejected' && stateAt(task, now) !== 'success')
      task.failure = moderationFailure(now - task.createdAt);
    if (request.fault?.kind === 'expired_urls') {
      task.expireUrls = true;
      this.expireFiles(`apixo-${task.id}-`);
    }
    return { status: 200, json: this.envelope(task) };
  }

  /** The status envelope; the callback body is the same object. */
  private envelope(task: ApixoTask): unknown {
    const state = stateAt(task, this.clock.now());
    const data: Record<string, unknown> = { taskId: task.id, state, createTime: Math.round(task.createdAt) };
    if (state === 'success') {
      data.resultJson = JSON.stringify({ resultUrls: this.resultUrls(task) });
      data.costTime = Math.round(task.durationMs);
      data.completeTime = Math.round(completedAt(task));
    } else if (state === 'failed' && task.failure) {
      data.failCode = task.failure.failCode;
      data.failMsg = task.failure.failMsg;
      data.completeTime = Math.round(completedAt(task));
    }
    return { code: 200, message: 'success', data };
  }

  private resultUrls(task: ApixoTask): string[] {
    if (task.urls) return task.urls;
    const lifetime = task.expireUrls ? -1 : completedAt(task) + URL_LIFETIME_MS - this.clock.now();
    const { width, height } = task.size ?? sizeForAspect(task.aspect, this.options.imageEdge * task.scale);
    task.urls = Array.from({ length: task.imageCount }, (_, offset) => {
      const index = task.parent && task.imageCount === 1 ? task.parent.index : offset + 1;
      const fill = () => renderImage({ width, height, seed: task.seed, index, label: labelFor(task, offset + 1) });
      const { region, source, placement } = task;
      // A region redraw repaints its source inside the mask only; an outpaint keeps the source at
      // `imgPos` and paints the rest of the canvas. (A task reaches success only with its source.)
      const render = async () => {
        if (!source?.bytes) return fill();
        if (region) return renderRegionEdit(source.bytes, await fill(), polygonMaskSvg(region.shapes, width, height));
        return placement ? renderOutpaint(source.bytes, await fill(), placement) : fill();
      };
      return this.serveFile(`apixo-${task.id}-${offset + 1}.png`, render, 'image/png', lifetime);
    });
    return task.urls;
  }

  protected override sendDueCallbacks(): void {
    const now = this.clock.now();
    for (const task of this.tasks.values()) {
      // A task whose source is still being fetched has no known end yet.
      if (!task.callbackUrl || task.callbackSent || task.source?.settled === false) continue;
      const state = stateAt(task, now);
      if (state !== 'success' && state !== 'failed') continue;
      task.callbackSent = true;
      this.callbacks.send(task.callbackUrl, this.envelope(task));
    }
  }
}

function reducedAspect(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = gcd(width, height);
  return `${width / divisor}:${height / divisor}`;
}

function refusal(status: number, message: string): SimResponse {
  return { status, json: { code: status, message, data: null } };
}

function unauthorised(): SimResponse {
  return refusal(401, 'Invalid or missing API key');
}

function moderationFailure(afterMs: number): NonNullable<ApixoTask['failure']> {
  // Moderation answers early: a rejected prompt fails well before a normal task would finish.
  return {
    failCode: 'CONTENT_VIOLATION',
    failMsg: 'Content does not meet safety guidelines',
    afterMs: Math.max(0, afterMs * 0.2),
  };
}
