import { performance } from 'node:perf_hooks';
import { composeGrid, gridFloor } from '../src/images/grid.js';
import { renderImage } from '../src/sandbox/providers/kit/images.js';
import { median } from './stats.js';

const EDGE = 1024;
const WARM_UP = 3;
const PAIRS = 40;
/** The loop stops early if the machine is so slow that 40 pairs would take longer than this. */
const TIME_LIMIT_MS = 60_000;

export interface GridResult {
  tile_edge: number;
  pairs: number;
  compose_median_ms: number;
  floor_median_ms: number;
  /** compose median / floor median. */
  ratio: number;
  /** Median of the per-pair ratios: less sensitive to a slow stretch of the run. */
  pairwise_median_ratio: number;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * `composeGrid` against `gridFloor` (decode the four tiles, place them, encode once with the same
 * library and PNG settings) on four 1024×1024 PNGs. Runs alternate which goes first, so drift in
 * the machine's speed falls on both.
 */
export async function measureGrid(): Promise<GridResult> {
  const tiles = await Promise.all(
    [1, 2, 3, 4].map((index) => renderImage({ width: EDGE, height: EDGE, seed: 1000 + index, index })),
  );
  const compose = () => composeGrid(tiles);
  const floor = () => gridFloor(tiles);
  for (let round = 0; round < WARM_UP; round += 1) {
    await compose();
    await floor();
  }
  const composeTimes: number[] = [];
  const floorTimes: number[] = [];
  const deadline = Date.now() + TIME_LIMIT_MS;
  for (let pair = 0; pair < PAIRS && Date.now() < deadline; pair += 1) {
    if (pair % 2 === 0) {
      composeTimes.push(await timed(compose));
      floorTimes.push(await timed(floor));
    } else {
      floorTimes.push(await timed(floor));
      composeTimes.push(await timed(compose));
    }
  }
  const composeMedian = median(composeTimes);
  const floorMedian = median(floorTimes);
  return {
    tile_edge: EDGE,
    pairs: composeTimes.length,
    compose_median_ms: composeMedian,
    floor_median_ms: floorMedian,
    ratio: composeMedian / floorMedian,
    pairwise_median_ratio: median(composeTimes.map((time, index) => time / floorTimes[index]!)),
  };
}
