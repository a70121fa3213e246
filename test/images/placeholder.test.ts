import { describe, expect, it } from 'vitest';
import { placeholderSvg, renderPlaceholder } from '../../src/images/placeholder.js';
import { PLACEHOLDER_COLOUR, PLACEHOLDER_MARK_COLOUR } from '../../src/images/palette.js';

describe('placeholder', () => {
  it('GIVEN any size THEN the SVG uses shapes only, so no font is needed', () => {
    const svg = placeholderSvg({ width: 320, height: 180 });
    expect(svg).not.toMatch(/<text|font/);
    expect(svg).toContain('width="320" height="180"');
  });

  it('GIVEN a cell size THEN the pixels are that size: grey at the edges, the mark in the middle', async () => {
    const pixels = await renderPlaceholder({ width: 300, height: 200 });
    expect(pixels.length).toBe(300 * 200 * 3);
    expect([...pixels.subarray(0, 3)]).toEqual([PLACEHOLDER_COLOUR.r, PLACEHOLDER_COLOUR.g, PLACEHOLDER_COLOUR.b]);
    const centre = (100 * 300 + 150) * 3;
    expect([...pixels.subarray(centre, centre + 3)]).toEqual([
      PLACEHOLDER_MARK_COLOUR.r,
      PLACEHOLDER_MARK_COLOUR.g,
      PLACEHOLDER_MARK_COLOUR.b,
    ]);
  });
});
