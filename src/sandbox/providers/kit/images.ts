import sharp from 'sharp';

/** Pixel size for an aspect ratio "W:H" at roughly `edge × edge` pixels, rounded to multiples of 8. */
export function sizeForAspect(aspect: string | undefined, edge: number): { width: number; height: number } {
  const match = /^(\d+):(\d+)$/.exec(aspect ?? '1:1');
  const ratio = match ? Number(match[1]) / Number(match[2]) : 1;
  const round8 = (value: number) => Math.max(8, Math.round(value / 8) * 8);
  return { width: round8(edge * Math.sqrt(ratio)), height: round8(edge / Math.sqrt(ratio)) };
}

export interface ImageSpec {
  width: number;
  height: number;
  /** Drives the colours: the same seed gives the same palette. */
  seed: number;
  /** 1-based image number, drawn as that many dots so each grid cell differs visibly. */
  index: number;
  /** A short caption ("U2", "V3 strong"), drawn when fonts are available. */
  label?: string;
  format?: 'png' | 'jpeg' | 'webp';
}

function hash(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * Renders a real image: a gradient whose hues come from the seed, `index` dots, and a caption.
 * Different seeds and indices are visibly different, so a grid or an upscale can be checked by eye.
 */
export async function renderImage(spec: ImageSpec): Promise<Buffer> {
  const { width, height, index } = spec;
  const hue = hash(spec.seed) % 360;
  const hue2 = (hue + 60 + (hash(spec.seed + index) % 120)) % 360;
  const dotRadius = Math.round(Math.min(width, height) / 14);
  const dots = Array.from({ length: index }, (_, dot) => {
    const cx = Math.round(width * (0.2 + 0.2 * dot));
    return `<circle cx="${cx}" cy="${Math.round(height * 0.3)}" r="${dotRadius}" fill="white" opacity="0.8"/>`;
  }).join('');
  const caption = escapeXml(spec.label ?? `#${index} seed ${spec.seed}`);
  const fontSize = Math.round(Math.min(width, height) / 12);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="hsl(${hue},70%,50%)"/><stop offset="1" stop-color="hsl(${hue2},70%,22%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${dots}
<rect x="${Math.round(width * 0.1)}" y="${Math.round(height * 0.55)}" width="${Math.round(width * 0.8)}" height="${Math.round(height * 0.08)}" fill="hsl(${(hue + 180) % 360},60%,60%)"/>
<text x="${Math.round(width * 0.06)}" y="${Math.round(height * 0.88)}" font-family="sans-serif" font-size="${fontSize}" fill="white">${caption}</text>
</svg>`;
  const image = sharp(Buffer.from(svg));
  switch (spec.format ?? 'png') {
    case 'jpeg':
      return image.jpeg({ quality: 85 }).toBuffer();
    case 'webp':
      return image.webp({ quality: 85 }).toBuffer();
    case 'png':
      return image.png({ compressionLevel: 6 }).toBuffer();
  }
}

/** Composes four images into a 2×2 grid, as AceData's `image_url` is. */
export async function renderGrid(images: Buffer[], width: number, height: number): Promise<Buffer> {
  const cells = await Promise.all(
    images.slice(0, 4).map((image) => sharp(image).resize(width, height, { fit: 'fill' }).png().toBuffer()),
  );
  return sharp({ create: { width: width * 2, height: height * 2, channels: 3, background: '#000' } })
    .composite(cells.map((input, cell) => ({ input, left: (cell % 2) * width, top: Math.floor(cell / 2) * height })))
    .png()
    .toBuffer();
}

/**
 * A region repaint: inside the white of `mask` (an SVG's text, or any image sharp reads) the
 * parent's colours inverted and blended with `fill` (a new render), so the change is always
 * visible; outside it, `base` untouched. A region job's images thus differ from their parent
 * inside the mask only.
 */
export async function renderRegionEdit(base: Buffer, fill: Buffer, mask: string | Buffer): Promise<Buffer> {
  const { width = 8, height = 8 } = await sharp(base).metadata();
  const raw = (input: Buffer) => sharp(input).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [basePixels, fillPixels] = await Promise.all([raw(base), raw(fill)]);
  const weights = await sharp(typeof mask === 'string' ? Buffer.from(mask) : mask)
    .resize(width, height, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
  const out = Buffer.from(basePixels);
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    const weight = (weights[pixel] ?? 0) / 255;
    if (weight === 0) continue;
    for (let channel = 0; channel < 3; channel += 1) {
      const at = pixel * 3 + channel;
      const repainted = 0.6 * (255 - basePixels[at]!) + 0.4 * fillPixels[at]!;
      out[at] = Math.round(basePixels[at]! * (1 - weight) + repainted * weight);
    }
  }
  return sharp(out, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/**
 * An outpaint: `fill` (a new render, the canvas's size) with the source image laid over it
 * unchanged at `at`, so the result is larger than its source and holds it where the layout says.
 */
export async function renderOutpaint(source: Buffer, fill: Buffer, at: { x: number; y: number }): Promise<Buffer> {
  return sharp(fill)
    .composite([{ input: source, left: at.x, top: at.y }])
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/**
 * The simulators' own reading of a mask: polygons (points as fractions of the frame) drawn white
 * on black. Kept apart from the bot's code, as a provider's is.
 */
export function polygonMaskSvg(
  shapes: readonly (readonly [number, number])[][],
  width: number,
  height: number,
): string {
  const polygons = shapes
    .map((shape) => `<polygon points="${shape.map(([x, y]) => `${x * width},${y * height}`).join(' ')}" fill="white"/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/>${polygons}</svg>`;
}

/** The area of a polygon in the unit square (shoelace formula): zero for points on one line. */
export function shapeArea(shape: readonly (readonly [number, number])[]): number {
  let twice = 0;
  for (const [position, [x, y]] of shape.entries()) {
    const [nextX, nextY] = shape[(position + 1) % shape.length]!;
    twice += x * nextY - nextX * y;
  }
  return Math.abs(twice) / 2;
}
