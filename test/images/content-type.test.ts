import { describe, expect, it } from 'vitest';
import { classifyContentType, sniffImageType } from '../../src/images/content-type.js';
import { describeUrl, looksLikeSignedUrl } from '../../src/images/url.js';

describe('classifyContentType', () => {
  it.each([
    ['image/png', 'image/png'],
    ['IMAGE/JPEG; charset=binary', 'image/jpeg'],
    ['image/jpg', 'image/jpeg'],
    ['image/webp', 'image/webp'],
    ['image/gif', 'image/gif'],
    ['application/octet-stream', 'unlabelled'],
    [undefined, 'unlabelled'],
    ['text/html; charset=utf-8', 'refused'],
    ['application/json', 'refused'],
    ['image/svg+xml', 'refused'],
  ] as const)('GIVEN %s THEN %s', (header, verdict) => {
    expect(classifyContentType(header)).toBe(verdict);
  });
});

describe('sniffImageType', () => {
  it('GIVEN each format’s magic number THEN the type is found', () => {
    expect(sniffImageType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffImageType(Buffer.from('ffd8ffe000', 'hex'))).toBe('image/jpeg');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('GIF89a'))).toBe('image/gif');
  });

  it('GIVEN an HTML page or too few bytes THEN nothing is found', () => {
    expect(sniffImageType(Buffer.from('<!doctype html>'))).toBeUndefined();
    expect(sniffImageType(Buffer.from('RIFF'))).toBeUndefined();
    expect(sniffImageType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('describeUrl', () => {
  it('GIVEN a signed URL with credentials THEN only host and path are shown', () => {
    const url = new URL('https://user:secret@cdn.example.com:8443/a/b.png?X-Amz-Signature=abc#frag');
    expect(describeUrl(url)).toBe('cdn.example.com:8443/a/b.png');
  });
});

describe('looksLikeSignedUrl', () => {
  it.each([
    'https://cdn.discordapp.com/attachments/1/2/grid.png?ex=66a1b2c3&is=66a06143&hm=abcdef&',
    'https://bucket.s3.amazonaws.com/x.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=ff',
    'https://storage.googleapis.com/b/x.png?X-Goog-Signature=ff&X-Goog-Expires=60',
    'https://account.blob.core.windows.net/c/x.png?se=2030-01-01&sig=abc',
    'https://oss.example.com/x.png?OSSAccessKeyId=a&Expires=1700000000&Signature=b',
  ])('GIVEN %s THEN it looks signed', (url) => {
    expect(looksLikeSignedUrl(new URL(url))).toBe(true);
  });

  it.each([
    'https://cdn.apixo.ai/output/abc123.jpg',
    'https://example.com/x.png?width=1024&height=1024',
    'https://example.com/x.png?ex=1',
  ])('GIVEN %s THEN it does not look signed', (url) => {
    expect(looksLikeSignedUrl(new URL(url))).toBe(false);
  });
});
