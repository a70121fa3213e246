import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { SimClock } from './clock.js';
import { CallbackSender } from './callbacks.js';
import { FaultQueue, faultSchema, type Fault } from './faults.js';

/** How often, in real time, a simulator that calls back looks for callbacks that have come due. */
const CALLBACK_TICK_MS = 20;

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** The only key the simulator accepts. Default `test-key`. */
  key?: string;
  /** Real seconds per simulated second: 0.01 makes a 40-second job take 0.4 s. Default 1. */
  timeScale?: number;
  /** Edge length in pixels of a generated 1:1 image (other ratios keep the area). Default 1024. */
  imageEdge?: number;
  /** Simulated job durations in seconds per speed, overriding the provider's typical ones. */
  durations?: Partial<Record<'fast' | 'relax' | 'turbo', number>>;
  /** Smallest size in bytes of a generated video (padded, still a valid MP4), to test attachment limits. */
  videoBytes?: number;
  /** Progress updates during a job (used by providers that report progress). Default 4. */
  progressSteps?: number;
  /** Retries after a failed callback delivery, and the simulated delays between them (ms). */
  callbackRetryDelaysMs?: number[];
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Raw body bytes. */
  body: Buffer;
  /** The fault that applies to this request, already consumed from the queue. */
  fault?: Fault;
}

export interface SimResponse {
  status: number;
  /** Serialised as JSON unless `raw` is given. */
  json?: unknown;
  raw?: { body: Buffer | string; contentType: string };
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  kind: RouteKind;
  status: number;
  at: number;
}

export type RouteKind = 'submit' | 'status' | 'other';

interface StoredFile {
  render: () => Promise<Buffer>;
  contentType: string;
  expiresAt: number;
  cached?: Promise<Buffer>;
}

/**
 * What every provider simulator shares: an HTTP server on loopback, a scaled clock, request
 * recording, fault injection, served image files that expire, callbacks with retries, and a
 * control API under `/__sim/`. Each provider adds its own routes, bodies and quirks.
 */
export abstract class ProviderSimulator {
  abstract readonly provider: string;
  /** The path a client configures as its base, after the origin (e.g. `/api/v1`). */
  abstract readonly basePath: string;

  readonly key: string;
  readonly clock: SimClock;
  readonly faults = new FaultQueue();
  readonly callbacks: CallbackSender;
  readonly requests: RecordedRequest[] = [];
  protected readonly options: Required<Omit<SimulatorOptions, 'durations'>> & Pick<SimulatorOptions, 'durations'>;
  private readonly files = new Map<string, StoredFile>();
  private server?: Server;
  private origin = '';
  private callbackTicker?: NodeJS.Timeout;

  constructor(options: SimulatorOptions = {}) {
    this.options = {
      port: 0,
      host: '127.0.0.1',
      key: 'test-key',
      timeScale: 1,
      imageEdge: 1024,
      progressSteps: 4,
      videoBytes: 0,
      callbackRetryDelaysMs: [30_000, 60_000, 120_000],
      ...options,
    };
    this.key = this.options.key;
    this.clock = new SimClock(this.options.timeScale);
    this.callbacks = new CallbackSender(this.clock, this.options.callbackRetryDelaysMs);
  }

  /** Handles one provider route; undefined means 404. */
  protected abstract handle(request: SimRequest): Promise<SimResponse | undefined>;
  /** Which kind of route a request is, so faults can target submits or status queries. */
  protected abstract classify(method: string, path: string): RouteKind;
  /** The provider's own answer for an HTTP-level fault (429, 5xx, credits, auth). */
  protected abstract faultResponse(fault: Fault): SimResponse;
  /**
   * Sends the callbacks that are due by the clock, for providers that call back. The kit runs it
   * every 20 ms from start to stop: a task ends in simulated time whether or not anyone polls it,
   * and a test may jump the clock forward.
   */
  protected sendDueCallbacks?(): void;

  /** The origin, e.g. `http://127.0.0.1:4100`. */
  get url(): string {
    return this.origin;
  }

