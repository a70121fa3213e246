import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/sandbox/discord/index.js';
import { shardOf, SnowflakeGenerator, timestampOf } from '../../../src/sandbox/discord/snowflake.js';

describe('ManualClock', () => {
  it('GIVEN timers THEN advance fires the due ones in order and leaves later ones', () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.at(1_300, () => fired.push(`b@${clock.now()}`));
    clock.at(1_100, () => fired.push(`a@${clock.now()}`));
    const cancel = clock.at(1_200, () => fired.push('cancelled'));
    clock.at(5_000, () => fired.push('late'));
    cancel();
    clock.advance(500);
    expect(fired).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1_500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('SnowflakeGenerator', () => {
  it('GIVEN a clock that does not move THEN ids still increase and carry its time', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const ids = new SnowflakeGenerator(clock);
    const [first, second] = [ids.next(), ids.next()];
    expect(BigInt(second) > BigInt(first)).toBe(true);
    expect(timestampOf(first)).toBe(1_700_000_000_000);
    expect(first).toMatch(/^\d{17,19}$/);
  });

  it('GIVEN a shard THEN nextOnShard returns an id that shard owns', () => {
    const ids = new SnowflakeGenerator(new ManualClock(1_700_000_000_000));
    for (const [shard, count] of [
      [0, 2],
      [1, 2],
      [2, 3],
    ] as const)
      expect(shardOf(ids.nextOnShard(shard, count), count)).toBe(shard);
  });
});
