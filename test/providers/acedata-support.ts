import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { request } from 'undici';
import { createLogger, type Logger } from '../../src/logger.js';
import { AcedataAdapter } from '../../src/providers/acedata.js';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import type { ActionKind, AdapterOptions, CallOptions, ParentTask, TaskUpdate } from '../../src/providers/types.js';
import { AcedataSimulator, type AcedataSimulatorOptions } from '../../src/sandbox/providers/acedata.js';
import type { Fault } from '../../src/sandbox/providers/kit/faults.js';

export const KEY = 'ace-secret-key-0123456789';
export const EDGE = 64;

export function prompt(text: string, params: ParsedPrompt['params'] = {}, imageUrls: string[] = []): ParsedPrompt {
  return { text, imageUrls, params };
}

export function silentLogger(): Logger {
  return createLogger({ level: 'silent' });
}

/** A logger whose every line lands in `lines`. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', destination }), lines };
}

export async function startSimulator(options: AcedataSimulatorOptions = {}): Promise<AcedataSimulator> {
  return new AcedataSimulator({ key: KEY, timeScale: 0.001, imageEdge: EDGE, callbackRetryDelaysMs: [20_000, 40_000], ...options }).start();
}

export function adapterFor(simulator: AcedataSimulator, overrides: Partial<AdapterOptions> = {}): AcedataAdapter {
  return new AcedataAdapter({ baseUrl: simulator.baseUrl, key: KEY, logger: silentLogger(), ...overrides });
}

export function call(extra: Partial<CallOptions> = {}): CallOptions {
  return { signal: AbortSignal.timeout(10_000), ...extra };
}

export function inject(simulator: AcedataSimulator, fault: Partial<Fault> & Pick<Fault, 'kind'>): void {
  simulator.faults.add({ on: 'any', count: 1, target: 'next', ...fault });
}

/** Polls until the task has finished or failed. */
export async function settle(adapter: AcedataAdapter, taskId: string, seen: TaskUpdate[] = []): Promise<TaskUpdate> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const update = await adapter.status(taskId, call());
    seen.push(update);
    if (update.state === 'succeeded' || update.state === 'failed') return update;
    await sleep(5);
  }
  throw new Error(`task ${taskId} never settled`);
}

/** The parent a follow-up needs, built from a finished update as the job service would. */
export function parentOf(update: TaskUpdate, action: ActionKind, parsed: ParsedPrompt, handle = update.handle): ParentTask {
  return {
    action,
    taskId: update.taskId,
    handle,
    prompt: parsed,
    imageCount: update.images?.length === 1 ? 1 : 4,
    loadImage: () => Promise.reject(new Error('not used by AceData')),
  };
}

/** Downloads an image and reads its format and size. */
export async function fetchImage(url: string): Promise<{ status: number; format?: string; width?: number; height?: number }> {
  const response = await request(url);
  const bytes = Buffer.from(await response.body.arrayBuffer());
  if (response.statusCode !== 200) return { status: response.statusCode };
  const meta = await sharp(bytes).metadata();
  return { status: 200, format: meta.format, width: meta.width, height: meta.height };
}

export function urlOf(image: { kind: string; url?: string } | undefined): string {
  if (!image || image.kind !== 'url' || !image.url) throw new Error(`not a URL image: ${JSON.stringify(image)}`);
  return image.url;
}
