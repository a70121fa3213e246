export interface Size {
  width: number;
  height: number;
}

export interface GridLayout {
  /** Every cell has this size; the grid is exactly two cells across and two down. */
  cell: Size;
  width: number;
  height: number;
}

/** Cell size when every tile is missing: the grid still renders, as four placeholders. */
const FALLBACK_CELL: Size = { width: 512, height: 512 };

/**
 * Cells take the first available tile's size, shrunk (never enlarged) so the grid's longer edge is
 * at most `maxEdge`. Midjourney's grids are four tiles at their own size, which is what this gives.
 */
export function gridLayout(first: Size | undefined, maxEdge: number): GridLayout {
  const base = first ?? FALLBACK_CELL;
  const scale = Math.min(1, maxEdge / (2 * Math.max(base.width, base.height)));
  // Round down so two cells never pass maxEdge.
  const cell = {
    width: Math.max(1, Math.floor(base.width * scale)),
    height: Math.max(1, Math.floor(base.height * scale)),
  };
  return { cell, width: cell.width * 2, height: cell.height * 2 };
}

/** Top-left corner of cell 0–3, in reading order (1 2 / 3 4, as U1–U4 number them). */
export function cellOrigin(index: number, cell: Size): { left: number; top: number } {
  return { left: (index % 2) * cell.width, top: Math.floor(index / 2) * cell.height };
}

/** A tile as found before decoding: its encoded size, its format and its pixel size. */
export interface TileFacts {
  bytes: number;
  format: string;
  width: number;
  height: number;
}

/**
 * Predicts the grid's PNG size from the tiles' own PNG files: the same pixels through the same
 * codec come out at about the same size, scaled by how much each tile shrinks. Undefined when a
 * tile is not PNG (a JPEG's size says little about its PNG). It errs low (the grid measured 1–8%
 * larger than its tiles, and shrunk tiles compress less well per pixel), so skipping the PNG when
 * the estimate is already over the limit only skips encodes that would have been thrown away,
 * unless the provider's PNG encoder compressed much worse than ours.
 */
export function estimateGridPngBytes(tiles: readonly (TileFacts | null)[], cell: Size): number | undefined {
  let total = 0;
  for (const tile of tiles) {
    if (!tile) continue;
    if (tile.format !== 'png') return undefined;
    const scale = Math.min(cell.width / tile.width, cell.height / tile.height);
    total += tile.bytes * Math.min(1, scale * scale);
  }
  return total;
}
