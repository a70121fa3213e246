import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadImage, ImageDownloadError, loadResultImage, type DownloadOptions } from '../../src/images/download.js';
import { solidPng, RED } from './helpers.js';

let png: Buffer;
let server: Server;
let base: string;
let closedPortUrl: string;
const agent = new Agent({ keepAliveTimeout: 1_000 });

type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** Every route the tests need, keyed by path; the query string is ignored. */
function routes(): Record<string, Route> {
  const image = (contentType: string, body: Buffer) => (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    response.end(body);
  };
  const redirect = (location: string) => (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(302, { location });
    response.end();
  };
  return {
    '/ok.png': image('image/png', png),
    '/unlabelled': image('application/octet-stream', png),
    '/mislabelled-html': image('image/png', Buffer.from('<!doctype html><p>Access denied</p>')),
    '/page.html': image('text/html; charset=utf-8', Buffer.from('<!doctype html><p>Not found</p>')),
    '/big-declared': image('image/png', Buffer.alloc(50_000, 1)),
    '/big-chunked': (_request, response) => {
      // No content-length: the size is only known by counting while streaming.
      response.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(4_096, 1);
      let sent = 0;
      const timer = setInterval(() => {
        if (response.destroyed || sent >= 50) {
          clearInterval(timer);
          response.end();
          return;
        }
        response.write(chunk);
        sent += 1;
      }, 2);
    },
    '/slow-headers': (_request, response) => {
      const timer = setTimeout(() => image('image/png', png)(_request, response), 5_000);
      response.on('close', () => clearTimeout(timer));
    },
    '/slow-body': (_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
      response.write(png.subarray(0, 10));
      const timer = setTimeout(() => response.end(png.subarray(10)), 5_000);
      response.on('close', () => clearTimeout(timer));
    },
    '/redirect': redirect('/hop/ok'),
    '/hop/ok': redirect('../ok.png'),
    '/loop': redirect('/loop'),
    '/to-file': redirect('file:///etc/passwd'),
    '/redirect-no-location': (_request, response) => {
      response.writeHead(302);
      response.end();
    },
    '/gone-signed': (_request, response) => {
      response.writeHead(403, { 'content-type': 'text/plain' });
      response.end('Request has expired');
    },
    '/server-error': (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('boom');
    },
  };
}

