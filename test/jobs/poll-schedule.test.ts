import { describe, expect, it } from 'vitest';
import { DurationModel, FIRST_POLL_DONE_SHARE, firstPollDoneShare } from '../../src/jobs/durations.js';
import { firstPollAt, MIN_INTERVAL_MS, nextPollDelay, pollDeadline } from '../../src/jobs/poll-schedule.js';
import { seededRandom } from '../random.js';

const expected = { low: 30_000, high: 45_000 };
const base = { startedAt: 0, expected, random: 0.5 };

describe('nextPollDelay', () => {
  it('GIVEN a job that cannot have finished THEN the first query comes one interval after the earliest usual finish', () => {
    // The window is 15 s wide, so the interval is 3 s: 30 s + 3 s.
    expect(nextPollDelay({ ...base, now: 0 })).toBe(33_000);
    expect(nextPollDelay({ ...base, now: 10_000 })).toBe(23_000);
    expect(nextPollDelay({ ...base, now: 0, recommendedIntervalMs: 2_000 })).toBe(32_000);
  });

  it('GIVEN a learned first query THEN the first wait goes there, and only a job not yet asked waits for it', () => {
    const learned = { ...expected, firstPoll: 36_000 };
    expect(nextPollDelay({ ...base, expected: learned, now: 1_000, polls: 0 })).toBe(35_000);
    // Asked once already (say before a restart): inside the window, the usual interval applies.
    expect(nextPollDelay({ ...base, expected: learned, now: 32_000, polls: 1 })).toBe(3_000);
    // Never more than an interval (3 s) before the earliest usual finish.
    expect(nextPollDelay({ ...base, expected: { ...expected, firstPoll: 10_000 }, now: 0, polls: 0 })).toBe(27_000);
  });

  it('GIVEN a job asked once long before its usual window (on the documented timing) THEN it waits for the first-query point', () => {
    const learned = { low: 41_000, high: 43_000, firstPoll: 43_000 };
    // Asked at 33 s, the earliest usual finish is 8 s away: not every 1.5 s until then.
    expect(nextPollDelay({ ...base, expected: learned, now: 33_000, polls: 1 })).toBe(10_000);
    // Within an interval of the window, the usual interval.
    expect(nextPollDelay({ ...base, expected: learned, now: 40_000, polls: 1 })).toBe(1_500);
  });

  it('GIVEN learned durations but no steered first query yet THEN it comes an interval after the earliest finish the spans allow', () => {
    expect(firstPollAt({ low: 36_000, high: 45_000, earliest: 34_000 }, undefined)).toBe(34_000 + 1_800);
    expect(firstPollAt({ low: 36_000, high: 45_000 }, undefined)).toBe(36_000 + 1_800);
  });

  it('GIVEN a job inside its usual window THEN queries are spaced by a fraction of the window', () => {
    const delay = nextPollDelay({ ...base, now: 31_000, polls: 1 });
    expect(delay).toBe(3_000);
    expect(nextPollDelay({ ...base, now: 31_000, polls: 1, recommendedIntervalMs: 2_000 })).toBe(2_000);
  });

  it('GIVEN an overdue job THEN queries back off but stay bounded', () => {
    const soon = nextPollDelay({ ...base, now: 50_000 });
    const later = nextPollDelay({ ...base, now: 200_000 });
    expect(later).toBeGreaterThan(soon);
    expect(later).toBeLessThanOrEqual(30_000);
  });

  it('GIVEN percent progress THEN the next query comes a little before the predicted finish', () => {
    // 50% after 20 s predicts 20 s more; asking at 70% of that.
    expect(nextPollDelay({ ...base, now: 20_000, progress: 50, expected: { low: 0, high: 100_000 } })).toBe(14_000);
    expect(nextPollDelay({ ...base, now: 20_000, progress: 99 })).toBe(MIN_INTERVAL_MS);
  });

  it('GIVEN jitter THEN delays spread by ±10% of the polling interval, not of a long first wait, and never drop under the minimum', () => {
    // The window is 15 s wide, so queries inside it are 3 s apart: jitter is ±300 ms.
    expect(nextPollDelay({ ...base, now: 0, random: 0 })).toBe(32_700);
    expect(nextPollDelay({ ...base, now: 0, random: 0.999_999 })).toBe(33_300);
    expect(nextPollDelay({ ...base, now: 31_000, polls: 1, random: 0 })).toBe(2_700);
    expect(nextPollDelay({ ...base, now: 20_000, progress: 99, random: 0 })).toBe(MIN_INTERVAL_MS);
  });

  it('GIVEN a usual window THEN the deadline is generous but finite', () => {
    expect(pollDeadline(expected)).toBe(600_000);
    expect(pollDeadline({ low: 100_000, high: 300_000 })).toBe(1_200_000);
  });
});

