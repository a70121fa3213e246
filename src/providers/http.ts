import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, errors as undiciErrors, request, type Dispatcher, type FormData } from 'undici';
import type { z } from 'zod';
import type { Logger } from '../logger.js';
import { codeForStatus, parseRetryAfter, ProviderError } from './errors.js';
import type { AdapterOptions } from './types.js';

/** Maps a non-2xx answer to a ProviderError; return undefined to fall back to the status code's mapping. */
export type ErrorMapper = (
  status: number,
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
) => ProviderError | undefined;

export interface ProviderHttpOptions {
  /** Provider id, for error messages and logs. */
  provider: string;
  baseUrl: string;
  /** Headers sent with every request (the Authorization header lives here, never in a URL). */
  headers: Record<string, string>;
  dispatcher?: Dispatcher;
  timeouts?: { connect?: number; headers?: number; body?: number };
  logger: Logger;
  mapError?: ErrorMapper;
  /** Attempts for retryable calls, including the first. Default 3. */
  attempts?: number;
  /** First backoff delay in ms (doubled each attempt, with jitter). Default 400. */
  backoffMs?: number;
  /** A Retry-After longer than this is not waited out here; the error carries it to the caller. Default 20 s. */
  maxWaitMs?: number;
  /** Largest response body read, in bytes. Default 64 MiB (Image-1 returns several base64 images). */
  maxBodyBytes?: number;
}

export interface ProviderRequest<Schema extends z.ZodType> {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  schema: Schema;
  /**
   * 'idempotent': safe to send again (status queries).
   * 'submit': creates something; resent only when the provider certainly did not take it
   * (connection refused before sending, or an explicit 429/503 refusal).
   */
  kind: 'idempotent' | 'submit';
  signal: AbortSignal;
}

const DEFAULT_TIMEOUTS = { connect: 5_000, headers: 30_000, body: 60_000 };

/** Keep-alive agents are shared per process: one connection pool per origin is what undici wants. */
let sharedAgent: Agent | undefined;
function defaultAgent(connectTimeout: number): Agent {
  sharedAgent ??= new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connect: { timeout: connectTimeout },
  });
  return sharedAgent;
}

