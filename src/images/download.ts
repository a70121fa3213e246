import { Agent, request, type Dispatcher } from 'undici';
import type { StoredImage } from '../jobs/job.js';
import type { ResultImage } from '../providers/types.js';
import { classifyContentType, IMAGE_CONTENT_TYPES, sniffImageType, type ImageContentType } from './content-type.js';
import { describeUrl, looksLikeSignedUrl } from './url.js';

export const IMAGE_DOWNLOAD_ERROR_CODES = [
  'too_large',
  'bad_type',
  'http_status',
  'timeout',
  'network',
  'expired',
  'bad_url',
] as const;
export type ImageDownloadErrorCode = (typeof IMAGE_DOWNLOAD_ERROR_CODES)[number];

/**
 * Getting an image's bytes failed. `code` is stable; `message` names the URL's host and path
 * (never its query, which may hold a signature).
 */
export class ImageDownloadError extends Error {
  readonly code: ImageDownloadErrorCode;
  /** The HTTP status, when an answer came back. */
  readonly status?: number;

  constructor(code: ImageDownloadErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImageDownloadError';
    this.code = code;
    this.status = options.status;
  }
}

export const DEFAULT_DOWNLOAD_MAX_BYTES = 25 * 1024 * 1024;
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Statuses a signed link answers once its signature has run out (S3 and Discord say 403). */
const EXPIRED_STATUSES = new Set([403, 404, 410]);

/**
 * Our own keep-alive agent, never undici's process-wide one: discord.js ships another undici
 * version that may have installed its agent there first.
 */
let sharedAgent: Agent | undefined;
function downloadAgent(): Agent {
  sharedAgent ??= new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 10_000 } });
  return sharedAgent;
}

export interface DownloadOptions {
  signal: AbortSignal;
  /** Largest body accepted. Default 25 MiB. */
  maxBytes?: number;
  /** Deadline for the whole download, redirects and body included. Default 20 s. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

export interface DownloadedImage {
  bytes: Buffer;
  /** Read from the bytes themselves, so a mislabelled file still gets its true type. */
  contentType: ImageContentType;
}

/**
 * Downloads one image over http(s), bounded in size and time. Redirects are followed by hand (at
 * most 3) so every hop's scheme is checked. Throws ImageDownloadError; if the caller's own signal
 * aborts, its reason is thrown unchanged.
 */
export async function downloadImage(url: string, options: DownloadOptions): Promise<DownloadedImage> {
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS);
  const signal = AbortSignal.any([options.signal, deadline]);
  let current = httpUrl(url);
  for (let redirects = 0; ; redirects += 1) {
    const label = `GET ${describeUrl(current)}`;
    try {
      const response = await request(current, {
        method: 'GET',
        headers: { accept: IMAGE_CONTENT_TYPES.join(', ') },
        signal,
        dispatcher: options.dispatcher ?? downloadAgent(),
      });
      if (!REDIRECT_STATUSES.has(response.statusCode)) return await readImage(response, current, label, maxBytes);
      await discard(response.body);
      const location = firstHeader(response.headers.location);
      if (!location)
        throw new ImageDownloadError('http_status', `${label}: HTTP ${response.statusCode} without a location`, {
          status: response.statusCode,
        });
      if (redirects >= MAX_REDIRECTS)
        throw new ImageDownloadError('http_status', `${label}: more than ${MAX_REDIRECTS} redirects`, {
          status: response.statusCode,
        });
      current = httpUrl(location, current);
    } catch (error) {
      throw toDownloadError(error, label, options.signal, deadline);
    }
  }
}

