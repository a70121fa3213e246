import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../config.js';
import type { Logger } from '../logger.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderAdapter, TaskUpdate } from '../providers/types.js';
import { isStoreUnavailable } from '../store/errors.js';
import type { Stores } from '../store/stores.js';
import { jobIdSchema, type Job } from './job.js';
import type { JobService } from './service.js';

const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Bounds on what a caller can hold open. Providers send one small JSON body and wait at most 15 s
 * (Kie) or 30 s (APIXO) for the answer; anything slower or more numerous is not a provider.
 */
export const CALLBACK_LIMITS = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
};
/** Asked to send again (a callback that came before its task id was recorded): when. */
const RETRY_AFTER_SECONDS = 30;
const pathSchema = z.tuple([
  z.literal('callbacks'),
  z.enum(PROVIDER_IDS),
  jobIdSchema,
  z.string().regex(/^[a-f0-9]{32}$/),
]);

/** The URL a provider calls back for a job: its provider, its id and its own secret. */
export function callbackUrl(
  publicBaseUrl: string,
  job: Pick<Job, 'provider' | 'id' | 'callbackSecret'>,
): string | undefined {
  if (!job.callbackSecret) return undefined;
  return `${publicBaseUrl.replace(/\/+$/, '')}/callbacks/${job.provider}/${job.id}/${job.callbackSecret}`;
}

/**
 * The receiver's port is taken, most often by another bot process on the same host: each process
 * needs its own CALLBACK_PORT (or 0 for a free one, behind a proxy that knows it).
 */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly code = 'port_in_use';

  constructor(
    readonly port: number,
    host: string,
    cause: unknown,
  ) {
    super(
      `CALLBACK_PORT ${port} is already in use on ${host} (another bot process on this host?): give each process its own CALLBACK_PORT, or 0 for a free port`,
      { cause },
    );
  }
}

function sameSecret(expected: string | undefined, given: string): boolean {
  if (!expected || expected.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/**
 * Receives provider callbacks: `POST /callbacks/<provider>/<jobId>/<secret>`. Only a known job
 * with the matching per-job secret is accepted; the body is parsed by that provider's adapter.
 * Repeats and retries are harmless: a finished job ignores further updates, and we answer 200 so
 * the provider stops retrying.
 */
export class CallbackServer {
  private server?: Server;
  port = 0;

  constructor(
    private readonly options: {
      stores: Stores;
      jobs: JobService;
      adapters: ReadonlyMap<ProviderId, ProviderAdapter>;
      logger: Logger;
      /** Tighter bounds for tests; production uses CALLBACK_LIMITS. */
      limits?: Partial<typeof CALLBACK_LIMITS>;
      /** Other routes on this port (`/healthz`, `/readyz`, `/metrics`): true when answered. */
      routes?: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
    },
  ) {}

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const limits = { ...CALLBACK_LIMITS, ...this.options.limits };
    // Node checks the two timeouts on a timer of its own (every 30 s by default): check every
    // second, so a stalled caller is closed close to its deadline.
    const options = {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: 1_000,
    };
    this.server = createServer(options, (request, response) => {
      // The one place this server's errors end: whatever a request does, it gets an answer (or
      // its socket is closed) and nothing is left to reject unhandled.
      this.handle(request, response).catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'callback handling failed');
        if (!response.headersSent)
          response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
        else response.destroy();
      });
    });
    this.server.maxConnections = limits.maxConnections;
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, host, error) : error);
      server.once('error', failed);
      server.listen(port, host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const answer = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (this.options.routes && (await this.options.routes(request, response))) return;
    // `//`, `http://x:y` and other targets `new URL` refuses are answered, not thrown.
    const url = URL.parse(request.url ?? '/', 'http://callback');
    if (!url) return answer(400, { error: 'malformed request target' });
    const path = pathSchema.safeParse(url.pathname.split('/').filter(Boolean));
    if (request.method !== 'POST' || !path.success) return answer(404, { error: 'not found' });
    const [, provider, jobId, secret] = path.data;
    const job = await this.options.stores.jobs.get(jobId);
    // Unknown job, other provider or wrong secret all look the same from outside.
    if (!job || job.provider !== provider || !sameSecret(job.callbackSecret, secret))
      return answer(404, { error: 'not found' });
    const body = await readBody(request);
    if (body === undefined) return answer(413, { error: 'body too large' });
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(400, { error: 'body is not JSON' });
    }
    const adapter = this.options.adapters.get(provider);
    const logger = this.options.logger.child({ jobId, provider });
    if (!adapter?.parseCallback) return answer(404, { error: 'not found' });
    let update: TaskUpdate;
    try {
      update = adapter.parseCallback(parsedJson);
    } catch (error) {
      logger.warn({ err: error }, 'callback body rejected');
      return answer(400, { error: error instanceof ProviderError ? 'unrecognised callback body' : 'bad request' });
    }
    try {
      const outcome = await this.options.jobs.applyCallback(jobId, update);
      logger.info({ state: update.state, outcome }, 'callback received');
      if (outcome === 'retry_later') {
        // The task is not recorded yet (its submit is still returning, or was cut off): the
        // provider's own retry brings the callback back once it is.
        response.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
        return answer(503, { error: 'not ready for this task yet; send it again later' });
      }
      return answer(200, { ok: true });
    } catch (error) {
      // Our store failed, not the provider: it sends the callback again after a 5xx.
      if (!isStoreUnavailable(error)) throw error;
      logger.warn({ err: error }, 'could not apply a callback now');
      response.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      return answer(503, { error: 'temporarily unavailable; send it again later' });
    }
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
