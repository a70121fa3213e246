/**
 * The geometry of Youchuan's `/tob/outpaint` and `/tob/pan` as the simulator reads them, kept apart
 * from the bot's own (as a provider's is): the source image on a larger canvas, which the new
 * images fill around it.
 */
export interface Size {
  width: number;
  height: number;
}

export interface Layout {
  canvas: Size;
  /** Where the source sits on the canvas, in canvas pixels. */
  image: Size & { x: number; y: number };
}

/** `/tob/pan` directions by code (Youchuan: 0 down, 1 right, 2 up, 3 left). */
export const PAN_DIRECTIONS = ['down', 'right', 'up', 'left'] as const;
export type PanDirection = (typeof PAN_DIRECTIONS)[number];

/** Zoom out by `scale`: a canvas `scale` times the source each way, the source centred. */
export function zoomLayout(source: Size, scale: number): Layout {
  const canvas = { width: Math.round(source.width * scale), height: Math.round(source.height * scale) };
  const x = Math.floor((canvas.width - source.width) / 2);
  const y = Math.floor((canvas.height - source.height) / 2);
  return { canvas, image: { ...source, x, y } };
}

/** Pan by `scale` in `direction`: the canvas longer that way, the source at the far edge. */
export function panLayout(source: Size, direction: PanDirection, scale: number): Layout {
  const horizontal = direction === 'left' || direction === 'right';
  const canvas = horizontal
    ? { width: Math.round(source.width * scale), height: source.height }
    : { width: source.width, height: Math.round(source.height * scale) };
  const x = direction === 'left' ? canvas.width - source.width : 0;
  const y = direction === 'up' ? canvas.height - source.height : 0;
  return { canvas, image: { ...source, x, y } };
}

/** "W:H" in lowest terms. */
export function reducedAspect(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = gcd(width, height);
  return `${width / divisor}:${height / divisor}`;
}
