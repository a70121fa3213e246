import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../src/config.js';
import { followUpName, MOTIONS } from '../../src/jobs/follow-up.js';
import { buttonLabels, imageSize, jobIdOf, startE2E, type E2E } from './support.js';

/**
 * The product path for each provider, with the real discord.js client against the emulator and
 * the provider's simulator: /imagine → progress → grid → U2 → upscale follow-ups → V3 → 🔄 →
 * /upscale and /vary by id. Steps a provider cannot do are checked to be absent instead.
 */
describe.each(PROVIDER_IDS)('%s end to end', (provider) => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E(provider);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it("GIVEN /imagine THEN waiting, then a grid with the buttons the provider supports, in Midjourney's format", async () => {
    const alice = e2e.seed.users.alice;
    const command = await e2e.imagine(alice, 'a red bird --ar 16:9');
    expect(command.callbackType).toBe(4);
    const waiting = e2e.sandbox.emulator.message(command.originalMessageId!);
    expect(waiting?.content).toMatch(/^\*\*a red bird --ar 16:9\*\* - <@\d+> \(Waiting to start\)/);
    const grid = await e2e.resultOf(command);
    expect(grid.content.split('\n')[0]).toMatch(/^\*\*a red bird --ar 16:9\*\* - <@\d+> \(fast\)$/);
    const capabilities = e2e.sandbox.bot!.context.adapters.get(provider)!.capabilities;
    const labels = buttonLabels(grid).flat();
    expect(labels.filter((label) => /^U\d$/.test(label))).toEqual(
      capabilities.actions.upscale.length > 0 ? ['U1', 'U2', 'U3', 'U4'] : [],
    );
    expect(labels.filter((label) => /^V\d$/.test(label))).toEqual(
      capabilities.actions.vary.length > 0 ? ['V1', 'V2', 'V3', 'V4'] : [],
    );
    expect(labels.includes('🔄')).toBe(capabilities.actions.reroll);
    const size = await imageSize(e2e, grid);
    expect(size.width).toBeGreaterThan(size.height);
  });

  it('GIVEN a grid THEN U2 gives "Image #2" with its follow-ups, V3 gives variations, 🔄 rerolls', async () => {
    const alice = e2e.seed.users.alice;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a lighthouse at dusk'));
    const labels = buttonLabels(grid).flat();
    if (labels.includes('U2')) {
      const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U2'));
      expect(upscale.content.split('\n')[0]).toMatch(/^\*\*a lighthouse at dusk\*\* - Image #2 <@\d+>$/);
      expect(upscale.attachments).toHaveLength(1);
      const followUps = buttonLabels(upscale).flat();
      if (followUps.includes('Vary (Strong)')) {
        const varied = await e2e.resultOf(await e2e.click(alice, upscale, 'Vary (Strong)'));
        expect(varied.content).toMatch(/Variations \(Strong\) by/);
        expect(varied.attachments).toHaveLength(1);
      }
    }
    if (labels.includes('V3')) {
      const variations = await e2e.resultOf(await e2e.click(alice, grid, 'V3'));
      expect(variations.content.split('\n')[0]).toMatch(
        /^\*\*a lighthouse at dusk\*\* - Variations \(Strong\) by <@\d+> \(fast\)$/,
      );
      expect(variations.attachments).toHaveLength(1);
    }
    if (labels.includes('🔄')) {
      const reroll = await e2e.resultOf(await e2e.click(alice, grid, '🔄'));
      expect(reroll.content.split('\n')[0]).toMatch(/^\*\*a lighthouse at dusk\*\* - <@\d+> \(fast\)$/);
      expect(jobIdOf(reroll)).not.toBe(jobIdOf(grid));
    }
  });

  it('GIVEN an upscale THEN every follow-up its provider has on it is a button, and a re-upscale names its type and keeps the image number', async () => {
    const alice = e2e.seed.users.alice;
    const { actions } = e2e.sandbox.bot!.context.adapters.get(provider)!.capabilities;
    if (actions.upscale.length === 0) return;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a quiet pier'));
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U2'));
    const expected = [
      ...actions.upscaleAgain.map((type) => followUpName({ action: 'upscale', index: 1, type })),
      ...actions.varyOnUpscale.map((strength) => followUpName({ action: 'vary', index: 1, strength })),
      ...actions.zoom.map((factor) => followUpName({ action: 'zoom', index: 1, factor })),
      ...(actions.customZoom ? ['Custom Zoom'] : []),
      // No Make Square: the prompt has no --ar, so the image is square already.
      ...(actions.pan ? ['⬅️', '➡️', '⬆️', '⬇️'] : []),
      ...(actions.video ? MOTIONS.map((motion) => followUpName({ action: 'animate', index: 1, motion })) : []),
      // Vary (Region) wherever the provider repaints regions; a mask at a URL needs the bot's public URL.
      ...(actions.regionRedraw && (actions.regionRedraw !== 'mask-url' || e2e.sandbox.config.publicBaseUrl)
        ? ['Vary (Region)']
        : []),
    ];
    expect(buttonLabels(upscale).flat().sort()).toEqual(expected.sort());
    for (const type of actions.upscaleAgain) {
      const name = followUpName({ action: 'upscale', index: 1, type });
      const again = await e2e.resultOf(await e2e.click(alice, upscale, name));
      expect(again.content.split('\n')[0]).toMatch(
        new RegExp(
          `^\\*\\*a quiet pier\\*\\* - ${name.replace('Upscale', 'Upscaled').replace(/[()]/g, '\\$&')} by <@\\d+> \\(fast\\)$`,
        ),
      );
      expect(again.content).not.toContain('Image #1');
      expect(again.attachments[0]?.filename).toMatch(/-image2\./);
    }
  });

  it('GIVEN a job id THEN /upscale and /vary work by id, and an unknown id is explained privately', async () => {
    const bob = e2e.seed.users.bob;
    const grid = await e2e.resultOf(await e2e.imagine(bob, 'a paper boat'));
    const capabilities = e2e.sandbox.bot!.context.adapters.get(provider)!.capabilities;
    const id = jobIdOf(grid);
    if (capabilities.actions.upscale.length > 0) {
      expect((await e2e.resultOf(await e2e.slash(bob, 'upscale', { job: id, image: 1 }))).content).toContain(
        'Image #1',
      );
    }
    if (capabilities.actions.vary.length > 0) {
      expect(
        (await e2e.resultOf(await e2e.slash(bob, 'vary', { job: id, image: 4, strength: 'strong' }))).content,
      ).toContain('Variations (Strong)');
    }
    const unknown = await e2e.slash(bob, 'upscale', { job: 'zzzzzzzz', image: 1 });
    expect(unknown.ephemeral).toBe(true);
    expect(e2e.ephemeralOf(unknown)?.content).toMatch(/don't know job `zzzzzzzz`/);
  });
});
