import type { ResultImage } from '../types.js';
import type { ImagesResponse } from './schemas.js';

/** The content type from the first bytes, so the format we did not ask for cannot be mislabelled. */
export function sniffContentType(base64: string): string {
  const head = Buffer.from(base64.slice(0, 24), 'base64');
  if (head.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return 'image/png';
  if (head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return 'application/octet-stream';
}

/**
 * The images in order. Fewer than asked (a model that dropped some) are padded with rejected
 * placeholders, so U/V numbers keep pointing at the same tiles.
 */
export function toResultImages(response: ImagesResponse, expected: number): ResultImage[] {
  const images = response.data.map((item): ResultImage => {
    if (item.b64_json) return { kind: 'base64', data: item.b64_json, contentType: sniffContentType(item.b64_json) };
    if (item.url) return { kind: 'url', url: item.url };
    return { kind: 'rejected', rejected: true, reason: 'no image data in the answer' };
  });
  while (images.length < expected)
    images.push({ kind: 'rejected', rejected: true, reason: 'not returned by the image service' });
  return images;
}
