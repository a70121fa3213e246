/** Largest image a simulator downloads (Midjourney takes uploads up to about this size). */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export type Fetched = { ok: true; bytes: Buffer } | { ok: false; message: string };

/** Downloads an image a request names, as a provider would: a bounded GET with a timeout. */
export async function fetchImage(url: string): Promise<Fetched> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return { ok: false, message: `the image link answered HTTP ${response.status}` };
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, message: 'the image is larger than 20 MB' };
    return { ok: true, bytes };
  } catch {
    return { ok: false, message: 'the image could not be downloaded' };
  }
}
