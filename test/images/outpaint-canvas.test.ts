import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fitToFrame } from '../../src/images/frame-fit.js';
import { paddedCanvas, restoreOutpaint } from '../../src/images/outpaint-canvas.js';
import { outpaintLayout } from '../../src/images/outpaint.js';
import { IMAGE_FRAMES } from '../../src/providers/cloudsway-image/request.js';
import { decode, expectColour, GREEN, noisePng, solidPng } from './helpers.js';

async function alphaAt(png: Buffer, x: number, y: number): Promise<number> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return data[(y * info.width + x) * info.channels + 3]!;
}

describe('paddedCanvas and restoreOutpaint: an outpaint through a fixed-size edit', () => {
  it('GIVEN a pan left of a 3:2 image THEN the canvas and mask are the frame, opaque only over the image', async () => {
    const source = await noisePng(90, 60);
    const framed = fitToFrame(
      outpaintLayout({ width: 90, height: 60 }, { action: 'pan', index: 1, direction: 'left' }),
      IMAGE_FRAMES,
    );
    const { canvas, mask } = await paddedCanvas(source, framed.layout);
    for (const png of [canvas, mask]) {
      const { width, height } = await sharp(png).metadata();
      expect({ width, height }).toEqual({ width: 1536, height: 1024 });
    }
    const { image } = framed.layout;
    expect(await alphaAt(mask, image.x + 10, image.y + 10)).toBe(255);
    expect(await alphaAt(mask, 10, image.y + 10)).toBe(0);
    // Outside the crop (the letterbox above it) is painted too, and cropped away afterwards.
    expect(await alphaAt(mask, 10, 5)).toBe(0);
  });

  it('GIVEN an edited frame at another resolution THEN the layout’s canvas, the source’s own pixels where it was kept', async () => {
    const source = await noisePng(90, 60, 7);
    const layout = outpaintLayout({ width: 90, height: 60 }, { action: 'pan', index: 1, direction: 'left' });
    const framed = fitToFrame(layout, IMAGE_FRAMES);
    // The endpoint painted everything green and answered at a sixteenth of the frame.
    const edited = await solidPng(96, 64, GREEN);
    const restored = await decode(await restoreOutpaint(edited, source, framed, layout));
    expect([restored.width, restored.height]).toEqual([135, 60]);
    const original = await decode(source);
    for (const [x, y] of [
      [0, 0],
      [45, 30],
      [89, 59],
    ] as const)
      expectColour(restored.at(layout.image.x + x, y), original.at(x, y), 0, `kept pixel ${x},${y}`);
    expectColour(restored.at(10, 30), GREEN, 2, 'the new strip');
  });
});