async function readImage(
  response: Dispatcher.ResponseData,
  url: URL,
  label: string,
  maxBytes: number,
): Promise<DownloadedImage> {
  const status = response.statusCode;
  if (status < 200 || status > 299) {
    await discard(response.body);
    const expired = EXPIRED_STATUSES.has(status) && (status === 410 || looksLikeSignedUrl(url));
    throw new ImageDownloadError(
      expired ? 'expired' : 'http_status',
      `${label}: HTTP ${status}${expired ? ' (the link has expired)' : ''}`,
      { status },
    );
  }
  const declared = classifyContentType(response.headers['content-type']);
  if (declared === 'refused') {
    await discard(response.body);
    throw new ImageDownloadError(
      'bad_type',
      `${label}: content-type ${firstHeader(response.headers['content-type'])} is not an image`,
      { status },
    );
  }
  const length = Number(firstHeader(response.headers['content-length']));
  if (length > maxBytes) {
    abandon(response.body);
    throw new ImageDownloadError('too_large', `${label}: ${length} bytes is over the ${maxBytes} byte limit`, {
      status,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    // Content-length may be absent (chunked) or wrong; the stream is the truth.
    if (size > maxBytes) {
      abandon(response.body);
      throw new ImageDownloadError('too_large', `${label}: body passed the ${maxBytes} byte limit`, { status });
    }
    chunks.push(chunk as Buffer);
  }
  return asImage(Buffer.concat(chunks, size), label, maxBytes);
}

/** Checks bytes that claim to be an image: within the limit, and one of the four types by their magic number. */
function asImage(bytes: Buffer, label: string, maxBytes: number): DownloadedImage {
  if (bytes.length > maxBytes)
    throw new ImageDownloadError('too_large', `${label}: ${bytes.length} bytes is over the ${maxBytes} byte limit`);
  const contentType = sniffImageType(bytes);
  if (!contentType)
    throw new ImageDownloadError(
      'bad_type',
      `${label}: the ${bytes.length} bytes are not a PNG, JPEG, WebP or GIF image`,
    );
  return { bytes, contentType };
}

function httpUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch (error) {
    throw new ImageDownloadError(
      'bad_url',
      `${base ? `GET ${describeUrl(base)}: redirect` : 'image URL'} is not a valid URL`,
      { cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const origin = base ? `GET ${describeUrl(base)}: redirect to` : 'image URL uses';
    throw new ImageDownloadError('bad_url', `${origin} ${url.protocol} scheme; only http and https are fetched`);
  }
  return url;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Drops a body mid-stream. undici reports a destroyed body as an 'error' event, which would crash
 * the process if nobody listened; the failure is already being thrown to the caller.
 */
function abandon(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Reads away a small body so the connection can be reused; a large or broken one is just dropped. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

function toDownloadError(error: unknown, label: string, callerSignal: AbortSignal, deadline: AbortSignal): unknown {
  if (error instanceof ImageDownloadError) return error;
  // The caller gave up (shutdown, job cancelled): that is theirs to handle, not a download failure.
  if (callerSignal.aborted) return callerSignal.reason;
  if (deadline.aborted)
    return new ImageDownloadError('timeout', `${label}: no complete answer within the deadline`, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  return new ImageDownloadError('network', `${label}: ${reason}`, { cause: error });
}

/** An image as a provider returns it or as a job stores it (`blob` is bytes kept in the bot's store). */
export type LoadableImage = ResultImage | StoredImage;

export interface LoadImageOptions extends DownloadOptions {
  /** Reads a stored blob; required only when `blob` images can occur. */
  loadBlob?: (blobId: string, signal: AbortSignal) => Promise<Uint8Array>;
}

/**
 * Turns any result image into bytes: URLs are downloaded, base64 decoded, blobs read through
 * `loadBlob`. An image the provider's moderation withheld gives null (the grid shows a placeholder).
 */
export async function loadResultImage(
  image: LoadableImage,
  options: LoadImageOptions,
): Promise<DownloadedImage | null> {
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES;
  switch (image.kind) {
    case 'rejected':
      return null;
    case 'url':
      return downloadImage(image.url, options);
    case 'base64':
      // Tolerate a data-URL prefix; some APIs send `data:image/png;base64,…` in a base64 field.
      return asImage(Buffer.from(image.data.replace(/^data:[^,]*,/, ''), 'base64'), 'base64 image', maxBytes);
    case 'blob': {
      if (!options.loadBlob) throw new Error(`loadResultImage: blob ${image.blobId} needs a loadBlob function`);
      const bytes = await options.loadBlob(image.blobId, options.signal);
      return asImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), `blob ${image.blobId}`, maxBytes);
    }
  }
}