/** Errors where the request certainly never reached the provider. */
function neverSent(error: unknown): boolean {
  if (error instanceof undiciErrors.ConnectTimeoutError) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function isTimeout(error: unknown): boolean {
  return error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
}

/**
 * The one HTTP client every adapter uses: undici with keep-alive, timeouts, an AbortSignal on every
 * call, zod-parsed bodies, error mapping to stable codes, and retries only where they are safe.
 */
export class ProviderHttp {
  private readonly options: Required<Omit<ProviderHttpOptions, 'dispatcher' | 'mapError' | 'timeouts'>> &
    ProviderHttpOptions;
  private readonly timeouts: typeof DEFAULT_TIMEOUTS;
  private readonly dispatcher: Dispatcher;

  constructor(options: ProviderHttpOptions) {
    this.options = { attempts: 3, backoffMs: 400, maxWaitMs: 20_000, maxBodyBytes: 64 * 1024 * 1024, ...options };
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.dispatcher = options.dispatcher ?? defaultAgent(this.timeouts.connect);
  }

  /** Sends a request and returns its body parsed by `schema`. Throws ProviderError on every failure. */
  async send<Schema extends z.ZodType>(call: ProviderRequest<Schema>): Promise<z.infer<Schema>> {
    const label = `${this.options.provider} ${call.method} ${call.path}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once(call, label);
      } catch (error) {
        const failure = this.toProviderError(error, label);
        const mayRetry =
          attempt < this.options.attempts &&
          !call.signal.aborted &&
          // A submit is sent again only when the provider certainly did not take it: refused as busy
          // (429 that is a rate limit, not "out of quota"; 503) or never reached.
          (call.kind === 'idempotent'
            ? failure.retryable
            : (failure.status === 429 && failure.code === 'rate_limited') ||
              failure.status === 503 ||
              neverSent(error));
        const wait = failure.retryAfterMs ?? this.backoff(attempt);
        if (!mayRetry || wait > this.options.maxWaitMs) throw failure;
        this.options.logger.debug(
          { provider: this.options.provider, path: call.path, attempt, waitMs: wait, code: failure.code },
          'retrying provider request',
        );
        await sleep(wait, undefined, { signal: call.signal }).catch(() => undefined);
        if (call.signal.aborted) throw failure;
      }
    }
  }

  private backoff(attempt: number): number {
    const base = this.options.backoffMs * 2 ** (attempt - 1);
    return Math.round(base / 2 + Math.random() * base);
  }

  private async once<Schema extends z.ZodType>(call: ProviderRequest<Schema>, label: string): Promise<z.infer<Schema>> {
    const url = new URL(this.options.baseUrl.replace(/\/+$/, '') + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    let body: string | FormData | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.form) {
      body = call.form;
    }
    const response = await request(url, {
      method: call.method,
      headers,
      body,
      signal: call.signal,
      dispatcher: this.dispatcher,
      headersTimeout: this.timeouts.headers,
      bodyTimeout: this.timeouts.body,
    });
    const text = await this.readBody(response.body, label);
    const parsed = parseJson(text);
    if (response.statusCode >= 400) {
      const mapped = this.options.mapError?.(response.statusCode, parsed.ok ? parsed.value : text, response.headers);
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      if (mapped)
        throw withRetryAfter(mapped, retryAfterMs, response.statusCode, this.withRoute(mapped.message, label));
      throw new ProviderError(codeForStatus(response.statusCode), `${label}: HTTP ${response.statusCode}`, {
        status: response.statusCode,
        providerMessage: text.slice(0, 300),
        retryAfterMs,
      });
    }
    if (!parsed.ok) {
      throw new ProviderError('transient', `${label}: response is not JSON`, {
        status: response.statusCode,
        providerMessage: text.slice(0, 200),
      });
    }
    const result = call.schema.safeParse(parsed.value);
    if (!result.success) {
      throw new ProviderError(
        'unknown',
        `${label}: unexpected response shape: ${result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
        {
          status: response.statusCode,
          providerMessage: text.slice(0, 300),
        },
      );
    }
    return result.data;
  }

  private async readBody(body: Dispatcher.ResponseData['body'], label: string): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > this.options.maxBodyBytes) {
        body.destroy();
        throw new ProviderError('unknown', `${label}: response larger than ${this.options.maxBodyBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * The error mapper sees only the status and body, so the route goes into its message here: a
   * leading provider name becomes `<provider> <METHOD> <path>`, anything else gets it in front.
   */
  private withRoute(message: string, label: string): string {
    if (message.startsWith(label)) return message;
    const provider = this.options.provider;
    return message.startsWith(provider) ? `${label}${message.slice(provider.length)}` : `${label}: ${message}`;
  }

  private toProviderError(error: unknown, label: string): ProviderError {
    if (error instanceof ProviderError) return error;
    if (isTimeout(error))
      return new ProviderError('transient', `${label}: timed out waiting for the provider`, { cause: error });
    if ((error as { name?: string } | undefined)?.name === 'AbortError') {
      return new ProviderError('transient', `${label}: aborted`, { cause: error });
    }
    if (neverSent(error)) return new ProviderError('transient', `${label}: could not connect`, { cause: error });
    return new ProviderError('transient', `${label}: ${(error as Error).message ?? 'request failed'}`, {
      cause: error,
    });
  }
}

/** The client every adapter builds: its options, Bearer authentication, and its provider's error mapping. */
export function bearerHttp(
  provider: string,
  options: AdapterOptions,
  mapError: ErrorMapper,
  overrides: Partial<Pick<ProviderHttpOptions, 'baseUrl' | 'timeouts'>> = {},
): ProviderHttp {
  return new ProviderHttp({
    provider,
    baseUrl: overrides.baseUrl ?? options.baseUrl,
    headers: { authorization: `Bearer ${options.key}` },
    dispatcher: options.dispatcher,
    timeouts: overrides.timeouts ?? options.timeouts,
    logger: options.logger,
    mapError,
  });
}

function withRetryAfter(
  error: ProviderError,
  retryAfterMs: number | undefined,
  status: number,
  message: string,
): ProviderError {
  if (
    (retryAfterMs === undefined || error.retryAfterMs !== undefined) &&
    error.status !== undefined &&
    message === error.message
  )
    return error;
  return new ProviderError(error.code, message, {
    userMessage: error.userMessage,
    status: error.status ?? status,
    providerCode: error.providerCode,
    providerMessage: error.providerMessage,
    retryAfterMs: error.retryAfterMs ?? retryAfterMs,
    cause: error.cause,
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
