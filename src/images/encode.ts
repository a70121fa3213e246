import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { sniffImageType } from './content-type.js';
import type { Size } from './layout.js';
import { NEUTRAL_BACKGROUND } from './palette.js';

/** Discord's default attachment limit; interactions announce the real one (`attachment_size_limit`). */
export const DEFAULT_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type OutputContentType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface EncodedImage {
  bytes: Buffer;
  contentType: OutputContentType;
  width: number;
  height: number;
  /** `<name>.<ext>`, the extension matching contentType (Discord picks the preview from it). */
  filename: string;
}

/** Decoded pixels, 8 bits per channel: RGB, or RGBA for a single image with transparency. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

export type Encoding = { format: 'png' } | { format: 'jpeg'; quality: number };

export type ImageEncodeErrorCode = 'undecodable' | 'cannot_fit';

export class ImageEncodeError extends Error {
  readonly code: ImageEncodeErrorCode;

  constructor(code: ImageEncodeErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImageEncodeError';
    this.code = code;
  }
}

/** The lossless first choice. Level 6 is zlib's own balance; higher levels cost much more time for little. */
export const PNG_OPTIONS = { compressionLevel: 6 } as const;
/**
 * The lossy fallback is JPEG, not WebP: at these qualities the files are about the same size, and
 * libjpeg-turbo encodes a 2048² grid 5–10× faster than libwebp, which matters when stepping down.
 */
const JPEG_QUALITIES = [90, 80, 70, 60] as const;
/** Quality steps shave tens of percent; a file this many times too big needs fewer pixels instead. */
const SHRINK_INSTEAD_FACTOR = 3;
/**
 * Largest image decoded, in pixels (8192²). A 25 MiB PNG can hold a far larger flat image, and its
 * raw pixels would take gigabytes; sharp refuses such input before decoding it.
 */
export const MAX_INPUT_PIXELS = 8192 * 8192;
/** Halving stops before the shorter edge drops below this; past it the image is useless anyway. */
const MIN_EDGE = 64;

const EXTENSIONS: Record<OutputContentType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** Encodes raw pixels once, optionally resized to `size` in the same pipeline. */
export async function encodeRaw(image: RawImage, encoding: Encoding, size?: Size): Promise<Buffer> {
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  if (size && (size.width !== image.width || size.height !== image.height))
    pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
  if (encoding.format === 'png') return pipeline.png(PNG_OPTIONS).toBuffer();
  // JPEG has no alpha channel: a fourth band would be read as CMYK, so it is flattened away first.
  if (image.channels === 4) pipeline = pipeline.flatten({ background: NEUTRAL_BACKGROUND });
  return pipeline.jpeg({ quality: encoding.quality }).toBuffer();
}

/**
 * Encodes pixels into a file of at most `maxBytes`: PNG first, then JPEG at falling quality, then
 * at half the size, and so on. Every attempt starts from the same decoded pixels, never from the
 * previous attempt's file. `pngEstimate` (a predicted PNG size) lets a PNG that cannot fit be skipped.
 */
export async function encodeWithinLimit(
  image: RawImage,
  maxBytes: number,
  options: { name: string; pngEstimate?: number },
): Promise<EncodedImage> {
  const result = (bytes: Buffer, contentType: OutputContentType, size: Size): EncodedImage => ({
    bytes,
    contentType,
    ...size,
    filename: `${options.name}.${EXTENSIONS[contentType]}`,
  });
  if (options.pngEstimate === undefined || options.pngEstimate <= maxBytes) {
    const png = await encodeRaw(image, { format: 'png' });
    if (png.length <= maxBytes) return result(png, 'image/png', image);
  }
  let smallest = Infinity;
  for (let scale = 1; ; scale /= 2) {
    const size = { width: Math.round(image.width * scale), height: Math.round(image.height * scale) };
    if (scale < 1 && Math.min(size.width, size.height) < MIN_EDGE) {
      throw new ImageEncodeError(
        'cannot_fit',
        `a ${image.width}×${image.height} image does not fit in ${maxBytes} bytes (smallest try: ${smallest} bytes)`,
      );
    }
    for (const quality of JPEG_QUALITIES) {
      const jpeg = await encodeRaw(image, { format: 'jpeg', quality }, size);
      if (jpeg.length <= maxBytes) return result(jpeg, 'image/jpeg', size);
      smallest = Math.min(smallest, jpeg.length);
      if (jpeg.length > maxBytes * SHRINK_INSTEAD_FACTOR) break;
    }
  }
}

/**
 * Prepares one image (an upscale, or a provider's ready-made grid) for a Discord attachment of at
 * most `maxBytes`. A PNG, JPEG or WebP that already fits is returned untouched; anything else is
 * decoded once and stepped down as `encodeWithinLimit` does.
 */
export async function encodeSingle(
  image: Buffer,
  maxBytes = DEFAULT_ATTACHMENT_BYTES,
  options: { name?: string } = {},
): Promise<EncodedImage> {
  const name = options.name ?? 'image';
  const type = sniffImageType(image);
  let metadata: Metadata;
  try {
    metadata = await sharp(image).metadata();
  } catch (error) {
    throw new ImageEncodeError('undecodable', `encodeSingle: ${image.length} bytes are not a readable image`, {
      cause: error,
    });
  }
  const { width, height } = metadata.autoOrient;
  if (image.length <= maxBytes && type !== undefined && type !== 'image/gif') {
    return { bytes: image, contentType: type, width, height, filename: `${name}.${EXTENSIONS[type]}` };
  }
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(image, { autoOrient: true, limitInputPixels: MAX_INPUT_PIXELS })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ImageEncodeError('undecodable', `encodeSingle: could not decode the ${metadata.format} image`, {
      cause: error,
    });
  }
  const channels = decoded.info.channels;
  if (channels !== 3 && channels !== 4)
    throw new ImageEncodeError(
      'undecodable',
      `encodeSingle: the ${metadata.format} image decoded to ${channels} channels`,
    );
  // A lossy file re-encoded as PNG only grows, and a PNG re-encoded as PNG stays about the same size:
  // either way the original's size predicts whether a PNG can fit.
  const pngEstimate = type === 'image/gif' ? undefined : image.length;
  return encodeWithinLimit(
    { data: decoded.data, width: decoded.info.width, height: decoded.info.height, channels },
    maxBytes,
    { name, pngEstimate },
  );
}
