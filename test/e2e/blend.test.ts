import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import { finished, startE2E, type E2E } from './support.js';

const COLOURS = ['#cc3333', '#33cc33', '#3333cc', '#cccc33', '#33cccc'];

async function pngs(count: number): Promise<Buffer[]> {
  return Promise.all(
    COLOURS.slice(0, count).map((background) =>
      sharp({ create: { width: 8, height: 8, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  );
}

/** `/blend`'s options: image1…imageN as uploads, and the dimensions when given. */
async function blendOptions(count: number, dimensions?: string): Promise<Record<string, unknown>> {
  const files = await pngs(count);
  const options: Record<string, unknown> = Object.fromEntries(
    files.map((bytes, index) => [
      `image${index + 1}`,
      { filename: `in${index + 1}.png`, contentType: 'image/png', bytes },
    ]),
  );
  if (dimensions) options.dimensions = dimensions;
  return options;
}

/** The image URLs at the start of the prompt AceData last received. */
function lastPromptUrls(simulator: AcedataSimulator): { urls: string[]; prompt: string } {
  const sent = simulator.submissions.at(-1)?.prompt;
  const prompt = typeof sent === 'string' ? sent : '';
  return { urls: prompt.split(/\s+/).filter((token) => /^https?:\/\//.test(token)), prompt };
}

describe('/blend on AceData (it blends 2–5 images)', () => {
  let e2e: E2E;
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    e2e = await startE2E('acedata');
    simulator = e2e.sandbox.simulators.get('acedata') as AcedataSimulator;
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN two images and portrait THEN AceData gets both links and --ar 2:3 alone, the links serve the uploads, and a grid comes back', async () => {
    const options = await blendOptions(2, '2:3');
    const result = await e2e.resultOf(await e2e.slash(e2e.seed.users.alice, 'blend', options), finished, 20_000);
    expect(result.attachments).toHaveLength(1);
    expect(result.content.split('\n')[0]).toMatch(/^\*\*\(2 images\) --ar 2:3\*\* - <@\d+> \(fast\)$/);
    const { urls, prompt } = lastPromptUrls(simulator);
    expect(urls).toHaveLength(2);
    expect(prompt.replace(/https?:\/\/\S+/g, '').trim()).toBe('--ar 2:3');
    // The provider fetches the links: they must serve the very files the member attached.
    for (const [index, url] of urls.entries()) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const uploaded = (options[`image${index + 1}`] as { bytes: Buffer }).bytes;
      expect(Buffer.from(await response.arrayBuffer())).toEqual(uploaded);
    }
  });

  it('GIVEN five images and no dimensions THEN all five links go to AceData and the result has the U and V buttons', async () => {
    const result = await e2e.resultOf(
      await e2e.slash(e2e.seed.users.alice, 'blend', await blendOptions(5)),
      finished,
      20_000,
    );
    expect(result.content.split('\n')[0]).toMatch(/^\*\*\(5 images\)\*\*/);
    expect(lastPromptUrls(simulator).urls).toHaveLength(5);
    expect(JSON.stringify(result.components)).toContain('U1');
  });

  it('GIVEN a file that is not an image THEN the member is told which option, and nothing is submitted', async () => {
    const before = simulator.submissions.length;
    const options = await blendOptions(2);
    options.image2 = { filename: 'notes.txt', contentType: 'text/plain', bytes: Buffer.from('hello') };
    const reply = e2e.ephemeralOf(await e2e.slash(e2e.seed.users.alice, 'blend', options));
    expect(reply?.content).toBe('image2 must be a PNG, JPEG, WebP or GIF image (got text/plain).');
    expect(simulator.submissions.length).toBe(before);
  });
});

describe('/blend where the server’s provider cannot blend (APIXO needs text) and AceData is configured too', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('apixo', { providers: ['apixo', 'acedata'] });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN three images THEN AceData makes the blend and the message says why', async () => {
    const result = await e2e.resultOf(
      await e2e.slash(e2e.seed.users.alice, 'blend', await blendOptions(3, '3:2')),
      finished,
      20_000,
    );
    expect(result.attachments).toHaveLength(1);
    expect(result.content).toContain(
      '-# Made with AceDataCloud, since APIXO can’t: APIXO needs some prompt text besides image URLs.',
    );
    const acedata = e2e.sandbox.simulators.get('acedata') as AcedataSimulator;
    expect(acedata.submissions).toHaveLength(1);
    const apixoSubmits = e2e.sandbox.simulators.get('apixo')!.requests.filter((request) => request.kind === 'submit');
    expect(apixoSubmits).toHaveLength(0);
  });
});

describe('/blend where no configured provider can (Cloudsway Image-1 takes no image prompts)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-image');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN two images THEN the member reads why, privately, and nothing is submitted', async () => {
    const reply = e2e.ephemeralOf(await e2e.slash(e2e.seed.users.alice, 'blend', await blendOptions(2)));
    expect(reply?.content).toBe(
      'No image service configured for this bot can blend these images:\n• Cloudsway Image-1 does not take several image prompts.',
    );
    expect(e2e.sandbox.simulators.get('cloudsway-image')!.requests).toHaveLength(0);
  });
});
