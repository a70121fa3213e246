import { randomInt } from 'node:crypto';
import type { Action } from './bodies.js';
import { upscaleSize, type SimTask } from './tasks.js';

/** What a new task inherits from its parent image and how it differs. */
export interface Derived {
  kind: 'grid' | 'single';
  aspect: string;
  cell: SimTask['cell'];
  single?: SimTask['single'];
  seed: number;
  label: string;
  region?: SimTask['region'];
}

/** How much wider and taller each zoom or pan draws its canvas than the image it starts from. */
const OUTPAINTS: Partial<Record<Action, { width: number; height: number }>> = {
  zoom_out_2x: { width: 2, height: 2 },
  zoom_out_1_5x: { width: 1.5, height: 1.5 },
  pan_left: { width: 1.5, height: 1 },
  pan_right: { width: 1.5, height: 1 },
  pan_up: { width: 1, height: 1.5 },
  pan_down: { width: 1, height: 1.5 },
};

function reduced(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const divisor = gcd(width, height);
  return `${width / divisor}:${height / divisor}`;
}

const mix = (seed: number, salt: number) => (Math.imul(seed ^ 0x9e3779b9, 31) + salt) >>> 0;

/**
 * The task an action on `parent` makes. Upscales show the parent's picture again, larger (same
 * seed and index, so U2 matches the grid's second cell); everything else makes a new grid.
 */
export function deriveFrom(parent: SimTask, action: Action): Derived {
  const inherited = { aspect: parent.aspect, cell: parent.cell };
  const grid = /^upscale([1-4])$/.exec(action);
  if (grid) {
    const index = Number(grid[1]);
    return {
      ...inherited,
      kind: 'single',
      single: { size: upscaleSize(parent, action), index },
      seed: parent.seed,
      label: `U${index}`,
    };
  }
  if (action === 'upscale_2x' || action === 'upscale_4x') {
    const index = parent.single?.index ?? 1;
    return {
      ...inherited,
      kind: 'single',
      single: { size: upscaleSize(parent, action), index },
      seed: parent.seed,
      label: `${parent.label} ${action.slice(-2)}`,
    };
  }
  const variation = /^variation([1-4])$/.exec(action);
  if (variation)
    return { ...inherited, kind: 'grid', seed: mix(parent.seed, Number(variation[1])), label: `V${variation[1]}` };
  if (action === 'reroll') return { ...inherited, kind: 'grid', seed: randomInt(2 ** 31), label: 'reroll' };
  const outpaint = OUTPAINTS[action];
  if (outpaint && parent.single) {
    // Midjourney's zoom and pan draw a larger canvas around the image: a pan widens (or heightens) the frame by half.
    const { size } = parent.single;
    const cell = { width: Math.round(size.width * outpaint.width), height: Math.round(size.height * outpaint.height) };
    const [width, height] = (parent.aspect.match(/\d+/g) ?? ['1', '1']).map(Number);
    return {
      aspect: reduced((width ?? 1) * outpaint.width * 2, (height ?? 1) * outpaint.height * 2),
      cell,
      kind: 'grid',
      seed: mix(parent.seed, action.length * 7919),
      label: action.replace(/_/g, ' '),
    };
  }
  return { ...inherited, kind: 'grid', seed: mix(parent.seed, action.length * 7919), label: action.replace(/_/g, ' ') };
}
