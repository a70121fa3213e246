import { z } from 'zod';

/**
 * The region of Vary (Region): the parts of an image to repaint, as polygons whose points are
 * fractions of the image's width and height (0 to 1, from the top left). The editor's rectangles
 * are four-point polygons and its lasso strokes longer ones; the presets are rectangles. Each
 * adapter turns this one shape into its provider's own form: pixel polygons, a mask image at a
 * URL, or a PNG upload.
 */
export const REGION_LIMITS = {
  /** Shapes in one region. */
  maxShapes: 8,
  /** Points in one shape: a lasso stroke is simplified in the page to stay under this. */
  maxPoints: 200,
  /** The remix prompt's length, as /imagine's prompt option allows. */
  maxPromptLength: 1000,
};

const fraction = z.number().min(0).max(1);
const point = z.tuple([fraction, fraction]);
/** A polygon: at least three points, not all on one line (its area is not zero). */
export const regionShapeSchema = z
  .array(point)
  .min(3, 'a shape needs at least 3 points')
  .max(REGION_LIMITS.maxPoints, `a shape has at most ${REGION_LIMITS.maxPoints} points`)
  .refine((points) => polygonArea(points) > 1e-4, 'a shape must cover part of the image, not a line or a point');
export const regionAreaSchema = z
  .array(regionShapeSchema)
  .min(1, 'draw at least one shape')
  .max(REGION_LIMITS.maxShapes, `at most ${REGION_LIMITS.maxShapes} shapes`);
export type RegionShape = z.infer<typeof regionShapeSchema>;
export type RegionArea = z.infer<typeof regionAreaSchema>;

/** An optional remix prompt: trimmed, and absent when blank. */
export const regionPromptSchema = z
  .string()
  .transform((text) => text.replace(/\s+/g, ' ').trim())
  .pipe(
    z.string().max(REGION_LIMITS.maxPromptLength, `the prompt has at most ${REGION_LIMITS.maxPromptLength} characters`),
  )
  .transform((text) => (text === '' ? undefined : text));

/** The area of a polygon in the unit square (shoelace formula). */
export function polygonArea(points: readonly (readonly [number, number])[]): number {
  return Math.abs(signedPolygonArea(points));
}

/** The polygon's area with its sign: positive when its points run clockwise on the y-down frame. */
export function signedPolygonArea(points: readonly (readonly [number, number])[]): number {
  let twice = 0;
  for (const [position, [x, y]] of points.entries()) {
    const [nextX, nextY] = points[(position + 1) % points.length]!;
    twice += x * nextY - nextX * y;
  }
  return twice / 2;
}

/** The presets offered without an editor (no public URL): thirds, halves and the centre. */
export const REGION_PRESETS = [
  'left-third',
  'centre-third',
  'right-third',
  'top-third',
  'middle-third',
  'bottom-third',
  'left-half',
  'right-half',
  'top-half',
  'bottom-half',
  'centre',
] as const;
export type RegionPreset = (typeof REGION_PRESETS)[number];

const rectangle = (left: number, top: number, right: number, bottom: number): RegionShape => [
  [left, top],
  [right, top],
  [right, bottom],
  [left, bottom],
];
const THIRD = 1 / 3;
const PRESET_SHAPES: Record<RegionPreset, RegionShape> = {
  'left-third': rectangle(0, 0, THIRD, 1),
  'centre-third': rectangle(THIRD, 0, 2 * THIRD, 1),
  'right-third': rectangle(2 * THIRD, 0, 1, 1),
  'top-third': rectangle(0, 0, 1, THIRD),
  'middle-third': rectangle(0, THIRD, 1, 2 * THIRD),
  'bottom-third': rectangle(0, 2 * THIRD, 1, 1),
  'left-half': rectangle(0, 0, 0.5, 1),
  'right-half': rectangle(0.5, 0, 1, 1),
  'top-half': rectangle(0, 0, 1, 0.5),
  'bottom-half': rectangle(0, 0.5, 1, 1),
  centre: rectangle(0.25, 0.25, 0.75, 0.75),
};
export const PRESET_NAMES: Record<RegionPreset, string> = {
  'left-third': 'Left third',
  'centre-third': 'Centre third (a column)',
  'right-third': 'Right third',
  'top-third': 'Top third',
  'middle-third': 'Middle third (a band)',
  'bottom-third': 'Bottom third',
  'left-half': 'Left half',
  'right-half': 'Right half',
  'top-half': 'Top half',
  'bottom-half': 'Bottom half',
  centre: 'Centre (the middle quarter)',
};

export function presetArea(preset: RegionPreset): RegionArea {
  return [PRESET_SHAPES[preset]];
}

/** A shape in pixels of a `width × height` image, rounded and kept inside it. */
export function shapeInPixels(shape: RegionShape, width: number, height: number): [number, number][] {
  return shape.map(([x, y]) => [Math.round(x * width), Math.round(y * height)]);
}

/**
 * The region as a black-and-white SVG of `width × height`: white inside the shapes. Adapters and
 * simulators rasterise it with sharp, so the bot's masks and the simulators' reading of them agree.
 */
export function regionSvg(
  area: RegionArea,
  width: number,
  height: number,
  inside = 'white',
  outside = 'black',
): string {
  const polygons = area
    .map((shape) => `<polygon points="${shapeInPixels(shape, width, height).join(' ')}" fill="${inside}"/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${outside}"/>${polygons}</svg>`;
}
