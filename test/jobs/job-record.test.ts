import { describe, expect, it } from 'vitest';
import { jobSchema } from '../../src/jobs/job.js';

/** A record as the bot wrote it before the follow-up type (schema 1, up to commit 03869e6). */
const schemaOne = (fields: Record<string, unknown>) => ({
  schema: 1,
  id: 'oldjob23',
  provider: 'acedata',
  guildId: '1100000000000000010',
  channelId: '1100000000000000011',
  userId: '1100000000000000020',
  parentId: 'parent23',
  prompt: { text: 'a red bird', imageUrls: [], params: {} },
  notices: [],
  speed: 'fast',
  state: 'succeeded',
  visibility: 'public',
  callbackSeen: false,
  createdAt: 1_700_000_000_000,
  polls: 0,
  attempts: 0,
  version: 3,
  publishSeq: 1,
  publishedSeq: 1,
  ...fields,
});

describe('job records of schema 1', () => {
  it.each([
    [
      { action: 'upscale', imageIndex: 3, options: { upscaleType: '2x' } },
      { action: 'upscale', index: 3, type: '2x' },
    ],
    [
      { action: 'upscale', imageIndex: 2, options: {} },
      { action: 'upscale', index: 2, type: 'default' },
    ],
    [
      { action: 'vary', imageIndex: 1, options: { strength: 'subtle' } },
      { action: 'vary', index: 1, strength: 'subtle' },
    ],
    [{ action: 'reroll', options: {} }, { action: 'reroll' }],
    [
      { action: 'zoom', imageIndex: 1, options: { zoom: 1.5 } },
      { action: 'zoom', index: 1, factor: 1.5 },
    ],
    [
      { action: 'pan', imageIndex: 1, options: { direction: 'up' } },
      { action: 'pan', index: 1, direction: 'up' },
    ],
  ])('GIVEN %j THEN it reads as the follow-up %j', (fields, followUp) => {
    const job = jobSchema.parse(schemaOne(fields));
    expect(job.followUp).toEqual(followUp);
    expect(job.schema).toBe(2);
    expect(job).not.toHaveProperty('imageIndex');
    expect(job).not.toHaveProperty('options');
  });

  it('GIVEN an imagine THEN it has no follow-up', () => {
    const job = jobSchema.parse(schemaOne({ action: 'imagine', parentId: undefined, options: {} }));
    expect(job.followUp).toBeUndefined();
  });

  it("GIVEN a record whose action is not its follow-up's THEN it is refused", () => {
    const job = jobSchema.parse(schemaOne({ action: 'vary', imageIndex: 1, options: {} }));
    expect(jobSchema.safeParse({ ...job, action: 'upscale' }).success).toBe(false);
  });
});
