/** Helpers the provider tests share (AceData's own are in acedata-support.ts). */
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { request } from 'undici';
import { expect } from 'vitest';
import { createLogger, type Logger } from '../../src/logger.js';
import { parsePrompt } from '../../src/prompt/parse.js';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import { ProviderError } from '../../src/providers/errors.js';
import type { ActionKind, AdapterOptions, ParentTask, ProviderAdapter, TaskUpdate } from '../../src/providers/types.js';
import type { Fault } from '../../src/sandbox/providers/kit/faults.js';

/** The first prompt `input` parses to, as /imagine would; a test prompt that does not parse is a broken test. */
export function prompt(input: string): ParsedPrompt {
  const parsed = parsePrompt(input);
  if (!parsed.ok) throw new Error(`test prompt does not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.prompts[0]!;
}

/** Arms a fault through a simulator's control API. */
export async function inject(simulator: { url: string }, fault: Partial<Fault> & Pick<Fault, 'kind'>): Promise<void> {
  const response = await request(`${simulator.url}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.statusCode).toBe(200);
  await response.body.dump();
}

/** An adapter class: its options and, for APIXO and Kie, that provider's own settings. */
type AdapterClass<Adapter, Settings> = new (options: AdapterOptions, settings?: Partial<Settings>) => Adapter;

/** What one test changes: any adapter option (key, logger, timeouts…) and the adapter's settings. */
export type AdapterOverrides<Settings = never> = Partial<AdapterOptions> & { settings?: Partial<Settings> };

/**
 * A test file's `adapterFor(simulator, overrides?)`: its adapter pointed at a simulator with the
 * file's own options (where the simulator's base URL is, the key, the logger), and one test's
 * overrides on top.
 */
export function makeAdapterFor<Simulator, Adapter, Settings = never>(
  Adapter: AdapterClass<Adapter, Settings>,
  defaults: (simulator: Simulator) => AdapterOptions,
): (simulator: Simulator, overrides?: AdapterOverrides<Settings>) => Adapter {
  return (simulator, { settings, ...options } = {}) => new Adapter({ ...defaults(simulator), ...options }, settings);
}

/** Polls until the task has succeeded or failed (simulators in these tests run 1000× faster than real time). */
export async function finish(
  adapter: Pick<ProviderAdapter, 'status'>,
  taskId: string,
  options: { within?: number; seen?: TaskUpdate[] } = {},
): Promise<TaskUpdate> {
  const deadline = Date.now() + (options.within ?? 5_000);
  for (;;) {
    const update = await adapter.status(taskId, { signal: AbortSignal.timeout(10_000) });
    options.seen?.push(update);
    if (update.state === 'succeeded' || update.state === 'failed') return update;
    if (Date.now() > deadline) throw new Error(`task ${taskId} is still ${update.state}`);
    await sleep(5);
  }
}

/**
 * The parent a follow-up needs, built from a finished update as the job service builds it from a
 * job: its handle, as many images as it produced, and a loadImage that reads them (decoding base64,
 * downloading URLs) and records each index it was asked for.
 */
export function parentOf(
  update: TaskUpdate,
  action: ActionKind,
  parsed: ParsedPrompt,
  extra: Partial<ParentTask> = {},
): ParentTask & { loads: number[] } {
  const images = update.images ?? [];
  const loads: number[] = [];
  return {
    action,
    taskId: update.taskId,
    handle: update.handle,
    prompt: parsed,
    imageCount: update.images?.length ?? 4,
    loads,
    async loadImage(index) {
      loads.push(index);
      const image = images[index - 1];
      if (image?.kind === 'base64') return { bytes: Buffer.from(image.data, 'base64'), contentType: image.contentType };
      if (image?.kind !== 'url') throw new Error(`the parent has no image ${index}`);
      const { status, bytes, contentType } = await fetchImage(image.url);
      if (status !== 200) throw new Error(`image ${index} answered HTTP ${status}`);
      return { bytes, contentType };
    },
    ...extra,
  };
}

/** The URL of an update's image (0-based); a test that expects a URL and gets none is a failing test. */
export function urlOf(update: TaskUpdate, index: number): string {
  const image = update.images?.[index];
  if (image?.kind !== 'url') throw new Error(`image ${index} is not a URL`);
  return image.url;
}

export async function fetchImage(url: string): Promise<{ status: number; bytes: Buffer; contentType: string }> {
  const response = await request(url);
  return {
    status: response.statusCode,
    bytes: Buffer.from(await response.body.arrayBuffer()),
    contentType: String(response.headers['content-type']),
  };
}

/** Downloads a PNG, checks that it is one, and reads its size. */
export async function pngSize(url: string): Promise<{ width: number; height: number }> {
  const { status, bytes } = await fetchImage(url);
  expect(status).toBe(200);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const metadata = await sharp(bytes).metadata();
  return { width: metadata.width, height: metadata.height };
}

/** The ProviderError `promise` rejects with; resolving, or rejecting with anything else, fails the test. */
export async function providerErrorOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** The ProviderError `promise` rejects with, checked to carry `code`. */
export async function expectProviderError(
  promise: Promise<unknown>,
  code: ProviderError['code'],
): Promise<ProviderError> {
  const error = await providerErrorOf(promise);
  expect(error.code).toBe(code);
  return error;
}

/** A trace-level logger whose every line lands in `lines`, for tests that check what is written. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    logger: createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } }),
    lines,
  };
}
