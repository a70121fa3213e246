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
