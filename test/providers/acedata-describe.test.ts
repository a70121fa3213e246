import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/errors.js';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import { adapterFor, call, inject, startSimulator } from './acedata-support.js';

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** AceData's describe and shorten, over real HTTP against the simulator, which fetches the image from here. */
describe('AceData describe and shorten against its simulator', () => {
  let simulator: AcedataSimulator;
  let images: Server;
  let imageUrl: string;

  beforeAll(async () => {
    simulator = await startSimulator();
    const png = await sharp({ create: { width: 16, height: 24, channels: 3, background: '#cc3333' } })
      .png()
      .toBuffer();
    images = createServer((request, response) => {
      if (request.url === '/red.png') response.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}/red.png`;
  });
  afterAll(async () => {
    await simulator?.stop();
    await new Promise((resolve) => images?.close(resolve));
  });

  it('GIVEN an image link THEN four prompts come back without their keycap numbers, from what the image is', async () => {
    const prompts = await adapterFor(simulator).describe(imageUrl, call());
    expect(prompts).toHaveLength(4);
    for (const prompt of prompts) {
      expect(prompt).not.toMatch(/^\d/);
      expect(prompt).toMatch(/red.*--ar 2:3$/);
    }
    expect(simulator.describes.at(-1)).toBe(imageUrl);
  });

  it('GIVEN a link the provider cannot fetch, or no link at all THEN invalid_input with AceData’s words', async () => {
    const missing = await failure(adapterFor(simulator).describe(imageUrl.replace('red', 'blue'), call()));
    expect(missing.code).toBe('invalid_input');
    expect(missing.userMessage).toBe(
      'The image service could not accept this request: Invalid image URL: the image link answered HTTP 404.',
    );
    expect((await failure(adapterFor(simulator).describe('not a link', call()))).code).toBe('invalid_input');
  });

  it('GIVEN a long prompt THEN shorter ones come back, parameters kept; a short one is refused', async () => {
    const long = 'a very detailed oil painting of an old lighthouse on a rocky cliff at dusk --ar 16:9 --v 7';
    const prompts = await adapterFor(simulator).shorten(long, call());
    expect(prompts.length).toBeGreaterThanOrEqual(3);
    for (const prompt of prompts) {
      expect(prompt.length).toBeLessThan(long.length);
      expect(prompt).toMatch(/ --ar 16:9 --v 7$/);
    }
    const short = await failure(adapterFor(simulator).shorten('a cat', call()));
    expect(short.code).toBe('invalid_input');
  });

  it('GIVEN the documented errors THEN each has its stable code: a wrong key, credits, moderation; a 429 is waited out', async () => {
    const wrongKey = await failure(adapterFor(simulator, { key: 'wrong' }).shorten('a b c d e f', call()));
    expect(wrongKey.code).toBe('auth');
    inject(simulator, { kind: 'credits', on: 'submit' });
    expect((await failure(adapterFor(simulator).describe(imageUrl, call()))).code).toBe('credits');
    inject(simulator, { kind: 'content_rejected', on: 'submit' });
    expect((await failure(adapterFor(simulator).describe(imageUrl, call()))).code).toBe('content_rejected');
    inject(simulator, { kind: 'rate_limited', on: 'submit', retryAfterSeconds: 0 });
    expect(await adapterFor(simulator).describe(imageUrl, call())).toHaveLength(4);
  });
});
