import { randomInt, randomUUID, randomBytes } from 'node:crypto';
import { sizeForAspect } from '../kit/images.js';
import { regionPainter, type Region } from './region.js';
import { GRID_ACTIONS, UPSCALE_ACTIONS, UPSCALED_AGAIN_ACTIONS, type Action, type ImagineRequest } from './bodies.js';
import {
  gridPictures,
  previewPicture,
  scaled,
  singlePicture,
  URL_LIFETIME_MS,
  type Pictures,
  type ServeFile,
  type Size,
} from './media.js';

export interface SimTask {
  id: string;
  mongoId: string;
  jobId: string;
  /** Midjourney's image id (a Discord message snowflake); revealed only when the job succeeds. */
  imageId: string;
  request: ImagineRequest;
  action: Action;
  kind: 'grid' | 'single';
  aspect: string;
  /** The size of one grid cell at this task's aspect ratio. */
  cell: Size;
  /** For a single image: its size and which picture of the grid it shows. */
  single?: { size: Size; index: number };
  seed: number;
  label: string;
  createdAt: number;
  startsAt: number;
  finishesAt: number;
  failure?: { code: string; message: string };
  expireUrls: boolean;
  pictures?: Pictures;
  /** Vary (Region): the parent upscale and the mask its cells are repainted through. */
  region?: Region;
  callback?: { url: string; stream: boolean; sentFinal: boolean; lastProgress?: number };
}

export type Phase =
  { kind: 'queued' } | { kind: 'running'; progress: number } | { kind: 'failed' } | { kind: 'succeeded' };

export interface TaskBookOptions {
  serve: ServeFile;
  expire: (prefix: string) => void;
  now: () => number;
  imageEdge: number;
  progressSteps: number;
  stateField: boolean;
  runningResponse: boolean;
  /** Answer as if `split_images` were false: no `sub_image_urls`, only the grid. */
  ignoreSplitImages: boolean;
}

const APPLICATION_ID = randomUUID();
const CREDENTIAL_ID = randomUUID();

function snowflake(): string {
  // Discord snowflakes are 19 digits today; only their shape matters here.
  return `12${String(randomInt(10 ** 8, 10 ** 9))}${String(randomInt(10 ** 8, 10 ** 9))}`;
}

function actionsAfter(task: SimTask): readonly Action[] {
  if (task.kind === 'grid') return GRID_ACTIONS;
  return task.action === 'upscale_2x' || task.action === 'upscale_4x' ? UPSCALED_AGAIN_ACTIONS : UPSCALE_ACTIONS;
}

/** The tasks a simulator has been given, and what AceData shows of each at a moment of simulated time. */
export class TaskBook {
  private readonly tasks = new Map<string, SimTask>();

  constructor(private readonly options: TaskBookOptions) {}

  get(id: string): SimTask | undefined {
    return this.tasks.get(id);
  }

  all(): IterableIterator<SimTask> {
    return this.tasks.values();
  }

  /** One grid cell's size at an aspect ratio. */
  cellFor(aspect: string): Size {
    return sizeForAspect(aspect, this.options.imageEdge);
  }

  /** The finished task whose image has this id. */
  byImage(imageId: string): SimTask | undefined {
    for (const task of this.tasks.values())
      if (task.imageId === imageId && this.phase(task).kind === 'succeeded') return task;
    return undefined;
  }

  /** Creates a task; `durationMs` is its whole run, the first tenth spent queued. */
  create(
    init: Pick<
      SimTask,
      'request' | 'action' | 'kind' | 'aspect' | 'single' | 'seed' | 'label' | 'failure' | 'expireUrls' | 'region'
    > & { cell?: Size; durationMs: number },
  ): SimTask {
    const now = this.options.now();
    const task: SimTask = {
      ...init,
      id: randomUUID(),
      mongoId: randomBytes(12).toString('hex'),
      jobId: randomUUID(),
      imageId: snowflake(),
      cell: init.cell ?? this.cellFor(init.aspect),
      createdAt: now,
      startsAt: now + init.durationMs * 0.1,
      finishesAt: now + init.durationMs,
    };
    if (init.request.callback_url) task.callback = { url: init.request.callback_url, stream: false, sentFinal: false };
    this.tasks.set(task.id, task);
    return task;
  }

