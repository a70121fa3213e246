/**
 * What an image URL may show in an error or a log: host and path. The query string is left out
 * because signed CDN links carry their signature there, and a leaked signature is a leaked file.
 */
export function describeUrl(url: URL): string {
  return `${url.host}${url.pathname}`;
}

/**
 * Query parameters that mark a time-limited signed link: Discord's CDN (`ex`, `is`, `hm`, which
 * AceData's older links use), S3 and R2 presigned URLs, Google Cloud Storage, Tencent COS, Azure SAS,
 * CloudFront and Aliyun OSS.
 */
const SIGNATURE_PARAMS = [
  ['ex', 'hm'],
  ['x-amz-signature'],
  ['x-amz-expires'],
  ['x-goog-signature'],
  ['x-goog-expires'],
  ['q-signature'],
  ['sig', 'se'],
  ['signature', 'expires'],
  ['signature', 'key-pair-id'],
  ['policy', 'key-pair-id'],
] as const;

/**
 * Whether a URL looks like a signed link that expires. A 403, 404 or 410 from such a link almost
 * always means the signature ran out, not that the request was wrong.
 */
export function looksLikeSignedUrl(url: URL): boolean {
  const names = new Set([...url.searchParams.keys()].map((name) => name.toLowerCase()));
  return SIGNATURE_PARAMS.some((group) => group.every((name) => names.has(name)));
}
