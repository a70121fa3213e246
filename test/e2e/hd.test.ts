import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import { startE2E, type E2E } from './support.js';

describe('--hd on AceData', () => {
  let e2e: E2E;
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    e2e = await startE2E('acedata');
    simulator = e2e.sandbox.simulators.get('acedata') as AcedataSimulator;
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN /imagine … --hd --v 8 THEN AceData is asked with hd: true and the grid arrives', async () => {
    const grid = await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a marble hall --hd --v 8'));
    expect(grid.attachments).toHaveLength(1);
    expect(grid.content.split('\n')[0]).toBe(`**a marble hall --hd --v 8** - <@${e2e.seed.users.alice}> (fast)`);
    const sent = simulator.submissions.at(-1);
    expect(sent).toMatchObject({ action: 'generate', hd: true, version: '8' });
    // The field carries it: the Midjourney text does not repeat it.
    expect(String(sent?.prompt)).not.toContain('--hd');
  });

  it('GIVEN --hd with --v 7 THEN refused privately, naming --hd and the versions that have it', async () => {
    const before = simulator.submissions.length;
    const command = await e2e.imagine(e2e.seed.users.bob, 'a marble hall --hd --v 7');
    expect(command.ephemeral).toBe(true);
    expect(e2e.ephemeralOf(command)?.content).toContain(
      'AceDataCloud makes --hd (2K) images with --v 8 or --v 8.1 only; add one of them.',
    );
    expect(simulator.submissions.length).toBe(before);
  });
});

describe('--hd where the provider has no HD', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN /imagine … --hd on Kie THEN refused privately with the reason, and nothing reaches Kie', async () => {
    const simulator = e2e.sandbox.simulators.get('kie')!;
    const before = simulator.requests.length;
    const command = await e2e.imagine(e2e.seed.users.alice, 'a marble hall --hd');
    expect(command.ephemeral).toBe(true);
    expect(e2e.ephemeralOf(command)?.content).toContain(
      '--hd is not supported by Kie: Kie has no HD field for images, and no version 8.',
    );
    expect(simulator.requests.length).toBe(before);
  });
});
