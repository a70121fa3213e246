import { Agent, request } from 'undici';
import { ImageDownloadError } from './download.js';
import { describeUrl } from './url.js';

/** The video types the bot attaches; Discord plays both inline. */
export type VideoContentType = 'video/mp4' | 'video/webm';

export interface DownloadedVideo {
  bytes: Buffer;
  contentType: VideoContentType;
}

let sharedAgent: Agent | undefined;
function videoAgent(): Agent {
  sharedAgent ??= new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 10_000 } });
  return sharedAgent;
}

/** MP4 (and QuickTime) files have an `ftyp` box first; WebM starts with the EBML magic number. */
export function sniffVideoType(bytes: Uint8Array): VideoContentType | undefined {
  if (bytes.length >= 8 && Buffer.from(bytes.subarray(4, 8)).toString('latin1') === 'ftyp') return 'video/mp4';
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3)
    return 'video/webm';
  return undefined;
}

/**
 * Downloads one video, bounded in size and time: a body over `maxBytes` is dropped as soon as it
 * is known to be (from its length, or as it streams) and reported as `too_large`, so the caller
 * can link to it instead. Throws ImageDownloadError (the download error type images use).
 */
export async function downloadVideo(
  url: string,
  options: { signal: AbortSignal; maxBytes: number; timeoutMs?: number },
): Promise<DownloadedVideo> {
  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    throw new ImageDownloadError('bad_url', 'video URL is not a valid URL', { cause: error });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new ImageDownloadError('bad_url', `video URL uses ${target.protocol}; only http and https are fetched`);
  const label = `GET ${describeUrl(target)}`;
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? 60_000)]);
  let response;
  try {
    response = await request(target, { method: 'GET', signal, dispatcher: videoAgent() });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw new ImageDownloadError('network', `${label}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const drop = () => {
    response.body.on('error', () => undefined);
    response.body.destroy();
  };
  if (response.statusCode < 200 || response.statusCode > 299) {
    drop();
    throw new ImageDownloadError('http_status', `${label}: HTTP ${response.statusCode}`, {
      status: response.statusCode,
    });
  }
  const length = Number(response.headers['content-length']);
  if (length > options.maxBytes) {
    drop();
    throw new ImageDownloadError('too_large', `${label}: ${length} bytes is over the ${options.maxBytes} byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        drop();
        throw new ImageDownloadError('too_large', `${label}: body passed the ${options.maxBytes} byte limit`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof ImageDownloadError) throw error;
    if (options.signal.aborted) throw options.signal.reason;
    throw new ImageDownloadError('timeout', `${label}: the body did not arrive in time`, { cause: error });
  }
  const bytes = Buffer.concat(chunks, size);
  const contentType = sniffVideoType(bytes);
  if (!contentType)
    throw new ImageDownloadError('bad_type', `${label}: the ${size} bytes are not an MP4 or WebM video`);
  return { bytes, contentType };
}
