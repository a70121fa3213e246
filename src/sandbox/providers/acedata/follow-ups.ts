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
  return { ...inherited, kind: 'grid', seed: mix(parent.seed, action.length * 7919), label: action.replace(/_/g, ' ') };
}
