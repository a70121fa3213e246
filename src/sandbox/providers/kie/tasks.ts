/** One Kie task as the simulator keeps it. Its state is derived from the clock, never stored. */
export interface KieTask {
  id: string;
  /** The generate taskType, or the simulator's own names for follow-ups (not documented by Kie). */
  taskType: string;
  /** The request as received: record-info's `paramJson` and the callback's `promptJson` come from it. */
  params: Record<string, unknown>;
  prompt: string;
  speed: 'relaxed' | 'fast' | 'turbo';
  createdAt: number;
  durationMs: number;
  imageCount: number;
  /** Video tasks (mj_video, extensions): their files are MP4 videos, `imageCount` of them. */
  video?: boolean;
  aspect: string;
  seed: number;
  /** Edge multiplier: upscales are larger. */
  scale: number;
  /** For upscale and vary: the grid task and its 1-based image. */
  parent?: { taskId: string; index: number };
  /** successFlag 2 or 3 with Kie's errorCode / errorMessage, after `afterMs`. */
  failure?: { successFlag: 2 | 3; errorCode: number; errorMessage: string; afterMs: number };
  callbackUrl?: string;
  callbacksSent: number;
  lastCallbackAt?: number;
  expireUrls: boolean;
  urls?: string[];
}

/** successFlag: 0 generating, 1 success, 2 failed, 3 generation failed. Kie has no queued state. */
export function successFlagAt(task: KieTask, now: number): 0 | 1 | 2 | 3 {
  const age = now - task.createdAt;
  if (task.failure && age >= task.failure.afterMs) return task.failure.successFlag;
  if (!task.failure && age >= task.durationMs) return 1;
  return 0;
}

export function completedAt(task: KieTask): number {
  return task.createdAt + (task.failure ? task.failure.afterMs : task.durationMs);
}

/** Typical seconds by speed (the brief's "fast ~40 s, turbo ~20 s, relaxed ~120 s"). */
export const TYPICAL_SECONDS: Readonly<Record<KieTask['speed'], number>> = { fast: 40, turbo: 20, relaxed: 120 };

/** FNV-1a: a stable number from a string, for seeds and per-task jitter. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Typical seconds ±15 %, picked per task from its id. */
export function jittered(taskId: string, typicalSeconds: number): number {
  const fraction = (hashString(`duration:${taskId}`) % 1000) / 1000;
  return typicalSeconds * (0.85 + 0.3 * fraction);
}

export function labelFor(task: KieTask, index: number): string {
  if (task.video) return `${task.taskType} #${index}`;
  if (task.taskType === 'mj_upscale') return `U${task.parent?.index ?? 0}`;
  if (task.taskType === 'mj_vary') return `V${task.parent?.index ?? 0} #${index}`;
  return `#${index}`;
}
