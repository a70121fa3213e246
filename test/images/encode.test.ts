import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeSingle, encodeWithinLimit, ImageEncodeError } from '../../src/images/encode.js';
import { NEUTRAL_BACKGROUND } from '../../src/images/palette.js';
import { decode, expectColour, noisePng, RED, solidPng } from './helpers.js';

describe('encodeSingle', () => {
  it('GIVEN a PNG within the limit THEN the same bytes come back untouched', async () => {
    const png = await solidPng(300, 200, RED);

    const result = await encodeSingle(png, 1_000_000);

    expect(result.bytes).toBe(png);
    expect(result).toMatchObject({ contentType: 'image/png', width: 300, height: 200, filename: 'image.png' });
  });

  it('GIVEN a WebP within the limit THEN it is kept as WebP', async () => {
    const webp = await sharp({ create: { width: 64, height: 64, channels: 3, background: RED } })
      .webp()
      .toBuffer();

    expect(await encodeSingle(webp, 1_000_000, { name: 'upscale' })).toMatchObject({
      contentType: 'image/webp',
      filename: 'upscale.webp',
    });
  });

  it('GIVEN a noisy PNG over the limit THEN a JPEG within the limit comes back at full size', async () => {
    const png = await noisePng(1024, 1024); // ~3.1 MB as PNG, ~0.9 MB as JPEG 90

    const result = await encodeSingle(png, 1_200_000);

    expect(result.bytes.length).toBeLessThanOrEqual(1_200_000);
    expect(result).toMatchObject({ contentType: 'image/jpeg', width: 1024, height: 1024, filename: 'image.jpg' });
    expect((await decode(result.bytes)).format).toBe('jpeg');
  });

  it('GIVEN a very tight limit THEN the size is halved until it fits', async () => {
    const png = await noisePng(1024, 1024);

    const result = await encodeSingle(png, 100_000);

    expect(result.bytes.length).toBeLessThanOrEqual(100_000);
    expect(result.width).toBeLessThanOrEqual(512);
    const image = await decode(result.bytes);
    expect([image.width, image.height]).toEqual([result.width, result.height]);
  });

  it('GIVEN a transparent PNG that must become JPEG THEN transparent pixels are flattened onto the background', async () => {
    // Opaque noise (a PNG of ~1 MB, a JPEG of ~0.25 MB) under a band of white but fully transparent rows.
    const { data: noise } = await sharp(await noisePng(512, 512))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let index = 0; index < 512 * 64 * 4; index += 4) noise.writeUInt32BE(0xffffff00, index);
    const png = await sharp(noise, { raw: { width: 512, height: 512, channels: 4 } })
      .png()
      .toBuffer();

    const result = await encodeSingle(png, 400_000);

    // Full size, so no resize has premultiplied the alpha away: only flattening can turn the band dark.
    expect(result).toMatchObject({ contentType: 'image/jpeg', width: 512, height: 512 });
    expectColour((await decode(result.bytes)).at(256, 30), NEUTRAL_BACKGROUND, 8, 'transparent band');
  });

  it('GIVEN a 16-bit PNG or a greyscale one over the limit THEN each is re-encoded from 8-bit RGB', async () => {
    const sixteenBit = await sharp(await noisePng(256, 256))
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const grey = await sharp(await noisePng(256, 256))
      .toColourspace('b-w')
      .png()
      .toBuffer();

    for (const png of [sixteenBit, grey]) {
      const result = await encodeSingle(png, Math.floor(png.length / 2));
      expect(result).toMatchObject({ contentType: 'image/jpeg', width: 256, height: 256 });
      expect(result.bytes.length).toBeLessThanOrEqual(png.length / 2);
    }
  });

  it('GIVEN bytes that are not an image THEN it fails with code undecodable', async () => {
    await expect(encodeSingle(Buffer.from('<html>oops</html>'), 1000)).rejects.toMatchObject({
      name: 'ImageEncodeError',
      code: 'undecodable',
    });
  });
});

describe('encodeWithinLimit', () => {
  it('GIVEN a limit nothing can meet THEN it fails with code cannot_fit instead of looping', async () => {
    const { data, info } = await sharp(await noisePng(256, 256))
      .raw()
      .toBuffer({ resolveWithObject: true });

    const attempt = encodeWithinLimit({ data, width: info.width, height: info.height, channels: 3 }, 100, {
      name: 'x',
    });

    await expect(attempt).rejects.toBeInstanceOf(ImageEncodeError);
    await expect(attempt).rejects.toMatchObject({ code: 'cannot_fit' });
  });

  it('GIVEN a PNG estimate over the limit THEN the PNG is skipped even though it would fit', async () => {
    const { data, info } = await sharp(await solidPng(64, 64, RED))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = { data, width: info.width, height: info.height, channels: 3 as const };

    expect((await encodeWithinLimit(image, 10_000, { name: 'x' })).contentType).toBe('image/png');
    expect((await encodeWithinLimit(image, 10_000, { name: 'x', pngEstimate: 20_000 })).contentType).toBe('image/jpeg');
  });
});
