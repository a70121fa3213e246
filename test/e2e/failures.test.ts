import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_COLOUR } from '../../src/images/palette.js';
import { USER_MESSAGES } from '../../src/providers/errors.js';
import type { Fault } from '../../src/sandbox/providers/kit/faults.js';
import { buttonLabels, startE2E, type E2E } from './support.js';

const fault = (kind: Fault['kind'], extra: Partial<Fault> = {}): Fault => ({
  kind,
  on: 'submit',
  count: 1,
  target: 'next',
  ...extra,
});

describe('prompt and provider failures reach the user as clear sentences (kie)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie');
  });
  afterAll(async () => {
    expect(e2e.sandbox.emulator.interactions({ state: 'failed' })).toEqual([]);
    await e2e?.stop();
  });

  it('GIVEN an invalid prompt THEN an ephemeral error names the parameter and nothing reaches the provider', async () => {
    const before = e2e.sandbox.simulators.get('kie')!.requests.length;
    const command = await e2e.imagine(e2e.seed.users.alice, 'a cat --chaos 101 --chaso 3');
    expect(command.ephemeral).toBe(true);
    const reply = e2e.ephemeralOf(command)!.content;
    expect(reply).toMatch(/--chaos must be a whole number from 0 to 100/);
    expect(reply).toMatch(/did you mean --chaos\?/);
    expect(e2e.sandbox.simulators.get('kie')!.requests.length).toBe(before);
  });

  it('GIVEN a parameter the provider refuses THEN the refusal names it', async () => {
    const command = await e2e.imagine(e2e.seed.users.alice, 'a cat --tile');
    const reply = e2e.ephemeralOf(command)!.content;
    expect(command.ephemeral).toBe(true);
    expect(reply).toMatch(/--tile/);
  });

  it.each([
    ['credits', fault('credits'), USER_MESSAGES.credits],
    ['auth', fault('auth'), USER_MESSAGES.auth],
    ['content rejected', fault('content_rejected'), USER_MESSAGES.content_rejected],
    [
      'rate limited, past every retry',
      fault('rate_limited', { count: 40, retryAfterSeconds: 0 }),
      USER_MESSAGES.rate_limited,
    ],
    ['server errors, past every retry', fault('server_error', { count: 40, status: 500 }), USER_MESSAGES.transient],
  ])(
    'GIVEN the provider fails with %s THEN the job message says so in a sentence',
    async (_title, injected, sentence) => {
      const simulator = e2e.sandbox.simulators.get('kie')!;
      simulator.faults.clear();
      simulator.faults.add(injected);
      const failed = await e2e.resultOf(
        await e2e.imagine(e2e.seed.users.bob, 'a quiet harbour'),
        (message) => /\(failed\)/.test(message.content),
        30_000,
      );
      simulator.faults.clear();
      expect(failed.content).toContain(sentence);
      expect(failed.content).not.toMatch(/\n\s+at |Error:|test-key|sandbox-key/);
      expect(failed.components).toEqual([]);
    },
  );

  it('GIVEN a slow provider THEN the interaction is still acknowledged within 3 s', async () => {
    const simulator = e2e.sandbox.simulators.get('kie')!;
    simulator.faults.add(fault('slow', { delayMs: 4_000 }));
    const command = await e2e.imagine(e2e.seed.users.alice, 'a slow boat');
    expect(command.failed).toBe(false);
    expect(command.acknowledgedAt! - command.dispatchedAt).toBeLessThan(3_000);
    const grid = await e2e.resultOf(command, undefined, 20_000);
    expect(grid.attachments).toHaveLength(1);
  });
});

describe('a Cloudsway grid with one image rejected by its moderation', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN image 2 withheld THEN the grid shows a placeholder tile there and U2/V2 are disabled', async () => {
    e2e.sandbox.simulators.get('cloudsway-mj')!.faults.add(fault('content_rejected', { images: [2] }));
    const grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a garden party'));
    const disabled = grid.components.flatMap((row) =>
      (row as { components: { label?: string; disabled?: boolean }[] }).components
        .filter((button) => button.disabled)
        .map((button) => button.label),
    );
    expect(disabled.sort()).toEqual(
      buttonLabels(grid)
        .flat()
        .filter((label) => label === 'U2' || label === 'V2')
        .sort(),
    );
    expect(disabled).toContain('U2');
    const bytes = e2e.sandbox.emulator.attachmentBytes(grid.attachments[0]!.id)!;
    const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) =>
      Array.from(data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3));
    // Top-right quadrant, near its corner (away from the placeholder's mark): the neutral tile colour.
    expect(pixel(Math.floor(info.width * 0.52), Math.floor(info.height * 0.02))).toEqual([
      PLACEHOLDER_COLOUR.r,
      PLACEHOLDER_COLOUR.g,
      PLACEHOLDER_COLOUR.b,
    ]);
    // Top-left quadrant is a real image, not the placeholder.
    expect(pixel(Math.floor(info.width * 0.25), Math.floor(info.height * 0.25))).not.toEqual([
      PLACEHOLDER_COLOUR.r,
      PLACEHOLDER_COLOUR.g,
      PLACEHOLDER_COLOUR.b,
    ]);
  });
});