beforeAll(async () => {
  png = await solidPng(64, 64, RED);
  const table = routes();
  server = createServer((request, response) => {
    // A client that hangs up mid-body is expected here; it must not crash the test server.
    response.on('error', () => undefined);
    const route = table[new URL(request.url ?? '/', 'http://local').pathname];
    if (route) route(request, response);
    else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPortUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/ok.png`;
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function options(overrides: Partial<DownloadOptions> = {}): DownloadOptions {
  return { signal: new AbortController().signal, dispatcher: agent, ...overrides };
}

/** Runs a download that must fail and returns its ImageDownloadError. */
async function failure(path: string, overrides: Partial<DownloadOptions> = {}): Promise<ImageDownloadError> {
  const error: unknown = await downloadImage(path.startsWith('http') ? path : base + path, options(overrides)).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImageDownloadError);
  return error as ImageDownloadError;
}

describe('downloadImage', () => {
  it('GIVEN a PNG THEN its bytes and type come back', async () => {
    const result = await downloadImage(`${base}/ok.png`, options());
    expect(result.contentType).toBe('image/png');
    expect(result.bytes.equals(png)).toBe(true);
  });

  it('GIVEN an HTML error page THEN it fails with bad_type naming the content type', async () => {
    const error = await failure('/page.html');
    expect(error.code).toBe('bad_type');
    expect(error.message).toContain('text/html');
  });

  it('GIVEN a file labelled image/png that is really HTML THEN it fails with bad_type', async () => {
    expect((await failure('/mislabelled-html')).code).toBe('bad_type');
  });

  it('GIVEN an image served as application/octet-stream THEN its type is read from the bytes', async () => {
    expect((await downloadImage(`${base}/unlabelled`, options())).contentType).toBe('image/png');
  });

  it('GIVEN a content-length over maxBytes THEN it fails with too_large before reading the body', async () => {
    const error = await failure('/big-declared', { maxBytes: 10_000 });
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('50000 bytes');
  });

  it('GIVEN a chunked body that grows past maxBytes THEN it fails with too_large while streaming', async () => {
    const error = await failure('/big-chunked', { maxBytes: 20_000 });
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('passed the 20000 byte limit');
  });

  it('GIVEN a server that is slow to answer THEN it fails with timeout at the deadline', async () => {
    const started = Date.now();
    const error = await failure('/slow-headers', { timeoutMs: 200 });
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('GIVEN a body that stalls halfway THEN the deadline still applies', async () => {
    expect((await failure('/slow-body', { timeoutMs: 200 })).code).toBe('timeout');
  });

  it('GIVEN the caller aborts THEN the caller’s reason is thrown, not a download error', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 50);
    await expect(downloadImage(`${base}/slow-headers`, options({ signal: controller.signal }))).rejects.toBe(reason);
  });

  it('GIVEN redirects (relative ones included) THEN they are followed to the image', async () => {
    expect((await downloadImage(`${base}/redirect`, options())).bytes.equals(png)).toBe(true);
  });

  it('GIVEN a redirect loop THEN it stops after 3 redirects', async () => {
    const error = await failure('/loop');
    expect(error.code).toBe('http_status');
    expect(error.message).toContain('more than 3 redirects');
  });

  it('GIVEN a redirect to a non-http scheme THEN it is refused', async () => {
    const error = await failure('/to-file');
    expect(error.code).toBe('bad_url');
    expect(error.message).toContain('file:');
  });

  it('GIVEN a non-http URL THEN nothing is fetched', async () => {
    expect((await failure('ftp://127.0.0.1/x.png')).code).toBe('bad_url');
  });

  it('GIVEN a redirect without a location THEN it fails with http_status', async () => {
    expect((await failure('/redirect-no-location')).code).toBe('http_status');
  });

  it('GIVEN a 403 on a signed URL THEN it fails with expired and the signature stays out of the message', async () => {
    const error = await failure('/gone-signed?ex=65f0a1b2&is=65ef5032&hm=deadbeefsecret&');
    expect(error).toMatchObject({ code: 'expired', status: 403 });
    expect(error.message).toContain('127.0.0.1');
    expect(error.message).toContain('/gone-signed');
    expect(error.message).not.toContain('deadbeefsecret');
  });

  it('GIVEN a 403 on an unsigned URL THEN it is a plain http_status', async () => {
    expect(await failure('/gone-signed')).toMatchObject({ code: 'http_status', status: 403 });
  });

  it('GIVEN a 500 THEN it fails with http_status', async () => {
    expect(await failure('/server-error')).toMatchObject({ code: 'http_status', status: 500 });
  });

  it('GIVEN nothing listening THEN it fails with network', async () => {
    expect((await failure(closedPortUrl)).code).toBe('network');
  });
});

describe('loadResultImage', () => {
  const signal = new AbortController().signal;

  it('GIVEN an image withheld by moderation THEN it gives null', async () => {
    expect(await loadResultImage({ kind: 'rejected', rejected: true, reason: 'nsfw' }, { signal })).toBeNull();
  });

  it('GIVEN a URL THEN it is downloaded', async () => {
    const result = await loadResultImage({ kind: 'url', url: `${base}/ok.png` }, { signal, dispatcher: agent });
    expect(result?.bytes.equals(png)).toBe(true);
  });

  it('GIVEN base64 (with or without a data-URL prefix) THEN it is decoded and typed from its bytes', async () => {
    const plain = await loadResultImage(
      { kind: 'base64', data: png.toString('base64'), contentType: 'image/jpeg' },
      { signal },
    );
    expect(plain).toMatchObject({ contentType: 'image/png' });
    expect(plain?.bytes.equals(png)).toBe(true);
    const prefixed = await loadResultImage(
      { kind: 'base64', data: `data:image/png;base64,${png.toString('base64')}`, contentType: 'image/png' },
      { signal },
    );
    expect(prefixed?.bytes.equals(png)).toBe(true);
  });

  it('GIVEN base64 that is not an image THEN it fails with bad_type', async () => {
    await expect(
      loadResultImage(
        { kind: 'base64', data: Buffer.from('hello').toString('base64'), contentType: 'image/png' },
        { signal },
      ),
    ).rejects.toMatchObject({
      code: 'bad_type',
    });
  });

  it('GIVEN base64 over maxBytes THEN it fails with too_large', async () => {
    await expect(
      loadResultImage(
        { kind: 'base64', data: png.toString('base64'), contentType: 'image/png' },
        { signal, maxBytes: 10 },
      ),
    ).rejects.toMatchObject({
      code: 'too_large',
    });
  });

  it('GIVEN a stored blob THEN the loader reads it with the caller’s signal', async () => {
    const calls: [string, AbortSignal][] = [];
    const loadBlob = (blobId: string, given: AbortSignal) => {
      calls.push([blobId, given]);
      return Promise.resolve(new Uint8Array(png));
    };
    const result = await loadResultImage(
      { kind: 'blob', blobId: 'b1', contentType: 'image/png' },
      { signal, loadBlob },
    );
    expect(result?.bytes.equals(png)).toBe(true);
    expect(calls).toEqual([['b1', signal]]);
  });

  it('GIVEN a blob and no loader THEN it says so', async () => {
    await expect(loadResultImage({ kind: 'blob', blobId: 'b1', contentType: 'image/png' }, { signal })).rejects.toThrow(
      /loadBlob/,
    );
  });
});
