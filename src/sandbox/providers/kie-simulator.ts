import { renderImage, sizeForAspect } from './kit/images.js';
import { renderVideo } from './kit/video.js';
import type { Fault } from './kit/faults.js';
import {
  ProviderSimulator,
  type RouteKind,
  type SimRequest,
  type SimResponse,
  type SimulatorOptions,
} from './kit/simulator.js';
import { describeIssue, followUpSchema, generateSchema, isVideo, videoExtendSchema } from './kie/requests.js';
import {
  completedAt,
  hashString,
  jittered,
  labelFor,
  successFlagAt,
  TYPICAL_SECONDS,
  type KieTask,
} from './kie/tasks.js';

export interface KieSimulatorOptions extends SimulatorOptions {
  /**
   * Whether the HTTP status mirrors the body's `code` (UNKNOWN upstream). Default 'always200':
   * integrators check `body.code`, and an HTTP-only client misses every error in this mode.
   */
  httpStatus?: 'mirror' | 'always200';
  /** imageIndex bases, validated separately as the doc states them: upscale 0–3, vary 1–4. */
  upscaleIndexBase?: 0 | 1;
  varyIndexBase?: 0 | 1;
  /** Kie's callbacks "may repeat": deliver each one a second time, 5 simulated seconds later. Default true. */
  duplicateCallbacks?: boolean;
}

/** A request the simulator accepted or refused, for tests that check the translation. */
export interface KieSubmission {
  path: string;
  body: unknown;
  taskId?: string;
  code: number;
}

const GENERATE = '/api/v1/mj/generate';
const UPSCALE = '/api/v1/mj/generateUpscale';
const VARY = '/api/v1/mj/generateVary';
const VIDEO_EXTEND = '/api/v1/mj/generateVideoExtend';
const RECORD = '/api/v1/mj/record-info';
const SUBMITS = new Set([GENERATE, UPSCALE, VARY, VIDEO_EXTEND]);
/** "Generated files are retained for 15 days." */
const FILE_LIFETIME_MS = 15 * 24 * 3600_000;
const REPEAT_AFTER_MS = 5_000;

/**
 * Kie.ai's Midjourney API on loopback (CONTRACTS.md §E): the `{code,msg,data}` envelope, successFlag
 * 0–3, `resultInfoJson.resultUrls[{resultUrl}]` in record-info but plain strings in callbacks, the
 * doc's two imageIndex bases, callbacks retried after 1, 5 and 15 minutes that may repeat.
 */
export class KieSimulator extends ProviderSimulator {
  readonly provider = 'kie';
  readonly basePath = '';
  readonly submissions: KieSubmission[] = [];
  readonly httpStatus: 'mirror' | 'always200';
  readonly upscaleIndexBase: 0 | 1;
  readonly varyIndexBase: 0 | 1;
  readonly duplicateCallbacks: boolean;
  private readonly tasks = new Map<string, KieTask>();

  constructor(options: KieSimulatorOptions = {}) {
    // Kie: 15-second timeout, "retry 3 times after failure, with intervals of 1, 5 and 15 minutes".
    super({ callbackRetryDelaysMs: [60_000, 300_000, 900_000], ...options });
    this.httpStatus = options.httpStatus ?? 'always200';
    this.upscaleIndexBase = options.upscaleIndexBase ?? 0;
    this.varyIndexBase = options.varyIndexBase ?? 1;
    this.duplicateCallbacks = options.duplicateCallbacks ?? true;
  }

  task(taskId: string): Readonly<KieTask> | undefined {
    return this.tasks.get(taskId);
  }

  protected classify(method: string, path: string): RouteKind {
    if (method === 'POST' && SUBMITS.has(path)) return 'submit';
    if (method === 'GET' && path === RECORD) return 'status';
    return 'other';
  }

  protected faultResponse(fault: Fault): SimResponse {
    switch (fault.kind) {
      case 'rate_limited': {
        const response = this.reply(429, 'Too many requests, please try again later');
        if (fault.retryAfterSeconds !== undefined)
          response.headers = { 'retry-after': String(fault.retryAfterSeconds) };
        return response;
      }
      case 'credits':
        return this.reply(402, 'Insufficient credits');
      case 'auth':
        return this.unauthorised();
      default:
        return this.reply(fault.status ?? 500, 'Server error');
    }
  }

  protected handle(request: SimRequest): Promise<SimResponse | undefined> {
    const route = this.classify(request.method, request.path);
    if (route === 'other')
      return Promise.resolve(request.path.startsWith('/api/') ? this.reply(404, 'Not found') : undefined);
    if (!this.isAuthorised(request)) return Promise.resolve(this.unauthorised());
    return Promise.resolve(route === 'status' ? this.record(request) : this.submit(request));
  }

  /** Kie's envelope; in 'mirror' mode the HTTP status repeats the code. */
  private reply(code: number, msg: string, data: unknown = null): SimResponse {
    return { status: this.httpStatus === 'mirror' ? code : 200, json: { code, msg, data } };
  }

