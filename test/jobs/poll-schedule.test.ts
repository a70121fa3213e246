import { describe, expect, it } from 'vitest';
import { DurationModel } from '../../src/jobs/durations.js';
import { MIN_INTERVAL_MS, nextPollDelay, pollDeadline } from '../../src/jobs/poll-schedule.js';

const expected = { low: 30_000, high: 45_000 };
const base = { startedAt: 0, expected, random: 0.5 };

describe('nextPollDelay', () => {
  it('GIVEN a job that cannot have finished THEN the first query comes one interval after the earliest usual finish', () => {
    // The window is 15 s wide, so the interval is 3 s: 30 s + 3 s.
    expect(nextPollDelay({ ...base, now: 0 })).toBe(33_000);
    expect(nextPollDelay({ ...base, now: 10_000 })).toBe(23_000);
    expect(nextPollDelay({ ...base, now: 0, recommendedIntervalMs: 2_000 })).toBe(32_000);
  });

  it('GIVEN a job inside its usual window THEN queries are spaced by a fraction of the window', () => {
    const delay = nextPollDelay({ ...base, now: 31_000 });
    expect(delay).toBe(3_000);
    expect(nextPollDelay({ ...base, now: 31_000, recommendedIntervalMs: 2_000 })).toBe(2_000);
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
    expect(nextPollDelay({ ...base, now: 31_000, random: 0 })).toBe(2_700);
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
});
