import type { EffectiveInput } from './input.js';

/** One APIXO task as the simulator keeps it. State is derived from the clock, never stored. */
export interface ApixoTask {
  id: string;
  input: EffectiveInput;
  /** Simulated ms. */
  createdAt: number;
  durationMs: number;
  imageCount: number;
  aspect: string;
  /** Drives the images' colours; follow-ups of a grid image reuse the grid's seed. */
  seed: number;
  /** Edge multiplier of the images (upscales are larger). */
  scale: number;
  /** An upload-paint's images are its canvas's size (an outpaint is larger than its source). */
  size?: { width: number; height: number };
  /**
   * An upload-paint over the image's own frame (canvas = imgPos): a region redraw of the source
   * image, its mask's polygons as fractions of the frame.
   */
  region?: { shapes: [number, number][][] };
  /** An outpaint (canvas larger than imgPos): where its source sits on the canvas. */
  placement?: { x: number; y: number; width: number; height: number };
  /**
   * An upload-paint's source image (`image_urls[0]`), fetched when the task is taken, as APIXO
   * must before it paints: its bytes once fetched; `ready` settles when the fetch is over (and
   * the task has failed with INVALID_IMAGE_URL if it could not be fetched or is not an image).
   */
  source?: { url: string; ready: Promise<void>; settled: boolean; bytes?: Buffer };
  /** For vary/upscale/enhance: the parent task and its 1-based image. */
  parent?: { taskId: string; index: number };
  /** Set when the task will fail: its code, message and how long after creation. */
  failure?: { failCode: string; failMsg: string; afterMs: number };
  callbackUrl?: string;
  callbackSent: boolean;
  /** The `expired_urls` fault: result URLs are dead on arrival. */
  expireUrls: boolean;
  urls?: string[];
}

export type ApixoState = 'pending' | 'processing' | 'success' | 'failed';

/** The first part of a task's life it reports `pending` (queued upstream), then `processing`. */
const PENDING_SHARE = 0.15;

export function stateAt(task: ApixoTask, now: number): ApixoState {
  const age = now - task.createdAt;
  if (task.failure && age >= task.failure.afterMs) return 'failed';
  if (age >= task.durationMs) return task.failure ? 'processing' : 'success';
  return age < task.durationMs * PENDING_SHARE ? 'pending' : 'processing';
}

export function completedAt(task: ApixoTask): number {
  return task.createdAt + (task.failure ? task.failure.afterMs : task.durationMs);
}

/** FNV-1a: a stable number from a string, for seeds and per-task durations. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A duration inside `[min, max]` seconds, picked per task from its id. */
export function seededSeconds(taskId: string, [min, max]: readonly [number, number]): number {
  const fraction = (hashString(`duration:${taskId}`) % 1000) / 1000;
  return min + fraction * (max - min);
}

/** The doc's typical times: "fast ~30–45 s, turbo ~15–25 s"; draft is not timed, so it runs like turbo. */
export const TYPICAL_RANGES: Readonly<Record<'fast' | 'turbo' | 'draft', readonly [number, number]>> = {
  fast: [30, 45],
  turbo: [15, 25],
  draft: [15, 25],
};

/** Images per mode: "usually 4 images for generation & variation, 1 for upscale/enhance". */
export function imageCountFor(mode: string): number {
  return mode === 'upscale' || mode === 'enhance' ? 1 : 4;
}

/**
 * Upscale `type` → edge multiplier of the grid image. Standard and Creative HD double it; "2x HD" and
 * "4x HD" are two and four times the HD upscale, as Midjourney's Upscale (2x) and (4x) are of the
 * image they are clicked on, so they are really larger than the upscale they come from.
 */
export function upscaleScale(type: number | undefined): number {
  return { 2: 4, 3: 8 }[type ?? 0] ?? 2;
}

/** The caption drawn on image `index` (1-based) of a task, so a test or a person can tell them apart. */
export function labelFor(task: ApixoTask, index: number): string {
  const { mode, type } = task.input;
  const parent = task.parent?.index ?? 0;
  if (mode === 'upscale') return `U${parent} ${['HD', 'creative', '2x', '4x'][type ?? 0] ?? ''}`.trim();
  if (mode === 'enhance') return `E${parent}`;
  if (mode === 'vary') return `V${parent} ${type === 0 ? 'subtle' : 'strong'} #${index}`;
  return `#${index}`;
}
