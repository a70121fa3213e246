import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, startE2E, type E2E } from './support.js';

/** What a member reads about their own job is what happened: their prompt as typed, the speed it ran at. */
describe('the lines a member reads (apixo)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('apixo');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a prompt with short forms in an order of its own THEN the message shows it as typed', async () => {
    const result = await e2e.resultOf(
      await e2e.imagine(e2e.seed.users.alice, 'a cat   --stylize 250 --c 20 --v 7'),
      finished,
      20_000,
    );
    expect(result.content.split('\n')[0]).toMatch(/^\*\*a cat --stylize 250 --c 20 --v 7\*\* - <@\d+> \(fast\)$/);
  });

  it('GIVEN relax as the server default on a provider without it THEN the tag shows the speed used, and the notice names the default added', async () => {
    const { mia, alice } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { speed: 'relax' });
    try {
      const result = await e2e.resultOf(await e2e.imagine(alice, 'a quiet bay'), finished, 20_000);
      const [headline = '', ...rest] = result.content.split('\n');
      expect(headline).toMatch(/^\*\*a quiet bay\*\* - <@\d+> \(fast\)$/);
      expect(rest.join('\n')).toContain('Server defaults: --relax');
      expect(rest.join('\n')).toContain('the image is made at --fast speed');
    } finally {
      await e2e.slash(mia, 'settings', { clear: 'speed' });
    }
  });

  it('GIVEN an attached image prompt THEN the headline counts it instead of showing its URL', async () => {
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const command = await e2e.imagine(e2e.seed.users.alice, 'in watercolor', {
      image: { filename: 'ref.png', contentType: 'image/png', bytes },
    });
    const result = await e2e.resultOf(command, finished, 20_000);
    const headline = result.content.split('\n')[0] ?? '';
    expect(headline).toMatch(/^\*\*\(1 image\) in watercolor\*\*/);
    expect(headline).not.toContain('/attachments/');
  });
});
