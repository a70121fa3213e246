import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import type { CloudswayMjSimulator } from '../../src/sandbox/providers/cloudsway-mj-simulator.js';
import { buttonLabels, jobIdOf, startE2E, type E2E } from './support.js';

/**
 * Every action a provider has on an image is offered on that image. Cloudsway MaaS-MJ refuses to
 * upscale an upscale, but Upscale (Subtle) and (Creative) exist for the grid image it came from.
 */
describe('follow-ups on a Cloudsway MaaS-MJ upscale', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN U2 THEN Upscale (Subtle), Upscale (Creative), Vary (Strong) and Vary (Region); Upscale (Creative) upscales grid image 2 again', async () => {
    const { alice } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a windmill in fog'));
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U2'));
    expect(buttonLabels(upscale)).toEqual([
      ['Upscale (Subtle)', 'Upscale (Creative)'],
      ['Vary (Strong)', 'Vary (Region)'],
    ]);

    const creative = await e2e.resultOf(await e2e.click(alice, upscale, 'Upscale (Creative)'));
    expect(creative.content.split('\n')[0]).toBe(`**a windmill in fog** - Upscaled (Creative) by <@${alice}> (fast)`);
    const simulator = e2e.sandbox.simulators.get('cloudsway-mj') as CloudswayMjSimulator;
    const upscales = simulator.submissions
      .filter((submission) => submission.path === '/tob/upscale')
      .map((submission) => submission.body as { jobId: string; imageNo: number; type: number });
    // U2 was subtle (type 0) on imageNo 1; Creative (type 1) asks the same grid job and image again.
    const gridJob = upscales[0]?.jobId;
    expect(upscales).toEqual([
      { jobId: gridJob, imageNo: 1, type: 0 },
      { jobId: gridJob, imageNo: 1, type: 1 },
    ]);
    expect(simulator.job(gridJob ?? '')?.kind).not.toBe('upscale');
    expect(jobIdOf(creative)).not.toBe(jobIdOf(upscale));
    // The re-upscale offers the same follow-ups as any upscale, and they too act on grid image 2.
    expect(buttonLabels(creative)).toEqual(buttonLabels(upscale));
    const subtle = await e2e.resultOf(await e2e.click(alice, creative, 'Upscale (Subtle)'));
    expect(subtle.content.split('\n')[0]).toBe(`**a windmill in fog** - Upscaled (Subtle) by <@${alice}> (fast)`);
    const last = simulator.submissions.filter((submission) => submission.path === '/tob/upscale').at(-1);
    expect(last?.body).toEqual({ jobId: gridJob, imageNo: 1, type: 0 });
  });
});

/** AceData runs Midjourney's own buttons: Zoom Out and pan on an upscale are its native actions. */
describe('zoom and pan on an AceData upscale', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('acedata');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it.each([
    ['Zoom Out 2x', 'zoom_out_2x', 'Zoom Out 2x'],
    ['Zoom Out 1.5x', 'zoom_out_1_5x', 'Zoom Out 1.5x'],
    ['⬅️', 'pan_left', 'Pan Left'],
    ['⬇️', 'pan_down', 'Pan Down'],
  ])('GIVEN %s on U3 THEN AceData runs %s on that image and a new grid reads "%s by"', async (label, action, done) => {
    const { alice } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a harbour at noon --ar 3:2'));
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U3'));
    const simulator = e2e.sandbox.simulators.get('acedata') as AcedataSimulator;
    const upscaleImage = simulator.submissions.at(-1);
    const result = await e2e.resultOf(await e2e.click(alice, upscale, label));
    const submitted = simulator.submissions.at(-1);
    expect(submitted).toMatchObject({ action });
    expect(submitted?.image_id).toBeDefined();
    expect(submitted?.image_id).not.toBe(upscaleImage?.image_id);
    expect(result.content.split('\n')[0]).toBe(`**a harbour at noon --ar 3:2** - ${done} by <@${alice}> (fast)`);
    expect(result.attachments).toHaveLength(1);
    // A new grid, with Midjourney's grid buttons.
    expect(buttonLabels(result).flat()).toEqual(expect.arrayContaining(['U1', 'V4', '🔄']));
  });
});
