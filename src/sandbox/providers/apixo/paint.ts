import { z } from 'zod';

/**
 * How the APIXO simulator checks an `upload-paint` task's geometry (apixo-midjourney.txt, "Upload-paint
 * mode"): `canvas` is the picture's size, `imgPos` where the source image sits on it, and the mask
 * either polygon `areas` (points clockwise as [x1,y1,x2,y2,…] from the top-left origin, inside the
 * area's own width × height frame) or a black/white image `url`.
 */
const MAX_EDGE = 8192;
const edge = z.number().int().min(1).max(MAX_EDGE);

const canvasSchema = z.object({ width: edge, height: edge });
const imgPosSchema = z.object({ width: edge, height: edge, x: z.number().int().min(0), y: z.number().int().min(0) });
const areaSchema = z.object({
  width: edge,
  height: edge,
  points: z.array(z.number().int().min(0)).min(6),
});
const maskSchema = z.union([z.object({ areas: z.array(areaSchema).min(1) }), z.object({ url: z.string().min(1) })]);

export interface PaintGeometry {
  canvas: { width: number; height: number };
  imgPos: { width: number; height: number; x: number; y: number };
  /** The mask's polygons as fractions of each area's frame; absent for a mask `url`. */
  shapes?: [number, number][][];
}

/** Twice the signed area; positive when the points run clockwise on a y-down frame. */
function signedArea(points: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < points.length; index += 2) {
    const next = (index + 2) % points.length;
    sum += (points[index] ?? 0) * (points[next + 1] ?? 0) - (points[next] ?? 0) * (points[index + 1] ?? 0);
  }
  return sum;
}

/** The geometry of an upload-paint input, or APIXO's 400 message for what is wrong with it. */
export function readPaint(input: {
  mask?: unknown;
  canvas?: unknown;
  imgPos?: unknown;
}): { ok: true; geometry: PaintGeometry } | { ok: false; message: string } {
  const fail = (field: string, message: string) => ({
    ok: false as const,
    message: `Invalid parameter: input.${field}: ${message}`,
  });
  const canvas = canvasSchema.safeParse(input.canvas);
  if (!canvas.success) return fail('canvas', `width and height must be integers from 1 to ${MAX_EDGE}`);
  const imgPos = imgPosSchema.safeParse(input.imgPos);
  if (!imgPos.success)
    return fail('imgPos', `width and height must be integers from 1 to ${MAX_EDGE}, x and y at least 0`);
  const position = imgPos.data;
  if (position.x + position.width > canvas.data.width || position.y + position.height > canvas.data.height)
    return fail('imgPos', 'the image must lie inside the canvas');
  const mask = maskSchema.safeParse(input.mask);
  if (!mask.success) return fail('mask', 'give areas (width, height, points) or url');
  if (!('areas' in mask.data)) return { ok: true, geometry: { canvas: canvas.data, imgPos: position } };
  const shapes: [number, number][][] = [];
  for (const [index, area] of mask.data.areas.entries()) {
    if (area.points.length % 2 !== 0) return fail(`mask.areas.${index}.points`, 'must be x,y pairs');
    if (area.points.some((value, position) => value > (position % 2 === 0 ? area.width : area.height)))
      return fail(`mask.areas.${index}.points`, 'must lie inside the area width and height');
    if (signedArea(area.points) <= 0) return fail(`mask.areas.${index}.points`, 'must run clockwise');
    const pairs: [number, number][] = [];
    for (let at = 0; at + 1 < area.points.length; at += 2)
      pairs.push([area.points[at]! / area.width, area.points[at + 1]! / area.height]);
    shapes.push(pairs);
  }
  return { ok: true, geometry: { canvas: canvas.data, imgPos: position, shapes } };
}
