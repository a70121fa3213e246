import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { renderImage, sizeForAspect } from '../kit/images.js';
import { renderVideo } from '../kit/video.js';
import { signedUrl, URL_LIFETIME_MS, type ServeFile } from './media.js';
import type { Phase } from './tasks.js';

/**
 * AceData's `/midjourney/videos` (its videos integration guide; MCP tools/video_tools.py):
 * `generate` from a first-frame `image_url`, `extend` by `video_id` and `video_index`; the result
 * has a cover `image_url`, a `video_id` and four `video_urls`. Tasks are read with `/midjourney/tasks`.
 */
export const videoRequestSchema = z
  .object({
    action: z.enum(['generate', 'extend']).default('generate'),
    prompt: z.string().optional(),
    image_url: z.url({ protocol: /^https?$/ }).optional(),
    end_image_url: z.url({ protocol: /^https?$/ }).optional(),
    video_id: z.string().min(1).optional(),
    video_index: z.number().int().min(0).max(3).default(0),
    mode: z.enum(['fast', 'relax', 'turbo']).default('fast'),
    resolution: z.enum(['480p', '720p']).default('720p'),
    loop: z.boolean().default(false),
    timeout: z.number().positive().optional(),
    callback_url: z.url({ protocol: /^https?$/ }).optional(),
    async: z.boolean().default(false),
  })
  .loose();
export type VideoRequest = z.infer<typeof videoRequestSchema>;

/** "Approximately 1–2 minutes" (videos guide). */
export const VIDEO_SECONDS = { fast: 90, relax: 240, turbo: 45 } as const;
const VIDEO_COUNT = 4;

export interface VideoTask {
  id: string;
  mongoId: string;
  videoId: string;
  request: VideoRequest;
  seed: number;
  createdAt: number;
  startsAt: number;
  finishesAt: number;
  failure?: { code: string; message: string };
  expireUrls: boolean;
  files?: { cover: string; videos: string[] };
  callback?: { url: string; sentFinal: boolean };
}

export interface VideoBookOptions {
  serve: ServeFile;
  expire: (prefix: string) => void;
  now: () => number;
  imageEdge: number;
  /** Smallest video file, in bytes (the simulator's `videoBytes`). */
  videoBytes: number;
  progressSteps: number;
  runningResponse: boolean;
}

/** The video tasks a simulator has been given, and what AceData shows of each. */
export class VideoBook {
  private readonly tasks = new Map<string, VideoTask>();

  constructor(private readonly options: VideoBookOptions) {}

  get(id: string): VideoTask | undefined {
    return this.tasks.get(id);
  }

  all(): IterableIterator<VideoTask> {
    return this.tasks.values();
  }

  /** The finished task whose result has this `video_id`. */
  byVideo(videoId: string): VideoTask | undefined {
    for (const task of this.tasks.values())
      if (task.videoId === videoId && this.phase(task).kind === 'succeeded') return task;
    return undefined;
  }

  create(init: Pick<VideoTask, 'request' | 'seed' | 'failure' | 'expireUrls'> & { durationMs: number }): VideoTask {
    const now = this.options.now();
    const task: VideoTask = {
      ...init,
      id: randomUUID(),
      mongoId: randomBytes(12).toString('hex'),
      // The guide's video ids are 16 digits.
      videoId: String(now).padStart(13, '0') + String(Math.floor(Math.random() * 1000)).padStart(3, '0'),
      createdAt: now,
      startsAt: now + init.durationMs * 0.1,
      finishesAt: now + init.durationMs,
    };
    if (init.request.callback_url) task.callback = { url: init.request.callback_url, sentFinal: false };
    this.tasks.set(task.id, task);
    return task;
  }

  phase(task: VideoTask, now = this.options.now()): Phase {
    if (now >= task.finishesAt) return task.failure ? { kind: 'failed' } : { kind: 'succeeded' };
    if (now < task.startsAt) return { kind: 'queued' };
    const steps = Math.max(1, this.options.progressSteps);
    const fraction = (now - task.startsAt) / (task.finishesAt - task.startsAt);
    return { kind: 'running', progress: Math.round(((Math.floor(fraction * steps) + 1) * 100) / (steps + 1)) };
  }

  expireResults(task: VideoTask): void {
    task.expireUrls = true;
    if (task.files) this.options.expire(`acedata/${task.id}/`);
  }

  /** The result once the task is over, in the guide's shape. */
  final(task: VideoTask): Record<string, unknown> {
    if (task.failure) return { success: false, task_id: task.id, error: { ...task.failure } };
    const files = this.files(task);
    const { width, height } = this.size();
    return {
      image_url: files.cover,
      image_width: width,
      image_height: height,
      progress: 100,
      video_id: task.videoId,
      video_urls: files.videos,
      task_id: task.id,
      success: true,
    };
  }

  /** While running: progress and the cover (the first frame), no `success` and no videos yet. */
  partial(task: VideoTask, progress: number): Record<string, unknown> {
    const { width, height } = this.size();
    return { image_url: this.files(task).cover, image_width: width, image_height: height, progress, task_id: task.id };
  }

  /** The record `POST /midjourney/tasks` returns for a video task (`type: "videos"`). */
  record(task: VideoTask): Record<string, unknown> {
    const phase = this.phase(task);
    const base: Record<string, unknown> = {
      _id: task.mongoId,
      id: task.id,
      created_at: task.createdAt / 1000,
      request: { ...task.request },
      type: 'videos',
    };
    if (phase.kind === 'queued') return base;
    if (phase.kind === 'running')
      return this.options.runningResponse ? { ...base, response: this.partial(task, phase.progress) } : base;
    return {
      ...base,
      response: this.final(task),
      duration: (task.finishesAt - task.createdAt) / 1000,
      finished_at: task.finishesAt / 1000,
    };
  }

  private size() {
    return sizeForAspect('1:1', this.options.imageEdge);
  }

  private files(task: VideoTask): { cover: string; videos: string[] } {
    if (!task.files) {
      const lifetime = task.expireUrls ? -1 : URL_LIFETIME_MS;
      const now = this.options.now();
      const { width, height } = this.size();
      const label = task.request.action === 'extend' ? 'extend' : 'video';
      const serve = (name: string, render: () => Promise<Buffer>, type: string) =>
        signedUrl(this.options.serve(`acedata/${task.id}/${name}`, render, type, lifetime), now, lifetime);
      task.files = {
        cover: serve('cover.png', () => renderImage({ width, height, seed: task.seed, index: 1, label }), 'image/png'),
        videos: Array.from({ length: VIDEO_COUNT }, (_, offset) =>
          serve(
            `0_${offset}.mp4`,
            () =>
              renderVideo({
                width,
                height,
                seed: task.seed + offset,
                label: `${label} ${offset + 1}`,
                minBytes: this.options.videoBytes,
              }),
            'video/mp4',
          ),
        ),
      };
    }
    return task.files;
  }
}
