/**
 * Around letterboxed tiles and behind transparent pixels. Black, because libvips flattens alpha
 * onto black on a fast path: decoding an RGBA tile measured about 40% cheaper than onto dark grey.
 */
export const NEUTRAL_BACKGROUND = { r: 0, g: 0, b: 0 } as const;

/** A tile that could not be shown (withheld by moderation, failed to download): mid-grey … */
export const PLACEHOLDER_COLOUR = { r: 128, g: 128, b: 128 } as const;
/** … with a lighter "hidden" mark, so it reads as deliberate rather than as a broken image. */
export const PLACEHOLDER_MARK_COLOUR = { r: 200, g: 200, b: 200 } as const;

export function cssColour(colour: { r: number; g: number; b: number }): string {
  return `rgb(${colour.r},${colour.g},${colour.b})`;
}
