import sharp from 'sharp';
import { scalePlacement, type FramedOutpaint } from './frame-fit.js';
import type { OutpaintLayout, Size } from './outpaint.js';

/** The pixel size of an encoded image, as it displays (EXIF orientation applied). */
export async function imageSize(bytes: Uint8Array): Promise<Size> {
  const metadata = await sharp(bytes).metadata();
  const { width, height } = metadata.autoOrient;
  if (!width || !height) throw new Error('imageSize: the image has no size');
  return { width, height };
}

/**
 * The padded canvas and its mask for an edit endpoint that outpaints (OpenAI's `/images/edits`
 * shape): the image placed on a transparent canvas, and a PNG of the same size whose fully
 * transparent pixels mark where to paint, opaque over the image itself.
 */
export async function paddedCanvas(
  bytes: Uint8Array,
  layout: OutpaintLayout,
): Promise<{ canvas: Buffer; mask: Buffer }> {
  const { canvas, image } = layout;
  const transparent = { r: 0, g: 0, b: 0, alpha: 0 };
  const placed = await sharp(bytes).rotate().resize(image.width, image.height, { fit: 'fill' }).png().toBuffer();
  const padded = await sharp({ create: { ...canvas, channels: 4, background: transparent } })
    .composite([{ input: placed, left: image.x, top: image.y }])
    .png()
    .toBuffer();
  const keep = await sharp({ create: { width: image.width, height: image.height, channels: 4, background: '#fff' } })
    .png()
    .toBuffer();
  const mask = await sharp({ create: { ...canvas, channels: 4, background: transparent } })
    .composite([{ input: keep, left: image.x, top: image.y }])
    .png()
    .toBuffer();
  return { canvas: padded, mask };
}

/**
 * One edited frame turned back into the outpaint: the part of `edited` where the canvas was
 * fitted (`framed.crop`, scaled to the edited image's own size, since an endpoint may answer at
 * another resolution) stretched to the layout's canvas, and the source's own pixels pasted over
 * the kept part, so that part is exactly the image it extends.
 */
export async function restoreOutpaint(
  edited: Uint8Array,
  source: Uint8Array,
  framed: FramedOutpaint,
  layout: OutpaintLayout,
): Promise<Buffer> {
  const { canvas, image } = layout;
  const crop = scalePlacement(framed.crop, framed.frame, await imageSize(edited));
  const stretched = await sharp(edited)
    .rotate()
    .extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height })
    .resize(canvas.width, canvas.height, { fit: 'fill' })
    .png()
    .toBuffer();
  const kept = await sharp(source).rotate().resize(image.width, image.height, { fit: 'fill' }).png().toBuffer();
  return sharp(stretched)
    .composite([{ input: kept, left: image.x, top: image.y }])
    .png()
    .toBuffer();
}