  private unauthorised(): SimResponse {
    return this.reply(401, 'You do not have access permissions');
  }

  private submit(request: SimRequest): SimResponse {
    const json = this.parseJsonBody(request);
    const log = (code: number, msg: string, taskId?: string): SimResponse => {
      this.submissions.push({
        path: request.path,
        body: json.ok ? json.value : request.body.toString('utf8'),
        taskId,
        code,
      });
      return this.reply(code, msg, taskId === undefined ? null : { taskId });
    };
    if (!json.ok) return log(400, 'Request body is not valid JSON');
    const created =
      request.path === GENERATE
        ? this.generate(json.value, request.fault)
        : request.path === VIDEO_EXTEND
          ? this.extend(json.value, request.fault)
          : this.followUp(request.path === UPSCALE ? 'upscale' : 'vary', json.value, request.fault);
    if ('code' in created) return log(created.code, created.msg);
    this.tasks.set(created.id, created);
    return log(200, 'success', created.id);
  }

  private generate(value: unknown, fault: Fault | undefined): KieTask | { code: number; msg: string } {
    const parsed = generateSchema.safeParse(value);
    if (!parsed.success) return { code: 422, msg: describeIssue(parsed.error) };
    const body = parsed.data;
    const task = this.newTask({
      taskType: body.taskType,
      params: value as Record<string, unknown>,
      prompt: body.prompt,
      speed: body.speed ?? 'fast',
      aspect: body.aspectRatio ?? '1:1',
      callbackUrl: body.callBackUrl,
      fault,
    });
    if (isVideo(body.taskType)) Object.assign(task, { video: true, imageCount: body.videoBatchSize ?? 1 });
    // mj_video_hd: Midjourney's HD video is 720p where SD is 480p, so its frames are 1.5 times the edge.
    if (body.taskType === 'mj_video_hd') task.scale = 1.5;
    return task;
  }

  /** An extension continues one video of a finished video task: one new, longer video. */
  private extend(value: unknown, fault: Fault | undefined): KieTask | { code: number; msg: string } {
    const parsed = videoExtendSchema.safeParse(value);
    if (!parsed.success) return { code: 422, msg: describeIssue(parsed.error) };
    const parent = this.tasks.get(parsed.data.taskId);
    if (!parent) return { code: 404, msg: 'Task not found' };
    if (!parent.video || successFlagAt(parent, this.clock.now()) !== 1)
      return { code: 422, msg: 'The original task has no finished video to extend' };
    if (parsed.data.index >= parent.imageCount)
      return { code: 422, msg: `index must be between 0 and ${parent.imageCount - 1}` };
    const task = this.newTask({
      taskType: parsed.data.taskType,
      params: value as Record<string, unknown>,
      prompt: parsed.data.prompt ?? parent.prompt,
      speed: parent.speed,
      aspect: parent.aspect,
      callbackUrl: parsed.data.callBackUrl,
      fault,
    });
    Object.assign(task, { video: true, imageCount: 1, seed: parent.seed });
    task.parent = { taskId: parent.id, index: parsed.data.index + 1 };
    return task;
  }

  private followUp(
    kind: 'upscale' | 'vary',
    value: unknown,
    fault: Fault | undefined,
  ): KieTask | { code: number; msg: string } {
    const parsed = followUpSchema.safeParse(value);
    if (!parsed.success) return { code: 422, msg: describeIssue(parsed.error) };
    const base = kind === 'upscale' ? this.upscaleIndexBase : this.varyIndexBase;
    const { imageIndex } = parsed.data;
    if (imageIndex < base || imageIndex > base + 3)
      return { code: 422, msg: `imageIndex must be between ${base} and ${base + 3}` };
    const parent = this.tasks.get(parsed.data.taskId);
    if (!parent) return { code: 404, msg: 'Task not found' };
    if (parent.imageCount !== 4 || successFlagAt(parent, this.clock.now()) !== 1)
      return { code: 422, msg: 'The original task has no finished grid to act on' };
    const task = this.newTask({
      taskType: kind === 'upscale' ? 'mj_upscale' : 'mj_vary',
      params: value as Record<string, unknown>,
      prompt: parent.prompt,
      speed: parent.speed,
      aspect: parent.aspect,
      callbackUrl: parsed.data.callBackUrl,
      fault,
    });
    task.parent = { taskId: parent.id, index: imageIndex - base + 1 };
    if (kind === 'upscale') {
      // The upscale is the chosen grid image itself, larger: same seed and image number.
      Object.assign(task, { imageCount: 1, seed: parent.seed, scale: parent.scale * 2 });
    }
    return task;
  }

