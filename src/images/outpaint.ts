import type { FollowUp, FollowUpOf } from '../jobs/follow-up.js';

/**
 * The geometry of zoom out, pan and Make Square, shared by the adapters that emulate them (they
 * build the padded canvas) and by the simulators that check them. Each is an outpaint: the image
 * is placed on a larger canvas and the provider fills the rest.
 */
export type OutpaintFollowUp = FollowUpOf<'zoom' | 'pan' | 'square'>;

export interface Size {
  width: number;
  height: number;
}

/** Where the image sits on the canvas, in canvas pixels (APIXO's and Youchuan's `imgPos`). */
export interface Placement extends Size {
  x: number;
  y: number;
}

export interface OutpaintLayout {
  canvas: Size;
  image: Placement;
}

/** A pan extends the image by half its width or height, as Midjourney's pan buttons do. */
export const PAN_SCALE = 1.5;

export function isOutpaint(followUp: FollowUp): followUp is OutpaintFollowUp {
  return followUp.action === 'zoom' || followUp.action === 'pan' || followUp.action === 'square';
}

/** The canvas an outpaint of an image of `size` draws on, and where the image sits on it. */
export function outpaintLayout(size: Size, followUp: OutpaintFollowUp): OutpaintLayout {
  const { width, height } = size;
  switch (followUp.action) {
    case 'zoom': {
      const canvas = { width: Math.round(width * followUp.factor), height: Math.round(height * followUp.factor) };
      return { canvas, image: centred(canvas, size) };
    }
    case 'square': {
      const side = Math.max(width, height);
      const canvas = { width: side, height: side };
      return { canvas, image: centred(canvas, size) };
    }
    case 'pan': {
      const horizontal = followUp.direction === 'left' || followUp.direction === 'right';
      const canvas = horizontal
        ? { width: Math.round(width * PAN_SCALE), height }
        : { width, height: Math.round(height * PAN_SCALE) };
      // The image keeps the far edge; the new strip opens on the side panned to.
      const x = followUp.direction === 'left' ? canvas.width - width : 0;
      const y = followUp.direction === 'up' ? canvas.height - height : 0;
      return { canvas, image: { x, y, width, height } };
    }
  }
}

/**
 * The new area of an outpaint as rectangles on the canvas (at most four: above, below, left and
 * right of the image), for providers whose masks are polygons.
 */
export function newAreas(layout: OutpaintLayout): Placement[] {
  const { canvas, image } = layout;
  const areas: Placement[] = [
    { x: 0, y: 0, width: canvas.width, height: image.y },
    { x: 0, y: image.y + image.height, width: canvas.width, height: canvas.height - image.y - image.height },
    { x: 0, y: image.y, width: image.x, height: image.height },
    { x: image.x + image.width, y: image.y, width: canvas.width - image.x - image.width, height: image.height },
  ];
  return areas.filter((area) => area.width > 0 && area.height > 0);
}

function centred(canvas: Size, size: Size): Placement {
  return {
    x: Math.floor((canvas.width - size.width) / 2),
    y: Math.floor((canvas.height - size.height) / 2),
    ...size,
  };
}

/** "W:H" as two integers; anything else is 1:1. */
export function parseAspect(aspect: string | undefined): [number, number] {
  const match = /^(\d+):(\d+)$/.exec(aspect ?? '');
  const width = Number(match?.[1] ?? 1);
  const height = Number(match?.[2] ?? 1);
  return width > 0 && height > 0 ? [width, height] : [1, 1];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Whether an aspect ratio is 1:1 (however it is written: "2:2" is square too). */
export function isSquareAspect(aspect: string | undefined): boolean {
  const [width, height] = parseAspect(aspect);
  return width === height;
}

/** The frame's aspect ratio after a follow-up: a pan widens or heightens it by half, Make Square squares it. */
export function aspectAfter(aspect: string | undefined, followUp: FollowUp): string {
  const [width, height] = parseAspect(aspect);
  let next: [number, number] = [width, height];
  if (followUp.action === 'square') next = [1, 1];
  if (followUp.action === 'pan')
    next =
      followUp.direction === 'left' || followUp.direction === 'right'
        ? [width * 3, height * 2]
        : [width * 2, height * 3];
  const divisor = gcd(next[0], next[1]);
  return `${next[0] / divisor}:${next[1] / divisor}`;
}
