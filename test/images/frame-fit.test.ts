import { describe, expect, it } from 'vitest';
import { fitToFrame, nearestFrame, scalePlacement } from '../../src/images/frame-fit.js';
import { outpaintLayout } from '../../src/images/outpaint.js';
import { IMAGE_FRAMES } from '../../src/providers/cloudsway-image/request.js';

const SQUARE = { width: 1024, height: 1024 };
const WIDE = { width: 1536, height: 1024 };

describe('nearestFrame', () => {
  it.each([
    [{ width: 100, height: 100 }, '1024x1024'],
    [{ width: 1920, height: 1080 }, '1536x1024'],
    [{ width: 2304, height: 1024 }, '1536x1024'],
    [{ width: 1024, height: 1536 * 1.5 }, '1024x1536'],
    // 1.2 is nearer 1 than 1.5 by ratio (1.2 / 1 < 1.5 / 1.2).
    [{ width: 1200, height: 1000 }, '1024x1024'],
    [{ width: 1300, height: 1000 }, '1536x1024'],
  ])('GIVEN %o THEN %s', (size, expected) => {
    expect(nearestFrame(size, IMAGE_FRAMES).size).toBe(expected);
  });

  it('GIVEN no frames THEN it throws', () => {
    expect(() => nearestFrame(SQUARE, [])).toThrow(/no frames/);
  });
});

describe('fitToFrame', () => {
  it('GIVEN Zoom Out 2x of a 3:2 image THEN the 3:2 frame, the image at half size in the middle, nothing cropped', () => {
    const framed = fitToFrame(outpaintLayout(WIDE, { action: 'zoom', index: 1, factor: 2 }), IMAGE_FRAMES);
    expect(framed.frame.size).toBe('1536x1024');
    expect(framed.crop).toEqual({ x: 0, y: 0, width: 1536, height: 1024 });
    expect(framed.layout).toEqual({ canvas: WIDE, image: { x: 384, y: 256, width: 768, height: 512 } });
  });

  it('GIVEN Make Square of a 3:2 image THEN the square frame with the image across it, centred vertically', () => {
    const framed = fitToFrame(outpaintLayout(WIDE, { action: 'square', index: 1 }), IMAGE_FRAMES);
    expect(framed.frame.size).toBe('1024x1024');
    expect(framed.crop).toEqual({ x: 0, y: 0, width: 1024, height: 1024 });
    // Scaled by 2/3, edges rounded: the image's top at 256 × 2/3 ≈ 171, its bottom at 1280 × 2/3 ≈ 853.
    expect(framed.layout.image).toEqual({ x: 0, y: 171, width: 1024, height: 682 });
  });

  it('GIVEN a pan left of a square image THEN the 3:2 frame, the image at its right edge, unscaled', () => {
    const framed = fitToFrame(outpaintLayout(SQUARE, { action: 'pan', index: 1, direction: 'left' }), IMAGE_FRAMES);
    expect(framed.frame.size).toBe('1536x1024');
    expect(framed.layout.image).toEqual({ x: 512, y: 0, width: 1024, height: 1024 });
  });

  it('GIVEN a pan left of a 3:2 image (9:4) THEN it is letterboxed in the 3:2 frame and the crop is the band', () => {
    const layout = outpaintLayout(WIDE, { action: 'pan', index: 1, direction: 'left' });
    expect(layout.canvas).toEqual({ width: 2304, height: 1024 });
    const framed = fitToFrame(layout, IMAGE_FRAMES);
    expect(framed.frame.size).toBe('1536x1024');
    // Scaled by 2/3: 1536 × 683, centred vertically.
    expect(framed.crop).toEqual({ x: 0, y: 170, width: 1536, height: 683 });
    expect(framed.layout.image).toEqual({ x: 512, y: 170, width: 1024, height: 683 });
    // The crop keeps the canvas's shape.
    expect(framed.crop.width / framed.crop.height).toBeCloseTo(2304 / 1024, 2);
  });

  it('GIVEN a small image THEN it is scaled up into the frame, keeping the layout’s proportions', () => {
    const framed = fitToFrame(
      outpaintLayout({ width: 96, height: 64 }, { action: 'zoom', index: 1, factor: 1.5 }),
      IMAGE_FRAMES,
    );
    expect(framed.crop).toEqual({ x: 0, y: 0, width: 1536, height: 1024 });
    expect(framed.layout.image).toEqual({ x: 256, y: 171, width: 1024, height: 682 });
  });
});

describe('scalePlacement', () => {
  it('GIVEN a crop on a 1536×1024 frame THEN the same crop on a 96×64 answer, its edges rounded', () => {
    // Top 170 / 16 ≈ 11, bottom 853 / 16 ≈ 53.
    expect(scalePlacement({ x: 0, y: 170, width: 1536, height: 683 }, WIDE, { width: 96, height: 64 })).toEqual({
      x: 0,
      y: 11,
      width: 96,
      height: 42,
    });
  });

  it('GIVEN a placement that would round outside the frame THEN it stays inside with at least one pixel', () => {
    const placed = scalePlacement({ x: 1535, y: 1023, width: 1, height: 1 }, WIDE, { width: 3, height: 2 });
    expect(placed.x + placed.width).toBeLessThanOrEqual(3);
    expect(placed.y + placed.height).toBeLessThanOrEqual(2);
    expect(placed.width).toBeGreaterThanOrEqual(1);
    expect(placed.height).toBeGreaterThanOrEqual(1);
  });
});
