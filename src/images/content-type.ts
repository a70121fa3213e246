/** The image types Discord displays inline and sharp decodes; anything else is refused. */
export const IMAGE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** Types that say nothing about the bytes; some object stores serve every file with one of these. */
const UNLABELLED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/**
 * Reads a `content-type` header into a verdict: an image type, "unlabelled" (decide from the bytes),
 * or "refused" (an HTML error page, JSON, …) so the body is never read.
 */
export function classifyContentType(
  header: string | string[] | undefined,
): ImageContentType | 'unlabelled' | 'refused' {
  const value = (Array.isArray(header) ? header[0] : header) ?? '';
  const essence = (value.split(';')[0] ?? '').trim().toLowerCase();
  if (UNLABELLED.has(essence)) return 'unlabelled';
  // Some CDNs still send the non-standard `image/jpg`.
  if (essence === 'image/jpg') return 'image/jpeg';
  return (IMAGE_CONTENT_TYPES as readonly string[]).includes(essence) ? (essence as ImageContentType) : 'refused';
}

/** Identifies an image from its first bytes (the formats' magic numbers); undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageContentType | undefined {
  const starts = (offset: number, ...values: number[]) =>
    values.every((value, index) => bytes[offset + index] === value);
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (starts(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  return undefined;
}