  /** What a client configures as the base URL. */
  get baseUrl(): string {
    return this.origin + this.basePath;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.route(request, response));
    await new Promise<void>((resolve) => this.server!.listen(this.options.port, this.options.host, resolve));
    const address = this.server.address() as AddressInfo;
    this.origin = `http://${this.options.host}:${address.port}`;
    if (this.sendDueCallbacks) {
      this.callbackTicker = setInterval(() => this.sendDueCallbacks?.(), CALLBACK_TICK_MS);
      // A simulator left running must not keep a test process alive.
      this.callbackTicker.unref();
    }
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.callbackTicker);
    this.callbacks.stop();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Simulated job duration in ms for a speed. */
  protected durationMs(
    speed: 'fast' | 'relax' | 'turbo',
    typicalSeconds: Record<'fast' | 'relax' | 'turbo', number>,
  ): number {
    return (this.options.durations?.[speed] ?? typicalSeconds[speed]) * 1000;
  }

  /** Registers an image served under this simulator; returns its URL. Rendering is lazy and cached. */
  protected serveFile(name: string, render: () => Promise<Buffer>, contentType: string, lifetimeMs: number): string {
    this.files.set(name, { render, contentType, expiresAt: this.clock.now() + lifetimeMs });
    return `${this.origin}/files/${name}`;
  }

  /** The bytes of a served file, expired or not (the provider still has its own images), or undefined. */
  protected fileBytes(name: string): Promise<Buffer> | undefined {
    const file = this.files.get(name);
    if (!file) return undefined;
    file.cached ??= file.render();
    return file.cached;
  }

  /** Makes every file served so far expire now (the "expired result URLs" fault). */
  protected expireFiles(prefix = ''): void {
    for (const [name, file] of this.files) if (name.startsWith(prefix)) file.expiresAt = this.clock.now() - 1;
  }

  protected isAuthorised(request: SimRequest): boolean {
    return request.headers.authorization === `Bearer ${this.key}`;
  }

  protected newId(bytes = 12): string {
    return randomBytes(bytes).toString('hex');
  }

  protected parseJsonBody(request: SimRequest): { ok: true; value: unknown } | { ok: false } {
    try {
      return { ok: true, value: JSON.parse(request.body.toString('utf8')) as unknown };
    } catch {
      return { ok: false };
    }
  }

  private async route(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://sim');
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: SimRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: Buffer.concat(chunks),
    };
    let result: SimResponse;
    let kind: RouteKind = 'other';
    try {
      if (request.path.startsWith('/__sim/')) {
        result = this.control(request);
      } else if (request.path.startsWith('/files/')) {
        result = await this.file(request.path.slice('/files/'.length));
      } else {
        kind = this.classify(request.method, request.path);
        request.fault = this.faults.take(kind);
        const early = await this.applyFault(request.fault, response);
        if (early === 'hung') return;
        result = early ??
          (await this.handle(request)) ?? {
            status: 404,
            json: { message: `no route ${request.method} ${request.path}` },
          };
        if (request.fault?.kind === 'slow_response') await sleep(request.fault.delayMs ?? 2_000);
      }
    } catch (error) {
      result = { status: 500, json: { message: `simulator error: ${(error as Error).message}` } };
    }
    if (kind !== 'other' || !request.path.startsWith('/__sim/')) {
      this.requests.push({ method: request.method, path: request.path, kind, status: result.status, at: Date.now() });
    }
    this.write(response, result);
  }

  /** Applies a generic fault; returns a response to send instead, 'hung' for a timeout, or undefined. */
  private async applyFault(
    fault: Fault | undefined,
    response: ServerResponse,
  ): Promise<SimResponse | 'hung' | undefined> {
    if (!fault) return undefined;
    switch (fault.kind) {
      case 'slow':
        await sleep(fault.delayMs ?? 2_000);
        return undefined;
      case 'timeout':
        // Never answer; the client's own timeout must fire. The socket closes when the client gives up.
        response.on('close', () => undefined);
        return 'hung';
      case 'malformed_json':
        return { status: 200, raw: { body: '{"code":200,"data":{"taskId":', contentType: 'application/json' } };
      case 'rate_limited':
      case 'server_error':
      case 'credits':
      case 'auth':
        return this.faultResponse(fault);
      case 'content_rejected':
      case 'expired_urls':
      case 'slow_response':
        return undefined; // provider logic, or the answer's delivery, reads request.fault
    }
  }

  private async file(name: string): Promise<SimResponse> {
    const file = this.files.get(name);
    if (!file) return { status: 404, raw: { body: 'Not Found', contentType: 'text/plain' } };
    if (this.clock.now() > file.expiresAt)
      return { status: 403, raw: { body: 'Request has expired', contentType: 'text/plain' } };
    file.cached ??= file.render();
    return { status: 200, raw: { body: await file.cached, contentType: file.contentType } };
  }

  private control(request: SimRequest): SimResponse {
    const route = `${request.method} ${request.path}`;
    const body = this.parseJsonBody(request);
    switch (route) {
      case 'POST /__sim/faults': {
        const parsed = faultSchema.safeParse(body.ok ? body.value : undefined);
        if (!parsed.success) return { status: 400, json: { error: z.prettifyError(parsed.error) } };
        this.faults.add(parsed.data);
        if (parsed.data.kind === 'expired_urls' && parsed.data.target === 'existing') this.expireFiles();
        return { status: 200, json: { queued: this.faults.size } };
      }
      case 'DELETE /__sim/faults':
        this.faults.clear();
        return { status: 200, json: { queued: 0 } };
      case 'GET /__sim/requests':
        return { status: 200, json: { requests: this.requests } };
      case 'GET /__sim/callbacks':
        return { status: 200, json: { deliveries: this.callbacks.deliveries } };
      case 'POST /__sim/clock/advance': {
        const parsed = z.object({ ms: z.number().nonnegative() }).safeParse(body.ok ? body.value : undefined);
        if (!parsed.success) return { status: 400, json: { error: 'expects {"ms": number}' } };
        this.clock.advance(parsed.data.ms);
        return { status: 200, json: { now: this.clock.now() } };
      }
      default:
        return { status: 404, json: { error: `unknown control route ${route}` } };
    }
  }

  private write(response: ServerResponse, result: SimResponse): void {
    if (response.writableEnded || response.destroyed) return;
    const headers: Record<string, string> = { ...result.headers };
    let body: Buffer | string = '';
    if (result.raw) {
      headers['content-type'] = result.raw.contentType;
      body = result.raw.body;
    } else if (result.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(result.json);
    }
    response.writeHead(result.status, headers);
    response.end(body);
  }
}
