import sharp from 'sharp';
import { regionSvg, type RegionArea } from '../jobs/region.js';
import type { Size } from './outpaint.js';

/**
 * How a provider reads a mask PNG: white on black, white repainted (Midjourney's APIXO, AceData
 * and Cloudsway `mask.url`), or OpenAI's edits shape, fully transparent where to paint and opaque
 * black elsewhere (Image-1's `/images/edits`).
 */
export type MaskStyle = 'white-inside' | 'transparent-inside';

/** The region as a mask PNG of `size`, rasterised from the same polygons the bot sends as areas. */
export async function regionMaskPng(area: RegionArea, size: Size, style: MaskStyle = 'white-inside'): Promise<Buffer> {
  const { width, height } = size;
  const grey = sharp(Buffer.from(regionSvg(area, width, height))).greyscale();
  if (style === 'white-inside') return grey.toColourspace('b-w').png().toBuffer();
  // Inside white becomes alpha 0: the negated grey is the alpha channel over a black image.
  const alpha = await grey.negate().extractChannel(0).raw().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#000' } })
    .joinChannel(alpha, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}
