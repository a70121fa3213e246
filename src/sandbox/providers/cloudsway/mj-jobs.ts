import type { Layout, Size } from './mj-outpaint.js';

/** A MaaS-MJ job as the simulator keeps it. Its state is derived from the clock, never stored. */
export interface SimJob {
  id: string;
  kind: 'diffusion' | 'upscale' | 'inpaint' | 'variation' | 'reroll' | 'pan' | 'outpaint';
  text: string;
  createdAt: number;
  durationMs: number;
  speed: 'fast' | 'relax' | 'turbo';
  version: string;
  seed: number;
  aspect: string;
  /** Pixel edge the images render at (twice the base edge for upscales and what derives from them). */
  edge: number;
  imageCount: 1 | 4;
  /** 0-based images withheld by moderation (their URL is empty, their audit says why). */
  rejectedImages: Set<number>;
  /** Set when the whole job fails: the failure comment (a JobStatus… word). */
  failure?: string;
  expireUrls: boolean;
  /** Served once, then kept: serving again would reset their expiry. */
  urls?: string[];
  /** Caption drawn on the images, e.g. "U2 subtle". */
  label: string;
  /** For an upscale: the parent's image (1-based) it enlarges, drawn with the parent's seed. */
  sourceIndex?: number;
  /**
   * For a region redraw: the parent image it repaints and the mask's polygons as fractions of the
   * frame; its images are the parent's outside them and new inside.
   */
  region?: { parentId: string; imageNo: number; shapes: [number, number][][] };
  /** The images' pixel size where it is not `aspect` at `edge`: an outpaint's canvas, and what derives from one. */
  size?: Size;
  /**
   * For a zoom out or pan: the parent image it extends and where that image sits on the larger
   * canvas; its images are that image unchanged there, and new around it.
   */
  outpaint?: { parentId: string; imageNo: number; image: Layout['image'] };
}

export type JobPhase =
  { status: 0 } | { status: 1; fraction: number } | { status: 2; urlsReady: boolean } | { status: 3 };

/** Time in the "created" state before running: a tenth of the job, at most two seconds. */
function queuedMs(job: SimJob): number {
  return Math.min(2_000, job.durationMs / 10);
}

/**
 * Where a job is at simulated time `now`. After its duration it is done, but for `urlsLagMs`
 * more it reads status 2 with no URLs yet (the integrators' "SUCCESS before the URL" quirk).
 */
export function jobPhase(job: SimJob, now: number, urlsLagMs: number): JobPhase {
  const elapsed = now - job.createdAt;
  if (elapsed < queuedMs(job)) return { status: 0 };
  if (elapsed < job.durationMs)
    return { status: 1, fraction: (elapsed - queuedMs(job)) / (job.durationMs - queuedMs(job)) };
  if (job.failure !== undefined) return { status: 3 };
  return { status: 2, urlsReady: elapsed >= job.durationMs + urlsLagMs };
}

export function isFinished(job: SimJob, now: number): boolean {
  return now - job.createdAt >= job.durationMs;
}

/** Status comments: Cloudsway's examples are localised ("执行中", "成功"); Youchuan's doc names enums. */
export const COMMENTS = {
  localised: { 0: '已创建', 1: '执行中', 2: '成功', 3: '失败' },
  enum: { 0: 'JobStatusCreated', 1: 'JobStatusRunning', 2: 'JobStatusSuccess', 3: 'JobStatusFail' },
} as const;