  private newTask(spec: {
    taskType: string;
    params: Record<string, unknown>;
    prompt: string;
    speed: KieTask['speed'];
    aspect: string;
    callbackUrl?: string;
    fault?: Fault;
  }): KieTask {
    const id = this.newId(16);
    const override = this.options.durations?.[spec.speed === 'relaxed' ? 'relax' : spec.speed];
    const durationMs = (override ?? jittered(id, TYPICAL_SECONDS[spec.speed])) * 1000;
    const task: KieTask = {
      id,
      taskType: spec.taskType,
      params: spec.params,
      prompt: spec.prompt,
      speed: spec.speed,
      createdAt: this.clock.now(),
      durationMs,
      imageCount: 4,
      aspect: spec.aspect,
      seed: hashString(id),
      scale: 1,
      callbackUrl: spec.callbackUrl,
      callbacksSent: 0,
      expireUrls: spec.fault?.kind === 'expired_urls',
    };
    if (spec.fault?.kind === 'content_rejected') task.failure = moderationFailure(durationMs * 0.2);
    return task;
  }

  private record(request: SimRequest): SimResponse {
    const taskId = request.query.get('taskId');
    if (!taskId) return this.reply(422, 'taskId is required');
    const task = this.tasks.get(taskId);
    if (!task) return this.reply(404, 'Task not found');
    const now = this.clock.now();
    if (request.fault?.kind === 'content_rejected' && successFlagAt(task, now) === 0)
      task.failure = moderationFailure(now - task.createdAt);
    if (request.fault?.kind === 'expired_urls') {
      task.expireUrls = true;
      this.expireFiles(`kie-${task.id}-`);
    }
    const flag = successFlagAt(task, now);
    const done = flag !== 0;
    return this.reply(200, 'success', {
      taskId: task.id,
      taskType: task.taskType,
      paramJson: JSON.stringify(task.params),
      completeTime: done ? new Date(completedAt(task)).toISOString() : null,
      // An object whose items are objects here; the callback sends plain strings.
      resultInfoJson: flag === 1 ? { resultUrls: this.resultUrls(task).map((resultUrl) => ({ resultUrl })) } : null,
      successFlag: flag,
      createTime: new Date(task.createdAt).toISOString(),
      errorCode: flag >= 2 ? (task.failure?.errorCode ?? null) : null,
      errorMessage: flag >= 2 ? (task.failure?.errorMessage ?? null) : null,
    });
  }

  private resultUrls(task: KieTask): string[] {
    if (task.urls) return task.urls;
    const lifetime = task.expireUrls ? -1 : completedAt(task) + FILE_LIFETIME_MS - this.clock.now();
    const { width, height } = sizeForAspect(task.aspect, this.options.imageEdge * task.scale);
    if (task.video) {
      task.urls = Array.from({ length: task.imageCount }, (_, offset) => {
        const render = () =>
          renderVideo({
            width,
            height,
            seed: task.seed + offset,
            label: labelFor(task, offset + 1),
            minBytes: this.options.videoBytes,
          });
        return this.serveFile(`kie-${task.id}-0_${offset}.mp4`, render, 'video/mp4', lifetime);
      });
      return task.urls;
    }
    task.urls = Array.from({ length: task.imageCount }, (_, offset) => {
      const index = task.imageCount === 1 ? (task.parent?.index ?? 1) : offset + 1;
      const render = () => renderImage({ width, height, seed: task.seed, index, label: labelFor(task, offset + 1) });
      // Kie's own file names end in _0_<n>; the simulator keeps that shape.
      return this.serveFile(`kie-${task.id}-0_${offset}.png`, render, 'image/png', lifetime);
    });
    return task.urls;
  }

  private callbackBody(task: KieTask): unknown {
    const promptJson = JSON.stringify({ prompt: task.prompt, model: 'midjourney', taskType: task.taskType });
    if (successFlagAt(task, this.clock.now()) === 1)
      return { code: 200, msg: 'success', data: { taskId: task.id, promptJson, resultUrls: this.resultUrls(task) } };
    return { code: 500, msg: 'Image generation failed', data: { taskId: task.id, promptJson, resultUrls: [] } };
  }

  protected override sendDueCallbacks(): void {
    const now = this.clock.now();
    for (const task of this.tasks.values()) {
      if (!task.callbackUrl || successFlagAt(task, now) === 0) continue;
      const repeatDue =
        this.duplicateCallbacks && task.callbacksSent === 1 && now >= (task.lastCallbackAt ?? 0) + REPEAT_AFTER_MS;
      if (task.callbacksSent > 0 && !repeatDue) continue;
      task.callbacksSent += 1;
      task.lastCallbackAt = now;
      this.callbacks.send(task.callbackUrl, this.callbackBody(task));
    }
  }
}

function moderationFailure(afterMs: number): NonNullable<KieTask['failure']> {
  // INFERRED wording: Kie documents errorCode/errorMessage but not the moderation text.
  return {
    successFlag: 2,
    errorCode: 400,
    errorMessage: 'Banned prompt: the content violates the usage policy',
    afterMs: Math.max(0, afterMs),
  };
}
