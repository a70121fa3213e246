import { describe, expect, it } from 'vitest';
import { allowedLateJobs, bestPeriodicSchedule, periodicSchedule, pollingOracle } from '../../bench/oracle.js';
import { percentile } from '../../bench/stats.js';
import { seededRandom } from '../random.js';

/** Lateness of each job under a schedule: the first query at or after its visible moment, minus that moment. */
function lateness(visible: readonly number[], queries: readonly number[]): number[] {
  return visible.map((moment) => {
    const seenBy = queries.find((query) => query >= moment);
    if (seenBy === undefined) throw new Error(`no query sees the job visible at ${moment}`);
    return seenBy - moment;
  });
}

/** Mean queries per job under a schedule, counting the one that sees the result. */
function queriesPerJob(visible: readonly number[], queries: readonly number[]): number {
  const counts = visible.map((moment) => queries.findIndex((query) => query >= moment) + 1);
  return counts.reduce((sum, value) => sum + value, 0) / counts.length;
}

/** `count` moments spread evenly over [low, high]. */
const evenly = (count: number, low: number, high: number) =>
  Array.from({ length: count }, (_, index) => low + ((high - low) * index) / (count - 1));

describe('pollingOracle', () => {
  it('GIVEN every job visible at exactly 30 s and no lateness allowed THEN one query per job, at 30 s', () => {
    const schedule = pollingOracle(new Array<number>(40).fill(30_000), 0);
    expect(schedule.queriesPerJob).toBe(1);
    expect(schedule.queryTimesMs).toEqual([30_000]);
  });

  it('GIVEN uniform durations and a budget g THEN about range / g / 2 + 1/2 queries per job, a little less for the p95', () => {
    // 30–45 s, budget 3 s: queries every 3 s cut the range into five slices, and the i-th slice
    // costs i queries, so (1 + … + 5) / 5 = 3 with every job on time. The p95 lets 19 of the 400
    // jobs be late, which saves a few queries, never more than a tenth here.
    const visible = evenly(400, 30_000, 45_000);
    for (const budget of [3_000, 1_000, 300]) {
      const everyOnTime = 15_000 / budget / 2 + 1 / 2;
      const { queriesPerJob: queries } = pollingOracle(visible, budget);
      expect(queries).toBeLessThanOrEqual(everyOnTime + 0.01);
      expect(queries).toBeGreaterThan(everyOnTime * 0.9);
    }
    // With 20 jobs the p95 lets none be late: 20 jobs 789 ms apart, 3 s budget, four per query
    // (a fifth would be 3.16 s late), so five queries and a mean of (1 + … + 5) / 5.
    expect(pollingOracle(evenly(20, 30_000, 45_000), 3_000).queriesPerJob).toBe(3);
  });

  it('GIVEN its schedule THEN the schedule really costs that much and keeps the p95 of lateness within the budget', () => {
    const random = seededRandom(7);
    const visible = Array.from({ length: 60 }, () => 34_000 + random() * 12_000);
    for (const budget of [0, 500, 1_500, 4_000]) {
      const schedule = pollingOracle(visible, budget);
      expect(queriesPerJob(visible, schedule.queryTimesMs)).toBeCloseTo(schedule.queriesPerJob, 9);
      const late = lateness(visible, schedule.queryTimesMs);
      expect(percentile(late, 95)).toBeLessThanOrEqual(budget);
      expect(late.filter((value) => value > budget)).toHaveLength(schedule.lateJobs);
    }
  });

  it('GIVEN a larger budget THEN never more queries', () => {
    const random = seededRandom(11);
    const visible = Array.from({ length: 50 }, () => 30_000 + random() * 15_000);
    let previous = Infinity;
    for (let budget = 0; budget <= 16_000; budget += 250) {
      const { queriesPerJob: queries } = pollingOracle(visible, budget);
      expect(queries).toBeLessThanOrEqual(previous);
      previous = queries;
    }
    // A budget as wide as the spread: one query, after the last job, for everyone.
    expect(previous).toBe(1);
  });

  it('GIVEN the "first at w, then every g" family THEN the oracle is never worse than its best member', () => {
    const random = seededRandom(3);
    const visible = Array.from({ length: 40 }, () => 30_000 + random() * 15_000);
    for (const budget of [1_000, 2_500, 5_000]) {
      const periodic = bestPeriodicSchedule(visible, budget, 100);
      expect(periodic.queriesPerJob).toBeLessThan(Infinity);
      expect(pollingOracle(visible, budget).queriesPerJob).toBeLessThanOrEqual(periodic.queriesPerJob + 1e-9);
    }
  });

  it('GIVEN clusters of durations THEN it asks at each cluster, not in the gaps between them', () => {
    const cluster = (at: number) => new Array<number>(10).fill(at);
    const visible = [...cluster(20_000), ...cluster(30_000), ...cluster(70_000)];
    const schedule = pollingOracle(visible, 0);
    expect(schedule.queryTimesMs).toEqual([20_000, 30_000, 70_000]);
    expect(schedule.queriesPerJob).toBe(2);
    // Evenly spaced and on time for all three: first at 20 s, then every 10 s, (1 + 2 + 6) / 3.
    expect(bestPeriodicSchedule(visible, 0, 1_000).queriesPerJob).toBe(3);
  });

  it('GIVEN a budget below zero or no jobs THEN zero lateness, or no answer', () => {
    expect(pollingOracle([10_000, 12_000], -50).queriesPerJob).toBe(1.5);
    expect(pollingOracle([], 1_000).queriesPerJob).toBeNaN();
  });
});

describe('allowedLateJobs', () => {
  it('GIVEN the p95 THEN one late job in 40, none in 20, five in 101', () => {
    expect(allowedLateJobs(20)).toBe(0);
    expect(allowedLateJobs(40)).toBe(1);
    expect(allowedLateJobs(101)).toBe(5);
  });
});

describe('periodicSchedule', () => {
  it('GIVEN first at 30 s then every 3 s THEN a job visible at 35 s takes three queries and is 1 s late', () => {
    const { queriesPerJob: queries, latenessMs } = periodicSchedule([35_000], 30_000, 3_000);
    expect(queries).toBe(3);
    expect(latenessMs).toEqual([1_000]);
  });
});