  phase(task: SimTask, now = this.options.now()): Phase {
    if (now >= task.finishesAt) return task.failure ? { kind: 'failed' } : { kind: 'succeeded' };
    if (now < task.startsAt) return { kind: 'queued' };
    const steps = Math.max(1, this.options.progressSteps);
    const fraction = (now - task.startsAt) / (task.finishesAt - task.startsAt);
    return { kind: 'running', progress: Math.round(((Math.floor(fraction * steps) + 1) * 100) / (steps + 1)) };
  }

  /** Makes a task's result URLs expire (the `expired_urls` fault). */
  expireResults(task: SimTask): void {
    task.expireUrls = true;
    if (task.pictures) this.options.expire(`acedata/${task.id}/`);
  }

  /** The imagine result once the task is over: the success object, or `{success:false, task_id, error}`. */
  final(task: SimTask): Record<string, unknown> {
    if (task.failure) return { success: false, task_id: task.id, error: { ...task.failure } };
    return {
      success: true,
      task_id: task.id,
      image_id: task.imageId,
      ...this.pictures(task),
      progress: 100,
      actions: [...actionsAfter(task)],
      job_id: task.jobId,
      hold: false,
    };
  }

  /** A running task's partial result: progress and a preview, but no `success` yet. */
  partial(task: SimTask, progress: number, streamed: boolean): Record<string, unknown> {
    const preview = previewPicture(
      this.options.serve,
      this.spec(task),
      task.cell,
      progress,
      Math.max(1, task.finishesAt - this.options.now()),
    );
    const shape = {
      image_url: preview.url,
      image_width: preview.width,
      image_height: preview.height,
      progress,
      task_id: task.id,
    };
    // The ndjson stream (and its callbacks) mark each line `success: true` with empty actions.
    return streamed ? { ...shape, image_id: task.imageId, actions: [], success: true } : shape;
  }

  /** The task record `POST /midjourney/tasks` returns. */
  record(task: SimTask): Record<string, unknown> {
    const phase = this.phase(task);
    const base: Record<string, unknown> = {
      _id: task.mongoId,
      id: task.id,
      application_id: APPLICATION_ID,
      created_at: task.createdAt / 1000,
      credential_id: CREDENTIAL_ID,
      request: { ...task.request },
      type: 'imagine',
      hold: false,
      job_id: task.jobId,
    };
    if (this.options.stateField)
      base.state = { queued: 'pending', running: 'processing', failed: 'failed', succeeded: 'succeeded' }[phase.kind];
    if (phase.kind === 'queued') return base;
    if (phase.kind === 'running')
      return this.options.runningResponse ? { ...base, response: this.partial(task, phase.progress, false) } : base;
    return {
      ...base,
      ...(phase.kind === 'succeeded' ? { image_id: task.imageId } : {}),
      response: this.final(task),
      duration: (task.finishesAt - task.createdAt) / 1000,
      finished_at: task.finishesAt / 1000,
    };
  }

  private spec(task: SimTask) {
    return { prefix: `acedata/${task.id}`, seed: task.seed, label: task.label };
  }

  /** Registers the result files the first time a finished task is shown; later views reuse them. */
  private pictures(task: SimTask): Pictures {
    if (!task.pictures) {
      const lifetime = task.expireUrls ? -1 : URL_LIFETIME_MS;
      const now = this.options.now();
      task.pictures = task.single
        ? singlePicture(
            this.options.serve,
            { ...this.spec(task), index: task.single.index },
            task.single.size,
            now,
            lifetime,
          )
        : gridPictures(
            this.options.serve,
            this.spec(task),
            task.cell,
            now,
            lifetime,
            task.request.split_images && !this.options.ignoreSplitImages,
            task.region ? regionPainter(task.region) : undefined,
          );
    }
    return task.pictures;
  }
}

/** The size of an upscale of `parent` by `action`. */
export function upscaleSize(parent: SimTask, action: Action): Size {
  if (action === 'upscale_2x' || action === 'upscale_4x') {
    const base = parent.single?.size ?? scaled(parent.cell, 2);
    return scaled(base, action === 'upscale_2x' ? 2 : 4);
  }
  return scaled(parent.cell, 2);
}
