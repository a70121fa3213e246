import { describe, expect, it } from 'vitest';
import {
  buildCustomId,
  CUSTOM_ID_MAX_LENGTH,
  MOD_OPERATIONS,
  parseCustomId,
  type ComponentAction,
} from '../../src/discord/custom-id.js';
import {
  PAN_DIRECTIONS,
  UPSCALE_TYPES,
  VARY_STRENGTHS,
  ZOOM_FACTORS,
  type FollowUp,
} from '../../src/jobs/follow-up.js';

const longestJobId = 'z'.repeat(16);
const followUp = (value: FollowUp): ComponentAction => ({ kind: 'follow-up', jobId: longestJobId, followUp: value });
const every: ComponentAction[] = [
  ...([1, 2, 3, 4] as const).flatMap((index) =>
    UPSCALE_TYPES.map((type) => followUp({ action: 'upscale', index, type })),
  ),
  ...([1, 4] as const).flatMap((index) =>
    VARY_STRENGTHS.map((strength) => followUp({ action: 'vary', index, strength })),
  ),
  followUp({ action: 'reroll' }),
  ...ZOOM_FACTORS.map((factor) => followUp({ action: 'zoom', index: 1, factor })),
  ...PAN_DIRECTIONS.map((direction) => followUp({ action: 'pan', index: 1, direction })),
  ...MOD_OPERATIONS.map((operation): ComponentAction => ({ kind: 'mod', jobId: longestJobId, operation })),
  { kind: 'cancel', jobId: longestJobId },
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

  // Written by the bot before the follow-up type (commit 03869e6): buttons on old messages carry them.
  it.each([
    ['mj1:u:abc234:2:default', { action: 'upscale', index: 2, type: 'default' }],
    ['mj1:u:abc234:1:creative', { action: 'upscale', index: 1, type: 'creative' }],
    ['mj1:v:abc234:3:strong', { action: 'vary', index: 3, strength: 'strong' }],
    ['mj1:v:abc234:1:subtle', { action: 'vary', index: 1, strength: 'subtle' }],
    ['mj1:r:abc234', { action: 'reroll' }],
    ['mj1:z:abc234:1:1.5', { action: 'zoom', index: 1, factor: 1.5 }],
    ['mj1:z:abc234:1:2', { action: 'zoom', index: 1, factor: 2 }],
    ['mj1:p:abc234:1:left', { action: 'pan', index: 1, direction: 'left' }],
  ] as const)(
    'GIVEN %s from a message posted before the follow-up type THEN it parses and is built the same',
    (customId, expected) => {
      const parsed = parseCustomId(customId);
      expect(parsed).toEqual({ kind: 'follow-up', jobId: 'abc234', followUp: expected });
      expect(buildCustomId(parsed!)).toBe(customId);
    },
  );

  it('GIVEN an old moderator button THEN it parses', () => {
    expect(parseCustomId('mj1:m:abc234:block')).toEqual({ kind: 'mod', jobId: 'abc234', operation: 'block' });
  });

  it.each([
    ['', 'empty'],
    ['mj0:u:abcdef:1:default', 'another version'],
    ['mj1:q:abcdef', 'an unknown action'],
    ['mj1:x:abcdef:1', 'an extra field on cancel'],
    ['mj1:u:abcdef:5:default', 'an index past 4'],
    ['mj1:u:abcdef:0:default', 'index 0'],
    ['mj1:u:abcdef:1:huge', 'an unknown upscale type'],
    ['mj1:u:ABCDEF:1:default', 'an upper-case job id'],
    ['mj1:u:abc:1:default', 'a short job id'],
    ['mj1:u:abcdef:1', 'a missing field'],
    ['mj1:u:abcdef:1:default:extra', 'an extra field'],
    ['mj1:r:abcdef:1', 'an extra field on reroll'],
    ['mj1:z:abcdef:1:3', 'an unknown zoom factor'],
    ['mj1:u:abcdef:1.0:default', 'an index written as a decimal'],
    ['mj1:u:abcdef:01x:default', 'an index with letters'],
    ['mj1:m:abcdef:ban', 'an unknown moderator operation'],
    [`mj1:r:${'a'.repeat(120)}`, 'an ID longer than Discord allows'],
    ['MJ::JOB::upsample::1::hash', "the Midjourney bot's own format"],
  ])('GIVEN %j (%s) THEN it is not parsed', (customId) => {
    expect(parseCustomId(customId)).toBeNull();
  });
});
