import { composeGrid, encodeSingle } from '../images/grid.js';
import { loadResultImage, type LoadableImage } from '../images/download.js';
import { gridNumber, type Job } from '../jobs/job.js';
import type { Logger } from '../logger.js';
import { isStoreUnavailable } from '../store/errors.js';
import type { Stores } from '../store/stores.js';
import { downloadVideo } from '../images/video.js';
import { isVideo } from './views.js';

/** The attachment size limit Discord announces by default (10 MiB). */
export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export interface RenderedAttachment {
  filename: string;
  bytes: Buffer;
  contentType: string;
}

/** An animation's result: the videos that fit as files, the others as the provider's links. */
export interface RenderedVideos {
  kind: 'videos';
  files: RenderedAttachment[];
  links: string[];
}

/** Discord refuses a request over 25 MiB, whatever the per-file limit. */
const REQUEST_LIMIT = 25 * 1024 * 1024;

/**
 * Renders a finished job's result as one file: the 2×2 grid (placeholders where the provider's
 * moderation withheld an image or a download failed), or the single upscaled image, encoded to fit
 * the attachment limit the interaction announced.
 */
export function createAttachmentRenderer(stores: Stores, logger: Logger) {
  const loadBlob = async (blobId: string) => {
    const bytes = await stores.blobs.get(blobId);
    if (!bytes) throw new Error(`blob ${blobId} is missing`);
    return bytes;
  };
  const load = async (image: LoadableImage | undefined, job: Job): Promise<Buffer | null> => {
    if (!image) return null;
    try {
      return (await loadResultImage(image, { signal: AbortSignal.timeout(30_000), loadBlob }))?.bytes ?? null;
    } catch (error) {
      // Our own store failing is not the image's fault: the publisher tries again later.
      if (isStoreUnavailable(error)) throw error;
      logger.warn({ err: error, jobId: job.id }, 'could not load a result image; showing a placeholder');
      return null;
    }
  };

  /**
   * Each video is attached when it fits the interaction's attachment limit (and the request's
   * 25 MiB); one that does not, or cannot be fetched, is linked instead, so the result is never lost.
   */
  const renderVideos = async (job: Job, maxBytes: number): Promise<RenderedVideos | undefined> => {
    const videos = job.videos ?? [];
    if (videos.length === 0) return undefined;
    const result: RenderedVideos = { kind: 'videos', files: [], links: [] };
    let budget = REQUEST_LIMIT;
    for (const [offset, url] of videos.entries()) {
      try {
        const video = await downloadVideo(url, {
          signal: AbortSignal.timeout(60_000),
          maxBytes: Math.min(maxBytes, budget),
        });
        budget -= video.bytes.length;
        const name = videos.length === 1 ? `${job.id}-video` : `${job.id}-video${offset + 1}`;
        result.files.push({
          filename: `${name}.${video.contentType === 'video/webm' ? 'webm' : 'mp4'}`,
          bytes: video.bytes,
          contentType: video.contentType,
        });
      } catch (error) {
        logger.info({ err: error, jobId: job.id }, 'video not attached; linking it instead');
        result.links.push(url);
      }
    }
    return result;
  };

  return async function render(job: Job): Promise<RenderedAttachment | RenderedVideos | undefined> {
    const maxBytes = job.attachmentLimit ?? DEFAULT_ATTACHMENT_LIMIT;
    if (isVideo(job)) return renderVideos(job, maxBytes);
    const images = job.images ?? [];
    if (images.length > 1) {
      const tiles = await Promise.all(images.slice(0, 4).map((image) => load(image, job)));
      if (tiles.every((tile) => tile === null) && images.some((image) => image.kind !== 'rejected')) return undefined;
      const grid = await composeGrid(tiles, { maxBytes });
      return {
        filename: `${job.id}-grid.${extension(grid.contentType)}`,
        bytes: grid.bytes,
        contentType: grid.contentType,
      };
    }
    const single = await load(images[0] ?? job.gridImage, job);
    if (!single) return undefined;
    const encoded = await encodeSingle(single, maxBytes);
    const name = images.length === 1 ? `${job.id}-image${gridNumber(job)}` : `${job.id}-grid`;
    return {
      filename: `${name}.${extension(encoded.contentType)}`,
      bytes: encoded.bytes,
      contentType: encoded.contentType,
    };
  };
}

function extension(contentType: string): string {
  return contentType === 'image/jpeg' ? 'jpg' : (contentType.split('/')[1] ?? 'png');
}
