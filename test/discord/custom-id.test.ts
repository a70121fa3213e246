import { describe, expect, it } from 'vitest';
import {
  buildCustomId,
  CUSTOM_ID_MAX_LENGTH,
  MOD_OPERATIONS,
  parseCustomId,
  type ComponentAction,
} from '../../src/discord/custom-id.js';
import { REGION_PRESETS } from '../../src/jobs/region.js';
import { seededRandom } from '../random.js';
import {
  MOTIONS,
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
  followUp({ action: 'zoom', index: 1, factor: 1.25 }),
  ...MOTIONS.map((motion) => followUp({ action: 'animate', index: 1, motion })),
  ...([1, 4] as const).map((index) => followUp({ action: 'extend', index })),
  followUp({ action: 'square', index: 1 }),
  // The Remix modal carries any follow-up in its own row's spelling.
  ...(
    [
      { action: 'vary', index: 2, strength: 'strong' },
      { action: 'reroll' },
      { action: 'zoom', index: 1, factor: 1.5 },
      { action: 'pan', index: 1, direction: 'up' },
    ] satisfies FollowUp[]
  ).map((value): ComponentAction => ({ kind: 'remix', jobId: longestJobId, followUp: value })),
  ...([1, 4] as const).flatMap((index): ComponentAction[] => [
    { kind: 'region', jobId: longestJobId, index },
    { kind: 'region-preset', jobId: longestJobId, index },
    { kind: 'custom-zoom', jobId: longestJobId, index },
    { kind: 'custom-zoom-modal', jobId: longestJobId, index },
  ]),
  ...REGION_PRESETS.map((preset): ComponentAction => ({
    kind: 'region-prompt',
    jobId: longestJobId,
    index: 1,
    preset,
  })),
  ...MOD_OPERATIONS.map((operation): ComponentAction => ({ kind: 'mod', jobId: longestJobId, operation })),
  { kind: 'cancel', jobId: longestJobId },
  ...([1, 2, 3, 4] as const).map((index): ComponentAction => ({ kind: 'describe', listId: longestJobId, index })),
  { kind: 'describe-again', listId: longestJobId },
  ...([1, 5] as const).map((index): ComponentAction => ({ kind: 'shorten', listId: longestJobId, index })),
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

  it('GIVEN /describe and /shorten buttons THEN they read mj1:d, mj1:dr and mj1:s, and a number out of range or a missing one is not ours', () => {
    expect(buildCustomId({ kind: 'describe', listId: 'abc234', index: 2 })).toBe('mj1:d:abc234:2');
    expect(buildCustomId({ kind: 'describe-again', listId: 'abc234' })).toBe('mj1:dr:abc234');
    expect(buildCustomId({ kind: 'shorten', listId: 'abc234', index: 5 })).toBe('mj1:s:abc234:5');
    for (const bad of ['mj1:d:abc234', 'mj1:d:abc234:6', 'mj1:s:abc234:0', 'mj1:dr:abc234:1', 'mj1:d:ABC:1'])
      expect(parseCustomId(bad)).toBeNull();
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
    ['mj1:a:abcdef:1:medium', 'an unknown motion'],
    ['mj1:e:abcdef:5', 'a video number past 4'],
    ['mj1:sq:abcdef', 'Make Square without its image'],
    ['mj1:rm:abcdef', 'a Remix modal without its follow-up'],
    ['mj1:rm:abcdef:q:1', 'a Remix modal of an unknown follow-up'],
    ['mj1:rm:abcdef:v:1', 'a Remix modal with a missing field'],
    ['mj1:rm:abcdef:rm:r', 'a Remix modal of a Remix modal'],
    ['mj1:g:abcdef', 'Vary (Region) without its image'],
    ['mj1:g:abcdef:5', 'Vary (Region) on image 5'],
    ['mj1:gs:abcdef:1:centre', 'an extra field on the preset menu'],
    ['mj1:gm:abcdef:1:everywhere', 'an unknown preset'],
    ['mj1:gm:abcdef:1', 'a preset modal without its preset'],
    ['mj1:zc:abcdef:0', 'Custom Zoom on image 0'],
    ['mj1:cz:abcdef:1:2', 'a factor in the Custom Zoom modal ID (it is in the field)'],
    ['mj1:z:abcdef:1:2.5', 'a zoom factor past 2'],
    ['mj1:z:abcdef:1:1.333', 'a zoom factor with three decimals'],
    ['mj1:z:abcdef:1:1.50', 'a zoom factor not as the bot writes it'],
    ['mj1:p:abcdef:1:diagonal', 'an unknown pan direction'],
    ['mj1:u:abcdef:1:default:', 'a trailing colon'],
    ['mj1:u:abc def:1:default', 'a space in the job id'],
  ])('GIVEN %j (%s) THEN it is not parsed', (customId) => {
    expect(parseCustomId(customId)).toBeNull();
  });

  // Members cannot write custom IDs, but a modified client can send any string: whatever arrives,
  // parsing never throws, and what it accepts is exactly what the bot would have built.
  it('GIVEN 20,000 seeded mutations of real IDs and random strings THEN parsing never throws and accepts only canonical IDs', () => {
    const random = seededRandom(0x5eed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const alphabet = 'abcz0129:.-_ XÅ\u0000😀';
    const mutate = (id: string): string => {
      const at = Math.floor(random() * (id.length + 1));
      switch (pick(['insert', 'delete', 'replace', 'split', 'repeat'] as const)) {
        case 'insert':
          return id.slice(0, at) + pick([...alphabet]) + id.slice(at);
        case 'delete':
          return id.slice(0, at) + id.slice(at + 1);
        case 'replace':
          return id.slice(0, at) + pick([...alphabet]) + id.slice(at + 1);
        case 'split':
          return id
            .split(':')
            .slice(0, Math.max(1, Math.floor(random() * 6)))
            .join(':');
        case 'repeat':
          return id + id.slice(at);
      }
    };
    const built = every.map(buildCustomId);
    let accepted = 0;
    for (let round = 0; round < 20_000; round++) {
      const candidate =
        round % 4 === 0
          ? Array.from({ length: Math.floor(random() * 40) }, () => pick([...alphabet])).join('')
          : mutate(mutate(pick(built)));
      const parsed = parseCustomId(candidate);
      if (parsed === null) continue;
      accepted++;
      expect(buildCustomId(parsed), candidate).toBe(candidate);
    }
    // Some mutations are valid IDs again (another index, another job id): the check above ran on them.
    expect(accepted).toBeGreaterThan(0);
  });
});
