import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderId } from '../../src/config.js';
import { createAdapter } from '../../src/providers/index.js';
import type { InteractionRecord } from '../../src/sandbox/discord/index.js';
import type { SandboxOptions } from '../../src/sandbox/run.js';
import { buttonLabels, jobIdOf, startE2E, type E2E } from './support.js';

/** The last request each simulator recorded, as it received it. */
type Recorded = { submissions: unknown[] };

/**
 * Zoom Out and pan on an upscale, from the adapter's own capabilities: `with-prompt` where the
 * provider takes the edited prompt with them, `prompt-kept` where it has them but takes no new
 * prompt (no modal opens and the result says so), absent where it has neither.
 */
function outpaintOf(provider: ProviderId): 'with-prompt' | 'prompt-kept' | undefined {
  const { capabilities } = createAdapter(
    { id: provider, baseUrl: 'http://127.0.0.1:9', key: 'test', endpointPath: 'test', model: 'gpt-image-1' },
    { logger: pino({ level: 'silent' }) },
  );
  if (capabilities.actions.zoom.length === 0 || !capabilities.actions.pan) return undefined;
  return capabilities.remix.includes('zoom') && capabilities.remix.includes('pan') ? 'with-prompt' : 'prompt-kept';
}

/**
 * What the provider should have been asked for a remixed V2 and 🔄: the route or action that
 * carries the edited prompt. Kie's vary takes no prompt, so its remixed V2 is a new imagine.
 */
interface Case {
  provider: ProviderId;
  vary: (last: string) => void;
  varyIsImagine?: true;
  /** Where zoom and pan take the edited prompt: what the request for Zoom Out 2x and for ⬅️ carries. */
  outpaintSent?: { zoom: string; pan: string };
  options?: Partial<SandboxOptions>;
  /** Set where the capabilities depend on the options (an opt-in), read from the adapter otherwise. */
  outpaint?: 'with-prompt' | 'prompt-kept';
}
const CASES = (
  [
    { provider: 'cloudsway-mj', vary: (last) => expect(last).toContain('"path":"/tob/inpaint"') },
    {
      provider: 'cloudsway-image',
      vary: (last) => expect(last).toContain('"path":"/images/edits"'),
      outpaintSent: { zoom: '"path":"/images/edits"', pan: '"path":"/images/edits"' },
    },
    {
      provider: 'apixo',
      vary: (last) => expect(last).toMatch(/"mode":"vary"/),
      outpaintSent: { zoom: '"mode":"upload-paint"', pan: '"mode":"upload-paint"' },
    },
    {
      provider: 'acedata',
      vary: (last) => expect(last).toContain('"action":"variation2"'),
      outpaintSent: { zoom: '"action":"zoom_out_2x"', pan: '"action":"pan_left"' },
    },
    // With the opt-in, Youchuan's /tob/outpaint and /tob/pan take the edited words as `remixPrompt`.
    {
      provider: 'cloudsway-mj',
      vary: (last) => expect(last).toContain('"path":"/tob/inpaint"'),
      outpaint: 'with-prompt',
      outpaintSent: { zoom: '"path":"/tob/outpaint"', pan: '"path":"/tob/pan"' },
      options: { environment: { CLOUDSWAY_MJ_UPSTREAM_OUTPAINT: 'true' }, cloudswayUpstreamRoutes: true },
    },
    { provider: 'kie', vary: (last) => expect(last).toContain('/api/v1/mj/generate"'), varyIsImagine: true },
  ] satisfies Case[]
).map((entry: Case) => ({ ...entry, outpaint: entry.outpaint ?? outpaintOf(entry.provider) }));