describe('DurationModel', () => {
  it('GIVEN too few samples THEN it has no estimate; GIVEN enough THEN low and high quantiles', () => {
    const model = new DurationModel();
    for (const seconds of [30, 32, 34]) model.record('apixo', 'fast', 'imagine', seconds * 1000);
    expect(model.estimate('apixo', 'fast', 'imagine')).toBeUndefined();
    for (const seconds of [36, 38, 40, 42, 44]) model.record('apixo', 'fast', 'imagine', seconds * 1000);
    expect(model.estimate('apixo', 'fast', 'imagine')).toEqual({ low: 30_000, high: 44_000 });
    expect(model.estimate('apixo', 'turbo', 'imagine')).toBeUndefined();
  });

  it('GIVEN more samples than it keeps THEN old ones are forgotten', () => {
    const model = new DurationModel(5);
    for (let index = 0; index < 5; index += 1) model.record('kie', 'fast', 'imagine', 100_000);
    for (let index = 0; index < 5; index += 1) model.record('kie', 'fast', 'imagine', 10_000);
    expect(model.estimate('kie', 'fast', 'imagine')).toEqual({ low: 10_000, high: 10_000 });
  });

  it('GIVEN finishes known only as spans THEN the earliest they allow is kept beside the middles', () => {
    const model = new DurationModel();
    for (const seconds of [36, 38, 40, 42, 44])
      model.record('kie', 'fast', 'imagine', seconds * 1000, (seconds - 2) * 1000);
    expect(model.estimate('kie', 'fast', 'imagine')).toEqual({ low: 36_000, high: 44_000, earliest: 34_000 });
  });

  it('GIVEN several jobs in flight THEN each lesson moves the learned point, not the point the job was asked at', () => {
    const model = new DurationModel();
    for (let index = 0; index < 5; index += 1) model.record('apixo', 'fast', 'imagine', 40_000);
    model.observeFirstPoll('apixo', 'fast', 'imagine', 30_000, false, 1_000, 0.2);
    // Three jobs asked at 30 s (they started before any lesson), all still running.
    model.observeFirstPoll('apixo', 'fast', 'imagine', 30_000, false, 1_000, 0.2);
    model.observeFirstPoll('apixo', 'fast', 'imagine', 30_000, false, 1_000, 0.2);
    expect(model.estimate('apixo', 'fast', 'imagine')!.firstPoll).toBeCloseTo(30_600, 6);
    // A floor holds it where the schedule would ask anyway.
    model.observeFirstPoll('apixo', 'fast', 'imagine', 30_600, true, 1_000, 0.2, 35_000);
    expect(model.estimate('apixo', 'fast', 'imagine')!.firstPoll).toBe(35_000);
  });

  it('GIVEN a window wide or narrow for its interval THEN the first query aims at half an interval of done jobs, or nearly all when jobs take alike', () => {
    expect(firstPollDoneShare({ low: 30_000, high: 45_000 }, 6_000)).toBeCloseTo(0.2, 6);
    expect(firstPollDoneShare({ low: 42_000, high: 43_800 }, 1_500)).toBe(0.9);
    // Bounded: a tenth at least, however wide the window.
    expect(firstPollDoneShare({ low: 30_000, high: 45_000 }, 3_000)).toBe(0.1);
  });

  it('GIVEN first queries that find jobs done or running THEN the first query settles where the intended share are done, from either side', () => {
    // Durations uniform in 30–45 s; a fixed-seed generator so the run is repeatable.
    const random = seededRandom(12_345);
    const settled = (start: number) => {
      const model = new DurationModel();
      for (let index = 0; index < 5; index += 1) model.record('apixo', 'fast', 'imagine', 40_000);
      model.observeFirstPoll('apixo', 'fast', 'imagine', start - 125, false, 500);
      const positions: number[] = [];
      for (let job = 0; job < 2_000; job += 1) {
        const at = model.estimate('apixo', 'fast', 'imagine')!.firstPoll!;
        const duration = 30_000 + 15_000 * random();
        model.observeFirstPoll('apixo', 'fast', 'imagine', at, duration <= at, 500);
        if (job >= 1_000) positions.push(at);
      }
      return positions.reduce((sum, at) => sum + at, 0) / positions.length;
    };
    const target = 30_000 + 15_000 * FIRST_POLL_DONE_SHARE;
    expect(Math.abs(settled(44_000) - target)).toBeLessThan(750);
    expect(Math.abs(settled(20_000) - target)).toBeLessThan(750);
  });
});
