import { createHmac, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { renderGrid, renderImage } from '../kit/images.js';

/** Registers a lazily rendered file on the simulator and returns its plain URL. */
export type ServeFile = (
  name: string,
  render: () => Promise<Buffer>,
  contentType: string,
  lifetimeMs: number,
) => string;

/** Discord attachment links live about a day (`ex` is their expiry, in hex Unix seconds). */
export const URL_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** Largest edge the simulator renders for 2x/4x upscales, to stay cheap. */
const MAX_EDGE = 4096;

const signingKey = randomBytes(16);

/** Appends Discord's signed-URL query (`ex`, `is`, `hm`) to a served file's URL. */
export function signedUrl(plain: string, issuedAtMs: number, lifetimeMs: number): string {
  const ex = Math.floor((issuedAtMs + lifetimeMs) / 1000).toString(16);
  const is = Math.floor(issuedAtMs / 1000).toString(16);
  const hm = createHmac('sha256', signingKey).update(`${plain}|${ex}|${is}`).digest('hex');
  return `${plain}?ex=${ex}&is=${is}&hm=${hm}&`;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => (cached ??= make());
}

export interface Size {
  width: number;
  height: number;
}

export function scaled(size: Size, factor: number): Size {
  const largest = Math.max(size.width, size.height) * factor;
  const clamp = largest > MAX_EDGE ? MAX_EDGE / largest : 1;
  return { width: Math.round(size.width * factor * clamp), height: Math.round(size.height * factor * clamp) };
}

export interface PictureSpec {
  /** Files are named `acedata/<task>/…`, so one task's URLs can be expired together. */
  prefix: string;
  seed: number;
  label: string;
}

/** URLs and sizes of one finished result, in AceData's field names. */
export interface Pictures {
  image_url: string;
  image_width: number;
  image_height: number;
  raw_image_url: string;
  raw_image_width: number;
  raw_image_height: number;
  sub_image_urls: string[];
}

function thumbnail(render: () => Promise<Buffer>, size: Size): () => Promise<Buffer> {
  return once(async () =>
    sharp(await render())
      .resize(size.width, size.height, { fit: 'fill' })
      .png()
      .toBuffer(),
  );
}

/** The picture of an upscale: `index` of its grid, at `size`. */
export function singleImage(spec: { seed: number; index: number; label: string }, size: Size): Promise<Buffer> {
  return renderImage({ width: size.width, height: size.height, seed: spec.seed, index: spec.index, label: spec.label });
}

/**
 * A 2×2 grid built from four singles with `renderGrid`, so grid and singles show the same pictures.
 * `raw_image_url` is the full grid (2 cells wide); `image_url` is its half-size thumbnail. `paint`
 * turns each new picture into the cell (Vary (Region) paints it into its parent).
 */
export function gridPictures(
  serve: ServeFile,
  spec: PictureSpec,
  cell: Size,
  now: number,
  lifetimeMs: number,
  split: boolean,
  paint?: (fresh: Buffer) => Promise<Buffer>,
): Pictures {
  const singles = [1, 2, 3, 4].map((index) =>
    once(async () => {
      const fresh = await renderImage({
        width: cell.width,
        height: cell.height,
        seed: spec.seed,
        index,
        label: `${spec.label} #${index}`,
      });
      return paint ? paint(fresh) : fresh;
    }),
  );
  const grid = once(async () =>
    renderGrid(await Promise.all(singles.map((render) => render())), cell.width, cell.height),
  );
  const url = (name: string, render: () => Promise<Buffer>) =>
    signedUrl(serve(`${spec.prefix}/${name}`, render, 'image/png', lifetimeMs), now, lifetimeMs);
  const raw = url('grid.png', grid);
  return {
    image_url: `${url('grid_thumb.png', thumbnail(grid, cell))}width=${cell.width}&height=${cell.height}`,
    image_width: cell.width,
    image_height: cell.height,
    raw_image_url: raw,
    raw_image_width: cell.width * 2,
    raw_image_height: cell.height * 2,
    sub_image_urls: split ? singles.map((render, index) => url(`0_${index}.png`, render)) : [],
  };
}

/** One upscaled image: the parent's picture `index` again, larger. */
export function singlePicture(
  serve: ServeFile,
  spec: PictureSpec & { index: number },
  size: Size,
  now: number,
  lifetimeMs: number,
): Pictures {
  const image = once(() => singleImage(spec, size));
  const thumb = scaled(size, 0.5);
  const url = (name: string, render: () => Promise<Buffer>) =>
    signedUrl(serve(`${spec.prefix}/${name}`, render, 'image/png', lifetimeMs), now, lifetimeMs);
  return {
    image_url: `${url('thumb.png', thumbnail(image, thumb))}width=${thumb.width}&height=${thumb.height}`,
    image_width: thumb.width,
    image_height: thumb.height,
    raw_image_url: url('image.png', image),
    raw_image_width: size.width,
    raw_image_height: size.height,
    sub_image_urls: [],
  };
}

/** A blurred low-resolution preview shown while a job runs; it dies when the job finishes. */
export function previewPicture(
  serve: ServeFile,
  spec: PictureSpec,
  cell: Size,
  progress: number,
  lifetimeMs: number,
): { url: string; width: number; height: number } {
  const size = scaled(cell, 0.5);
  const render = once(async () =>
    sharp(
      await renderImage({
        width: size.width * 2,
        height: size.height * 2,
        seed: spec.seed,
        index: 1,
        label: `${progress}%`,
      }),
    )
      .blur(Math.max(1, size.width / 16))
      .png()
      .toBuffer(),
  );
  return {
    url: serve(`${spec.prefix}/preview_${progress}.png`, render, 'image/png', lifetimeMs),
    width: size.width * 2,
    height: size.height * 2,
  };
}
