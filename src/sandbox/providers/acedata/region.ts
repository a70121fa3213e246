import sharp from 'sharp';
import { z } from 'zod';
import { fetchImage } from '../kit/fetch-image.js';
import { isImage, renderRegionEdit } from '../kit/images.js';
import { singleImage, type Size } from './media.js';
import type { SimTask } from './tasks.js';

/**
 * `variation_region`'s `mask`. AceData's imagine page calls it the "URL of the mask image" for
 * local repainting; its MCP source's types call it base64 grayscale, white = repaint
 * (CONTRACTS.md §D). The simulator follows the page: a URL, fetched as AceData must, of an image
 * the size of the upscale it repaints, white where to repaint. A base64 string is not a URL here.
 */
const maskUrlSchema = z.url({ protocol: /^https?$/ });

/** A grey level from which a mask pixel counts as white (to repaint). */
const WHITE = 128;

/** The repaint of a Vary (Region) task: its parent upscale's picture, and the mask over it. */
export interface Region {
  source: { size: Size; seed: number; index: number; label: string };
  mask: Buffer;
}

/** Fetches and checks the mask for a repaint of `parent`, or says why AceData refuses it. */
export async function readRegion(
  mask: string | undefined,
  parent: SimTask,
): Promise<{ ok: true; region: Region } | { ok: false; message: string }> {
  if (!mask) return { ok: false, message: 'The mask is required for the variation_region action.' };
  const single = parent.single;
  if (!single) return { ok: false, message: 'The variation_region action needs an upscaled image_id.' };
  if (!maskUrlSchema.safeParse(mask).success)
    return { ok: false, message: 'Invalid mask: it must be the URL of the mask image.' };
  const fetched = await fetchImage(mask);
  if (!fetched.ok) return { ok: false, message: `Invalid mask URL: ${fetched.message}.` };
  if (!(await isImage(fetched.bytes))) return { ok: false, message: 'Invalid mask URL: the file is not an image.' };
  const { width = 0, height = 0 } = await sharp(fetched.bytes).metadata();
  const { size } = single;
  if (width !== size.width || height !== size.height)
    return {
      ok: false,
      message: `Invalid mask: it is ${width}×${height}, and must be the image's size, ${size.width}×${size.height}.`,
    };
  const stats = await sharp(fetched.bytes).greyscale().stats();
  if ((stats.channels[0]?.max ?? 0) < WHITE)
    return { ok: false, message: 'Invalid mask: it has no white part to repaint.' };
  return {
    ok: true,
    region: { source: { size, seed: parent.seed, index: single.index, label: parent.label }, mask: fetched.bytes },
  };
}

/** Each cell of a region task's grid: the parent's picture, repainted inside the mask's white only. */
export function regionPainter(region: Region): (fresh: Buffer) => Promise<Buffer> {
  let source: Promise<Buffer> | undefined;
  return async (fresh) => {
    source ??= singleImage(region.source, region.source.size);
    return renderRegionEdit(await source, fresh, region.mask);
  };
}