describe.each(CASES)('Remix on $provider', ({ provider, vary, varyIsImagine, outpaint, outpaintSent, options }) => {
  let e2e: E2E;
  const last = () => JSON.stringify((e2e.sandbox.simulators.get(provider) as unknown as Recorded).submissions.at(-1));
  const count = () => (e2e.sandbox.simulators.get(provider) as unknown as Recorded).submissions.length;
  beforeAll(async () => {
    e2e = await startE2E(provider, options);
    await e2e.slash(e2e.seed.users.alice, 'prefer remix', { on: true });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  /** Clicks a button and answers the modal it opens with an edited prompt. */
  async function remix(
    label: string,
    grid: Parameters<E2E['click']>[1],
    edited: string,
    written = 'a castle on a hill',
  ): Promise<InteractionRecord> {
    const { alice } = e2e.seed.users;
    const click = await e2e.click(alice, grid, label);
    const modal = click.modal as { title: string; components: unknown[] } | null;
    expect(modal?.title).toMatch(/^Remix: /);
    // Pre-filled with the prompt as alice wrote it.
    expect(JSON.stringify(modal?.components)).toContain(`"value":${JSON.stringify(written)}`);
    return e2e.sandbox.emulator.submitModal(
      { userId: alice, interactionId: click.id, values: { prompt: edited } },
      {
        wait: 'ack',
      },
    );
  }

  it('GIVEN Remix on THEN V2 opens a modal and the edited prompt reaches the provider', async () => {
    const grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a castle on a hill'));
    const result = await e2e.resultOf(await remix('V2', grid, 'a castle in deep snow'));
    expect(result.attachments).toHaveLength(1);
    expect(last()).toContain('a castle in deep snow');
    vary(last());
    expect(result.content.split('\n')[0]).toContain('a castle in deep snow');
    expect(jobIdOf(result)).not.toBe(jobIdOf(grid));
    if (varyIsImagine) expect(result.content).toContain('so your edited prompt runs as a new imagine');
    expect(buttonLabels(result).flat()).toEqual(expect.arrayContaining(['U1', '🔄']));
  });

  it('GIVEN Remix on THEN 🔄 opens a modal and reruns the edited prompt', async () => {
    const grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a castle on a hill'));
    const result = await e2e.resultOf(await remix('🔄', grid, 'a castle at dusk, oil painting'));
    expect(result.attachments).toHaveLength(1);
    expect(last()).toContain('a castle at dusk, oil painting');
    expect(last()).not.toContain('on a hill');
  });

  it('GIVEN an invalid edited prompt THEN it is refused with the error /imagine gives, and nothing is sent', async () => {
    const { alice } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a castle on a hill'));
    const before = count();
    const refused = await remix('V2', grid, 'a castle --ar 16');
    const asImagine = await e2e.imagine(alice, 'a castle --ar 16');
    expect(e2e.ephemeralOf(refused)?.content).toMatch(/^That prompt has a problem:\n• /);
    expect(e2e.ephemeralOf(refused)?.content).toBe(e2e.ephemeralOf(asImagine)?.content);
    expect(count()).toBe(before);
  });

  it('GIVEN Remix off THEN V2 runs at once, with no modal', async () => {
    const { bob } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(bob, 'a castle on a hill'));
    const click = await e2e.click(bob, grid, 'V2');
    expect(click.modal).toBeNull();
    await e2e.resultOf(click);
  });

  /** An upscale of alice's: zoom and pan act on one image. */
  async function upscale(prompt: string): Promise<Parameters<E2E['click']>[1]> {
    const { alice } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(alice, prompt));
    return e2e.resultOf(await e2e.click(alice, grid, 'U2'));
  }

  describe.runIf(outpaint === 'with-prompt')('zoom and pan', () => {
    it.each([
      ['Zoom Out 2x', 'Zoom Out 2x', outpaintSent?.zoom],
      ['⬅️', 'Pan Left', outpaintSent?.pan],
    ])(
      'GIVEN Remix on THEN %s on an upscale opens the modal with its prompt, and the edited prompt reaches the provider',
      async (label, done, sent) => {
        const image = await upscale('a lighthouse at dusk --ar 16:9');
        const result = await e2e.resultOf(
          await remix(label, image, 'a lighthouse in a storm --ar 16:9', 'a lighthouse at dusk --ar 16:9'),
        );
        expect(sent, 'the case names what carries a zoom or pan').toBeDefined();
        expect(last()).toContain(sent);
        expect(last()).toContain('a lighthouse in a storm');
        expect(last()).not.toContain('at dusk');
        expect(result.content.split('\n')[0]).toBe(
          `**a lighthouse in a storm --ar 16:9** - ${done} by <@${e2e.seed.users.alice}> (fast)`,
        );
        expect(buttonLabels(result).flat()).toEqual(expect.arrayContaining(['U1', '🔄']));
      },
    );

    it('GIVEN an invalid edited prompt on Zoom Out THEN it is refused with the error /imagine gives, and nothing is sent', async () => {
      const image = await upscale('a castle on a hill');
      const before = count();
      const refused = await remix('Zoom Out 1.5x', image, 'a castle --ar 16');
      const asImagine = await e2e.imagine(e2e.seed.users.alice, 'a castle --ar 16');
      expect(e2e.ephemeralOf(refused)?.content).toMatch(/^That prompt has a problem:\n• /);
      expect(e2e.ephemeralOf(refused)?.content).toBe(e2e.ephemeralOf(asImagine)?.content);
      expect(count()).toBe(before);
    });
  });

  it.runIf(outpaint === 'prompt-kept').each(['Zoom Out 2x', '➡️'])(
    'GIVEN Remix on THEN %s on an upscale runs at once with the prompt kept, and says why',
    async (label) => {
      const { alice } = e2e.seed.users;
      const image = await upscale('a lighthouse at dusk');
      const click = await e2e.click(alice, image, label);
      expect(click.modal).toBeNull();
      const result = await e2e.resultOf(click);
      expect(last()).toContain('a lighthouse at dusk');
      expect(result.content).toContain('can’t take a new prompt with');
      expect(result.content).toContain('so the prompt stays as it was.');
    },
  );
});
