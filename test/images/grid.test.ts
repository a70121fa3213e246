import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { composeGrid, gridFloor } from '../../src/images/grid.js';
import { NEUTRAL_BACKGROUND, PLACEHOLDER_COLOUR } from '../../src/images/palette.js';
import { BLUE, decode, expectColour, GREEN, noisePng, RED, solidPng, YELLOW } from './helpers.js';

/** Centre of quadrant 0–3 (1 2 / 3 4) of a width × height grid. */
function quadrantCentre(index: number, width: number, height: number): [number, number] {
  return [((index % 2) + 0.5) * (width / 2), (Math.floor(index / 2) + 0.5) * (height / 2)];
}

describe('composeGrid', () => {
  it('GIVEN four 16:9 tiles THEN the grid is 16:9 and each quadrant shows its own tile', async () => {
    const colours = [RED, GREEN, BLUE, YELLOW];
    const tiles = await Promise.all(colours.map((colour) => solidPng(320, 180, colour)));

    const grid = await composeGrid(tiles);

    expect(grid).toMatchObject({
      contentType: 'image/png',
      filename: 'grid.png',
      width: 640,
      height: 360,
      placeholders: [],
    });
    const image = await decode(grid.bytes);
    expect([image.width, image.height, image.format]).toEqual([640, 360, 'png']);
    colours.forEach((colour, index) =>
      expectColour(image.at(...quadrantCentre(index, 640, 360)), colour, 0, `quadrant ${index + 1}`),
    );
    // The tiles fill their cells edge to edge: no letterbox when proportions match.
    expectColour(image.at(1, 1), RED, 0, 'top-left corner');
    expectColour(image.at(639, 359), YELLOW, 0, 'bottom-right corner');
  });

  it('GIVEN tiles larger than maxEdge allows THEN the grid shrinks to maxEdge and keeps 16:9', async () => {
    const tiles = await Promise.all([RED, GREEN, BLUE, YELLOW].map((colour) => solidPng(1600, 900, colour)));

    const grid = await composeGrid(tiles, { maxEdge: 1024 });

    expect(grid.width).toBe(1024);
    expect(grid.width / grid.height).toBeCloseTo(16 / 9, 2);
    const image = await decode(grid.bytes);
    expectColour(image.at(...quadrantCentre(3, grid.width, grid.height)), YELLOW, 0, 'quadrant 4');
  });

  it('GIVEN a null tile THEN its quadrant is the grey placeholder with a mark and the others are untouched', async () => {
    const tiles = [
      await solidPng(200, 200, RED),
      await solidPng(200, 200, GREEN),
      null,
      await solidPng(200, 200, YELLOW),
    ];

    const grid = await composeGrid(tiles);

    expect(grid.placeholders).toEqual([3]);
    const image = await decode(grid.bytes);
    // Quadrant 3 spans x 0–199, y 200–399; its corner area is plain grey, its centre holds the mark.
    expectColour(image.at(20, 220), PLACEHOLDER_COLOUR, 0, 'placeholder corner area');
    expect(image.at(100, 300)).not.toEqual(PLACEHOLDER_COLOUR);
    expectColour(image.at(...quadrantCentre(0, 400, 400)), RED, 0, 'quadrant 1');
    expectColour(image.at(...quadrantCentre(3, 400, 400)), YELLOW, 0, 'quadrant 4');
  });

  it('GIVEN bytes that are not an image THEN that tile becomes a placeholder instead of failing the grid', async () => {
    const tiles = [
      await solidPng(100, 100, RED),
      Buffer.from('<html>not found</html>'),
      await solidPng(100, 100, BLUE),
      await solidPng(100, 100, GREEN),
    ];

    const grid = await composeGrid(tiles);

    expect(grid.placeholders).toEqual([2]);
    expectColour((await decode(grid.bytes)).at(110, 10), PLACEHOLDER_COLOUR, 0, 'quadrant 2');
  });

  it('GIVEN no tiles at all THEN four placeholders are drawn at a default size', async () => {
    const grid = await composeGrid([null, null, null, null]);

    expect(grid.placeholders).toEqual([1, 2, 3, 4]);
    expect([grid.width, grid.height]).toEqual([1024, 1024]);
  });

  it('GIVEN tiles of mixed proportions THEN each is letterboxed inside the first tile’s cell, not stretched', async () => {
    const tiles = [
      await solidPng(320, 180, RED), // sets the cell: 320×180
      await solidPng(180, 180, GREEN), // square: 180×180 centred, 70 px bars left and right
      await solidPng(90, 160, BLUE), // tall: 101×180, bars left and right
      await solidPng(320, 90, YELLOW), // wide: 320×90, bars above and below
    ];

    const grid = await composeGrid(tiles);

    expect([grid.width, grid.height]).toEqual([640, 360]);
    const image = await decode(grid.bytes);
    // Square tile in quadrant 2 (x 320–639, y 0–179).
    expectColour(image.at(480, 90), GREEN, 0, 'square tile centre');
    expectColour(image.at(322, 90), NEUTRAL_BACKGROUND, 0, 'square tile left bar');
    expectColour(image.at(637, 90), NEUTRAL_BACKGROUND, 0, 'square tile right bar');
    expectColour(image.at(480, 1), GREEN, 0, 'square tile top edge');
    // Tall tile in quadrant 3 (x 0–319, y 180–359).
    expectColour(image.at(160, 270), BLUE, 0, 'tall tile centre');
    expectColour(image.at(60, 270), NEUTRAL_BACKGROUND, 0, 'tall tile left bar');
    // Wide tile in quadrant 4 (x 320–639, y 180–359).
    expectColour(image.at(480, 270), YELLOW, 0, 'wide tile centre');
    expectColour(image.at(480, 185), NEUTRAL_BACKGROUND, 0, 'wide tile top bar');
    expectColour(image.at(480, 355), NEUTRAL_BACKGROUND, 0, 'wide tile bottom bar');
  });

  it('GIVEN a photo with an EXIF rotation THEN the grid uses it the way it is displayed', async () => {
    // Stored 200×100 with a left half red, tagged "rotate 90° clockwise": shown 100×200, red on top.
    const stored = await sharp({ create: { width: 200, height: 100, channels: 3, background: BLUE } })
      .composite([{ input: await solidPng(100, 100, RED), left: 0, top: 0 }])
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 100 })
      .toBuffer();

    const grid = await composeGrid([stored]);

    expect([grid.width, grid.height]).toEqual([200, 400]);
    const image = await decode(grid.bytes);
    expectColour(image.at(50, 40), RED, 12, 'top of the rotated photo');
    expectColour(image.at(50, 160), BLUE, 12, 'bottom of the rotated photo');
  });

  it('GIVEN a transparent tile THEN its transparent pixels show the background', async () => {
    const transparent = await sharp({
      create: { width: 100, height: 100, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const grid = await composeGrid([await solidPng(100, 100, RED), transparent]);

    expectColour((await decode(grid.bytes)).at(150, 50), NEUTRAL_BACKGROUND, 0, 'transparent tile');
    expect(grid.placeholders).toEqual([3, 4]);
  });

  it('GIVEN greyscale, grey with alpha, 16-bit and CMYK tiles THEN each is converted to 8-bit RGB', async () => {
    const grey = await sharp(Buffer.alloc(100 * 100, 128), { raw: { width: 100, height: 100, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const greyAlpha = await sharp(Buffer.alloc(100 * 100 * 2, 128), { raw: { width: 100, height: 100, channels: 2 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const sixteenBit = await sharp(await solidPng(100, 100, RED))
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const cmyk = await sharp(await solidPng(100, 100, BLUE))
      .toColourspace('cmyk')
      .jpeg({ quality: 100 })
      .toBuffer();

    const grid = await composeGrid([grey, greyAlpha, sixteenBit, cmyk]);

    expect(grid.placeholders).toEqual([]);
    const image = await decode(grid.bytes);
    expectColour(image.at(50, 50), { r: 128, g: 128, b: 128 }, 0, 'grey');
    expectColour(image.at(150, 50), { r: 64, g: 64, b: 64 }, 1, 'half-transparent grey on black');
    expectColour(image.at(50, 150), RED, 1, '16-bit');
    // CMYK round trips shift colours; what matters is that it decoded as blue, not as a placeholder.
    const cmykPixel = image.at(150, 150);
    expect(cmykPixel.b).toBeGreaterThan(cmykPixel.r + 60);
    expect(cmykPixel.b).toBeGreaterThan(cmykPixel.g + 60);
  });

  it('GIVEN a noisy 2048 grid and a 300 KB limit THEN a lossy file within the limit still comes back', async () => {
    const tiles = await Promise.all([1, 2, 3, 4].map((seed) => noisePng(1024, 1024, seed)));

    const grid = await composeGrid(tiles, { maxBytes: 300_000 });

    expect(grid.bytes.length).toBeLessThanOrEqual(300_000);
    expect(grid).toMatchObject({ contentType: 'image/jpeg', filename: 'grid.jpg' });
    const image = await decode(grid.bytes);
    expect([image.width, image.height, image.format]).toEqual([grid.width, grid.height, 'jpeg']);
    expect(grid.width).toBe(grid.height);
    expect(grid.width).toBeLessThan(2048);
  });

  it('GIVEN a limit a PNG cannot meet but a JPEG can THEN the grid stays full size as JPEG', async () => {
    const tiles = await Promise.all([RED, GREEN, BLUE, YELLOW].map((colour) => solidPng(512, 512, colour)));
    tiles[0] = await noisePng(512, 512); // ~790 KB of PNG on its own

    const grid = await composeGrid(tiles, { maxBytes: 600_000, name: 'job42' });

    expect(grid).toMatchObject({ contentType: 'image/jpeg', filename: 'job42.jpg', width: 1024, height: 1024 });
    expect(grid.bytes.length).toBeLessThanOrEqual(600_000);
    expectColour((await decode(grid.bytes)).at(768, 256), GREEN, 6, 'quadrant 2 after JPEG');
  });

  it('GIVEN more than four tiles THEN it refuses', async () => {
    await expect(composeGrid([null, null, null, null, null])).rejects.toThrow(RangeError);
  });
});

describe('gridFloor', () => {
  it('GIVEN four tiles THEN it encodes one PNG of the grid’s size', async () => {
    const tiles = await Promise.all([RED, GREEN, BLUE, YELLOW].map((colour) => solidPng(256, 256, colour)));

    const image = await decode(await gridFloor(tiles));

    expect([image.width, image.height, image.format]).toEqual([512, 512, 'png']);
    expectColour(image.at(384, 384), YELLOW, 0, 'quadrant 4');
  });
});
