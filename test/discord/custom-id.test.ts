import { describe, expect, it } from 'vitest';
import {
  buildCustomId,
  CUSTOM_ID_MAX_LENGTH,
  parseCustomId,
  type ComponentAction,
} from '../../src/discord/custom-id.js';

const longestJobId = 'z'.repeat(16);
const every: ComponentAction[] = [
  ...([1, 2, 3, 4] as const).flatMap((index) =>
    (['default', 'subtle', 'creative', '2x', '4x'] as const).map((type): ComponentAction => ({
      kind: 'upscale',
      jobId: longestJobId,
      index,
      type,
    })),
  ),
  ...([1, 4] as const).flatMap((index) =>
    (['strong', 'subtle'] as const).map((strength): ComponentAction => ({
      kind: 'vary',
      jobId: longestJobId,
      index,
      strength,
    })),
  ),
  { kind: 'reroll', jobId: longestJobId },
  { kind: 'zoom', jobId: longestJobId, index: 1, factor: 1.5 },
  { kind: 'zoom', jobId: longestJobId, index: 1, factor: 2 },
  ...(['left', 'right', 'up', 'down'] as const).map((direction): ComponentAction => ({
    kind: 'pan',
    jobId: longestJobId,
    index: 1,
    direction,
  })),
  ...(['delete', 'block', 'approve', 'reject'] as const).map((operation): ComponentAction => ({
    kind: 'mod',
    jobId: longestJobId,
    operation,
  })),
];

describe('custom IDs', () => {
  it.each(every.map((action) => [buildCustomId(action), action] as const))(
    'GIVEN %s THEN it parses back to the same action',
    (customId, action) => {
      expect(parseCustomId(customId)).toEqual(action);
    },
  );

  it("GIVEN the longest job id and every action THEN each ID fits Discord's 100 characters", () => {
    for (const action of every) expect(buildCustomId(action).length).toBeLessThanOrEqual(CUSTOM_ID_MAX_LENGTH);
  });

  it('GIVEN the buttons of one message THEN their IDs are unique', () => {
    const ids = every.map(buildCustomId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    ['', 'empty'],
    ['mj0:u:abcdef:1:default', 'another version'],
    ['mj1:x:abcdef', 'an unknown action'],
    ['mj1:u:abcdef:5:default', 'an index past 4'],
    ['mj1:u:abcdef:0:default', 'index 0'],
    ['mj1:u:abcdef:1:huge', 'an unknown upscale type'],
    ['mj1:u:ABCDEF:1:default', 'an upper-case job id'],
    ['mj1:u:abc:1:default', 'a short job id'],
    ['mj1:u:abcdef:1', 'a missing field'],
    ['mj1:u:abcdef:1:default:extra', 'an extra field'],
    ['mj1:r:abcdef:1', 'an extra field on reroll'],
    ['mj1:z:abcdef:1:3', 'an unknown zoom factor'],
    ['mj1:m:abcdef:ban', 'an unknown moderator operation'],
    [`mj1:r:${'a'.repeat(120)}`, 'an ID longer than Discord allows'],
    ['MJ::JOB::upsample::1::hash', "the Midjourney bot's own format"],
  ])('GIVEN %j (%s) THEN it is not parsed', (customId) => {
    expect(parseCustomId(customId)).toBeNull();
  });
});
