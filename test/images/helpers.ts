import sharp from 'sharp';
import { expect } from 'vitest';
import { seededRandom } from '../random.js';

export interface Colour {
  r: number;
  g: number;
  b: number;
}

export const RED: Colour = { r: 220, g: 30, b: 30 };
export const GREEN: Colour = { r: 30, g: 200, b: 60 };
export const BLUE: Colour = { r: 40, g: 60, b: 220 };
export const YELLOW: Colour = { r: 240, g: 220, b: 20 };

/** A PNG of one colour. */
export function solidPng(width: number, height: number, colour: Colour): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

/** Random pixels: incompressible, so its PNG is about as large as its raw pixels (3 bytes each). */
export function noisePng(width: number, height: number, seed = 1): Promise<Buffer> {
  const random = seededRandom(seed);
  const pixels = Buffer.alloc(width * height * 3);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = Math.floor(random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

export interface Decoded {
  width: number;
  height: number;
  format: string;
  at(x: number, y: number): Colour;
}

/** Decodes an encoded image once, for reading pixels. */
export async function decode(bytes: Buffer): Promise<Decoded> {
  const format = (await sharp(bytes).metadata()).format;
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    format,
    at(x, y) {
      const offset = (Math.round(y) * info.width + Math.round(x)) * info.channels;
      return { r: data[offset]!, g: data[offset + 1]!, b: data[offset + 2]! };
    },
  };
}

/** Asserts a pixel is a colour, within `tolerance` per channel (0 for lossless output). */
export function expectColour(actual: Colour, expected: Colour, tolerance = 0, where = ''): void {
  const off = Math.max(
    Math.abs(actual.r - expected.r),
    Math.abs(actual.g - expected.g),
    Math.abs(actual.b - expected.b),
  );
  expect(off, `${where} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`).toBeLessThanOrEqual(
    tolerance,
  );
}

/** A part of an image, as fractions of its width and height. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Mean absolute difference per channel between two images over a box of fractions of the frame. */
export async function meanDifference(a: Buffer, b: Buffer, box: Box): Promise<number> {
  const size = 64;
  const raw = (image: Buffer) => sharp(image).resize(size, size, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [first, second] = await Promise.all([raw(a), raw(b)]);
  let total = 0;
  let count = 0;
  for (let y = Math.ceil(box.top * size); y < Math.floor(box.bottom * size); y += 1)
    for (let x = Math.ceil(box.left * size); x < Math.floor(box.right * size); x += 1)
      for (let channel = 0; channel < 3; channel += 1) {
        const at = (y * size + x) * 3 + channel;
        total += Math.abs(first[at]! - second[at]!);
        count += 1;
      }
  return total / count;
}

/**
 * Asserts a region repaint: `changed` differs clearly from `original` over `inside` and hardly at
 * all over `outside` (a re-encode's rounding is allowed).
 */
export async function expectRepaintedOnly(original: Buffer, changed: Buffer, inside: Box, outside: Box): Promise<void> {
  expect(await meanDifference(original, changed, inside), 'difference inside the region').toBeGreaterThan(40);
  expect(await meanDifference(original, changed, outside), 'difference outside the region').toBeLessThan(12);
}

/** The top-left cell of a 2×2 grid image. */
export async function firstCell(grid: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(grid).metadata();
  return sharp(grid)
    .extract({ left: 0, top: 0, width: Math.floor(width / 2), height: Math.floor(height / 2) })
    .toBuffer();
}
