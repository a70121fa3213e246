import sharp from 'sharp';
import type { Size } from './layout.js';
import { cssColour, PLACEHOLDER_COLOUR, PLACEHOLDER_MARK_COLOUR } from './palette.js';

/**
 * The stand-in for an image that cannot be shown: a mid-grey cell with a crossed-out eye in the
 * middle. Drawn with shapes only, so it renders the same on a machine without fonts.
 */
export function placeholderSvg({ width, height }: Size): string {
  const x = width / 2;
  const y = height / 2;
  const eye = Math.min(width, height) * 0.16;
  const stroke = Math.max(1, eye * 0.14);
  const mark = cssColour(PLACEHOLDER_MARK_COLOUR);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<rect width="${width}" height="${height}" fill="${cssColour(PLACEHOLDER_COLOUR)}"/>
<path d="M ${x - eye} ${y} Q ${x} ${y - eye * 0.9} ${x + eye} ${y} Q ${x} ${y + eye * 0.9} ${x - eye} ${y} Z" fill="none" stroke="${mark}" stroke-width="${stroke}"/>
<circle cx="${x}" cy="${y}" r="${eye * 0.28}" fill="${mark}"/>
<line x1="${x - eye * 0.9}" y1="${y + eye * 0.9}" x2="${x + eye * 0.9}" y2="${y - eye * 0.9}" stroke="${mark}" stroke-width="${stroke}" stroke-linecap="round"/>
</svg>`;
}

/** The placeholder as raw RGB pixels of exactly `size`, ready to copy into a grid. */
export async function renderPlaceholder(size: Size): Promise<Buffer> {
  return sharp(Buffer.from(placeholderSvg(size)))
    .flatten()
    .raw()
    .toBuffer();
}
