import sharp from 'sharp';
import {
  DEFAULT_ATTACHMENT_BYTES,
  encodeRaw,
  encodeWithinLimit,
  MAX_INPUT_PIXELS,
  type EncodedImage,
  type Encoding,
} from './encode.js';
import { cellOrigin, estimateGridPngBytes, gridLayout, type GridLayout, type TileFacts } from './layout.js';
import { NEUTRAL_BACKGROUND } from './palette.js';
import { renderPlaceholder } from './placeholder.js';

export { encodeSingle, type EncodedImage } from './encode.js';

export const DEFAULT_GRID_EDGE = 2048;
const CHANNELS = 3;

export interface GridOptions {
  /** The attachment limit the interaction announces. Default 10 MiB. */
  maxBytes?: number;
  /** Longest edge of the whole grid. Default 2048. */
  maxEdge?: number;
  /** File name without extension. Default "grid". */
  name?: string;
}

export interface GridImage extends EncodedImage {
  /** Tiles (1-based) drawn as placeholders: null, or bytes that would not decode. */
  placeholders: number[];
}

interface Tile extends TileFacts {
  input: Buffer;
  /** What the decode pipeline must do beyond decoding; each step is skipped when the file needs none. */
  needs: { orient: boolean; flatten: boolean };
}

/** Reads a tile's header only (no pixels); null when the bytes are not an image sharp can read. */
async function probe(input: Buffer | null | undefined): Promise<Tile | null> {
  if (!input) return null;
  try {
    const metadata = await sharp(input).metadata();
    return {
      input,
      bytes: input.length,
      format: metadata.format,
      ...metadata.autoOrient,
      needs: { orient: (metadata.orientation ?? 1) > 1, flatten: metadata.hasAlpha },
    };
  } catch {
    return null;
  }
}

/** Decodes a tile once, fitted inside its cell in the same pipeline, as raw RGB of exactly the cell's size. */
async function decodeIntoCell(tile: Tile, layout: GridLayout): Promise<Buffer | null> {
  const { cell } = layout;
  try {
    // Each step costs a pass over the pixels even when it changes nothing, so only the needed ones run.
    let pipeline = sharp(tile.input, { autoOrient: tile.needs.orient, limitInputPixels: MAX_INPUT_PIXELS });
    // Flattening first means the resize works on three bands instead of premultiplied four.
    if (tile.needs.flatten) pipeline = pipeline.flatten({ background: NEUTRAL_BACKGROUND });
    if (tile.width !== cell.width || tile.height !== cell.height) {
      pipeline = pipeline.resize(cell.width, cell.height, { fit: 'contain', background: NEUTRAL_BACKGROUND });
    }
    // sharp writes 8-bit sRGB unless told otherwise, so greyscale, 16-bit and CMYK tiles arrive as RGB.
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return info.channels === CHANNELS && info.width === cell.width && info.height === cell.height ? data : null;
  } catch {
    // A truncated or corrupt tile becomes a placeholder rather than costing the other three.
    return null;
  }
}

/**
 * Copies a cell's rows into the grid's pixels. Cells never overlap, so plain row copies are all it
 * takes; a libvips composite would blend each layer over the whole canvas. Larger cells are cropped.
 */
function blit(
  canvas: Buffer,
  layout: GridLayout,
  index: number,
  cell: Buffer,
  cellWidth = layout.cell.width,
  cellHeight = layout.cell.height,
): void {
  const { left, top } = cellOrigin(index, layout.cell);
  const rowBytes = Math.min(cellWidth, layout.cell.width) * CHANNELS;
  for (let row = 0; row < Math.min(cellHeight, layout.cell.height); row += 1) {
    const source = row * cellWidth * CHANNELS;
    cell.copy(canvas, ((top + row) * layout.width + left) * CHANNELS, source, source + rowBytes);
  }
}

/**
 * Composes up to four tiles into a 2×2 grid (1 2 / 3 4) that fits in `maxBytes`. Cells take the
 * first tile's proportions; every tile keeps its own, letterboxed on a neutral background. A null
 * tile (withheld by moderation, failed to download) becomes a grey "hidden" placeholder.
 * Each tile is decoded once and resized in the same pipeline; the grid is encoded from raw pixels.
 */
export async function composeGrid(tiles: readonly (Buffer | null)[], options: GridOptions = {}): Promise<GridImage> {
  if (tiles.length > 4) throw new RangeError(`composeGrid: a grid holds 4 tiles, got ${tiles.length}`);
  const probed = await Promise.all([0, 1, 2, 3].map((index) => probe(tiles[index])));
  const layout = gridLayout(probed.find((tile) => tile !== null) ?? undefined, options.maxEdge ?? DEFAULT_GRID_EDGE);
  const cells = await Promise.all(probed.map(async (tile) => (tile ? decodeIntoCell(tile, layout) : null)));
  const placeholders = cells.flatMap((cell, index) => (cell ? [] : [index + 1]));
  const placeholder = placeholders.length > 0 ? await renderPlaceholder(layout.cell) : undefined;
  // Every byte is written below: the four cells cover the grid exactly.
  const canvas = Buffer.allocUnsafe(layout.width * layout.height * CHANNELS);
  cells.forEach((cell, index) => {
    const pixels = cell ?? placeholder;
    if (pixels) blit(canvas, layout, index, pixels);
  });
  const drawn = probed.map((tile, index) => (cells[index] ? tile : null));
  const encoded = await encodeWithinLimit(
    { data: canvas, width: layout.width, height: layout.height, channels: CHANNELS },
    options.maxBytes ?? DEFAULT_ATTACHMENT_BYTES,
    {
      name: options.name ?? 'grid',
      pngEstimate: estimateGridPngBytes(drawn, layout.cell),
    },
  );
  return { ...encoded, placeholders };
}

/**
 * The least work any grid needs, for benchmarks: decode the tiles at their own size, place them
 * without resizing, and encode one image of the grid's size once (PNG unless `encoding` says).
 */
export async function gridFloor(
  tiles: readonly (Buffer | null)[],
  options: GridOptions & { encoding?: Encoding } = {},
): Promise<Buffer> {
  const decoded = await Promise.all(
    tiles
      .slice(0, 4)
      .map(async (tile) => (tile ? sharp(tile).removeAlpha().raw().toBuffer({ resolveWithObject: true }) : null)),
  );
  const first = decoded.find((tile) => tile !== null)?.info;
  const layout = gridLayout(first, options.maxEdge ?? DEFAULT_GRID_EDGE);
  const canvas = Buffer.alloc(layout.width * layout.height * CHANNELS);
  decoded.forEach((tile, index) => {
    if (tile) blit(canvas, layout, index, tile.data, tile.info.width, tile.info.height);
  });
  return encodeRaw(
    { data: canvas, width: layout.width, height: layout.height, channels: CHANNELS },
    options.encoding ?? { format: 'png' },
  );
}
