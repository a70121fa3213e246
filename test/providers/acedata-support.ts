import sharp from 'sharp';
import { request } from 'undici';
import { createLogger, type Logger } from '../../src/logger.js';
import { AcedataAdapter } from '../../src/providers/acedata.js';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import type { CallOptions } from '../../src/providers/types.js';
import { AcedataSimulator, type AcedataSimulatorOptions } from '../../src/sandbox/providers/acedata-simulator.js';
import type { Fault } from '../../src/sandbox/providers/kit/faults.js';
import { makeAdapterFor } from './support.js';

export const KEY = 'ace-secret-key-0123456789';
export const EDGE = 64;

export function prompt(text: string, params: ParsedPrompt['params'] = {}, imageUrls: string[] = []): ParsedPrompt {
  return { text, imageUrls, params };
}

export function silentLogger(): Logger {
  return createLogger({ level: 'silent' });
}

export async function startSimulator(options: AcedataSimulatorOptions = {}): Promise<AcedataSimulator> {
  return new AcedataSimulator({
    key: KEY,
    timeScale: 0.001,
    imageEdge: EDGE,
    callbackRetryDelaysMs: [20_000, 40_000],
    ...options,
  }).start();
}

export const adapterFor = makeAdapterFor(AcedataAdapter, (simulator: AcedataSimulator) => ({
  baseUrl: simulator.baseUrl,
  key: KEY,
  logger: silentLogger(),
}));

export function call(extra: Partial<CallOptions> = {}): CallOptions {
  return { signal: AbortSignal.timeout(10_000), ...extra };
}

export function inject(simulator: AcedataSimulator, fault: Partial<Fault> & Pick<Fault, 'kind'>): void {
  simulator.faults.add({ on: 'any', count: 1, target: 'next', ...fault });
}

/** Downloads an image and reads its format and size. */
export async function fetchImage(
  url: string,
): Promise<{ status: number; format?: string; width?: number; height?: number }> {
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
