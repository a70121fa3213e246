import { describe, expect, it } from 'vitest';
import { cellOrigin, estimateGridPngBytes, gridLayout } from '../../src/images/layout.js';

describe('gridLayout', () => {
  it('GIVEN a tile that fits twice within maxEdge THEN cells keep the tile’s size', () => {
    expect(gridLayout({ width: 1024, height: 1024 }, 2048)).toEqual({
      cell: { width: 1024, height: 1024 },
      width: 2048,
      height: 2048,
    });
  });

  it('GIVEN a large 16:9 tile THEN cells shrink so the longer grid edge is maxEdge', () => {
    const layout = gridLayout({ width: 1456, height: 816 }, 2048);
    expect(layout.width).toBe(2048);
    expect(layout.height).toBeLessThanOrEqual(1152);
    expect(layout.width / layout.height).toBeCloseTo(1456 / 816, 2);
  });

  it('GIVEN a tall tile THEN the height is the edge that is capped', () => {
    expect(gridLayout({ width: 900, height: 1600 }, 2048)).toEqual({
      cell: { width: 576, height: 1024 },
      width: 1152,
      height: 2048,
    });
  });

  it('GIVEN a small tile THEN it is not enlarged', () => {
    expect(gridLayout({ width: 300, height: 200 }, 2048).cell).toEqual({ width: 300, height: 200 });
  });

  it('GIVEN an odd limit THEN two cells never pass it', () => {
    expect(gridLayout({ width: 1000, height: 1000 }, 1001).width).toBeLessThanOrEqual(1001);
  });

  it('GIVEN no tile THEN a square default is used', () => {
    expect(gridLayout(undefined, 2048).cell).toEqual({ width: 512, height: 512 });
  });
});

describe('cellOrigin', () => {
  it('GIVEN indices 0–3 THEN cells are in reading order', () => {
    const cell = { width: 10, height: 5 };
    expect([0, 1, 2, 3].map((index) => cellOrigin(index, cell))).toEqual([
      { left: 0, top: 0 },
      { left: 10, top: 0 },
      { left: 0, top: 5 },
      { left: 10, top: 5 },
    ]);
  });
});

describe('estimateGridPngBytes', () => {
  const cell = { width: 512, height: 512 };

  it('GIVEN PNG tiles at cell size THEN the estimate is the sum of their sizes', () => {
    const tile = { bytes: 1000, format: 'png', width: 512, height: 512 };
    expect(estimateGridPngBytes([tile, tile, null, tile], cell)).toBe(3000);
  });

  it('GIVEN a tile twice the cell size THEN it counts for a quarter', () => {
    expect(estimateGridPngBytes([{ bytes: 4000, format: 'png', width: 1024, height: 1024 }], cell)).toBe(1000);
  });

  it('GIVEN a tile smaller than its cell THEN its size is not scaled up', () => {
    expect(estimateGridPngBytes([{ bytes: 4000, format: 'png', width: 256, height: 256 }], cell)).toBe(4000);
  });

  it('GIVEN a JPEG tile THEN there is no estimate', () => {
    expect(
      estimateGridPngBytes(
        [
          { bytes: 1000, format: 'png', width: 512, height: 512 },
          { bytes: 1000, format: 'jpeg', width: 512, height: 512 },
        ],
        cell,
      ),
    ).toBeUndefined();
  });
});
