import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { presetArea } from '../../src/jobs/region.js';
import { regionMaskPng } from '../../src/images/region-mask.js';

async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

describe('regionMaskPng', () => {
  it('GIVEN the left half THEN a white-on-black PNG of the size, white on the left only', async () => {
    const png = await regionMaskPng(presetArea('left-half'), { width: 40, height: 20 });
    const metadata = await sharp(png).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 40, 20]);
    expect((await pixel(png, 5, 10))[0]).toBe(255);
    expect((await pixel(png, 35, 10))[0]).toBe(0);
  });

  it('GIVEN the transparent style THEN transparent inside, opaque outside', async () => {
    const png = await regionMaskPng(presetArea('centre'), { width: 40, height: 40 }, 'transparent-inside');
    expect((await pixel(png, 20, 20))[3]).toBe(0);
    expect((await pixel(png, 2, 2))[3]).toBe(255);
  });
});
