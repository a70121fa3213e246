/**
 * The polling oracle: the fewest status queries per job that a schedule knowing the true duration
 * distribution needs, for a given lateness budget. The bot's own polling is read against it.
 *
 * A schedule here is one list of query moments (ms after submit) shared by every job: it knows the
 * distribution, not which job will take how long. It knows no percent either, so it is the bar a
 * poller that reads progress should beat. A job is seen by the first query at or after the moment
 * its result becomes visible; it costs every query up to and including that one, and is late by
 * that query's moment minus the visible moment.
 *
 * Which family: every schedule, solved exactly by dynamic programming over the jobs sorted by
 * visible moment. No time grid is needed: a query between two visible moments can move back to the
 * earlier one without changing which jobs it sees, only making them less late, so an optimal
 * schedule asks only at visible moments. The queries then cut the sorted jobs into consecutive
 * groups, and a query costs one for each job not yet seen, which gives the recurrence below. The
 * simple family "first query at w, then every g" is here too, for comparison and tests: it can
 * never beat the exact answer.
 */

export interface OracleSchedule {
  /** Mean status queries per job, counting the query that sees the result. */
  queriesPerJob: number;
  /** The query moments, ms after submit. */
  queryTimesMs: number[];
  /** Jobs seen later than the budget (the p95 lets a few be). */
  lateJobs: number;
}

/**
 * How many of `count` jobs may be later than the budget while the p95 (stats.ts's interpolated
 * percentile) stays within it: every job up to the rank above 0.95·(count − 1) must be on time.
 * The interpolation could sometimes allow one more; not allowing it errs in the bot's favour.
 */
export function allowedLateJobs(count: number): number {
  return count === 0 ? 0 : count - 1 - Math.ceil(0.95 * (count - 1));
}

/**
 * The fewest mean queries per job such that the p95 of lateness is at most `budgetMs`, over the
 * jobs whose results become visible `visibleAfterMs` after their submit (the sample stands for the
 * distribution). A budget below zero is read as zero: no query sees a result before it exists.
 */
export function pollingOracle(visibleAfterMs: readonly number[], budgetMs: number): OracleSchedule {
  const visible = [...visibleAfterMs].sort((a, b) => a - b);
  const count = visible.length;
  if (count === 0) return { queriesPerJob: Number.NaN, queryTimesMs: [], lateJobs: 0 };
  const budget = Math.max(0, budgetMs);
  const allowed = allowedLateJobs(count);
  // cost[seen][late]: fewest queries in all, with the first `seen` jobs seen and `late` of them late.
  const cost = Array.from({ length: count + 1 }, () => new Array<number>(allowed + 1).fill(Infinity));
  const parent = Array.from({ length: count + 1 }, () => new Array<[number, number]>(allowed + 1));
  cost[0]![0] = 0;
  for (let seen = 0; seen < count; seen += 1) {
    for (let late = 0; late <= allowed; late += 1) {
      const before = cost[seen]![late]!;
      if (before === Infinity) continue;
      // The next query sits at the visible moment of job `last`, and sees jobs seen..last.
      let onTimeFrom = seen;
      for (let last = seen; last < count; last += 1) {
        // Jobs with equal moments are seen by the same query: a group ends after the last of them.
        if (last + 1 < count && visible[last + 1] === visible[last]) continue;
        while (visible[last]! - visible[onTimeFrom]! > budget) onTimeFrom += 1;
        const total = late + onTimeFrom - seen;
        if (total > allowed) continue;
        const next = before + (count - seen);
        if (next < cost[last + 1]![total]!) {
          cost[last + 1]![total] = next;
          parent[last + 1]![total] = [seen, late];
        }
      }
    }
  }
  let late = 0;
  for (let candidate = 1; candidate <= allowed; candidate += 1)
    if (cost[count]![candidate]! < cost[count]![late]!) late = candidate;
  const lateJobs = late;
  const queryTimesMs: number[] = [];
  for (let seen = count; seen > 0;) {
    queryTimesMs.unshift(visible[seen - 1]!);
    [seen, late] = parent[seen]![late]!;
  }
  return { queriesPerJob: cost[count]![lateJobs]! / count, queryTimesMs, lateJobs };
}

/** Queries per job and lateness of each job under "first query at `firstMs`, then every `everyMs`". */
export function periodicSchedule(
  visibleAfterMs: readonly number[],
  firstMs: number,
  everyMs: number,
): { queriesPerJob: number; latenessMs: number[] } {
  const counts = visibleAfterMs.map((visible) => 1 + Math.max(0, Math.ceil((visible - firstMs) / everyMs)));
  const latenessMs = visibleAfterMs.map((visible, index) => firstMs + (counts[index]! - 1) * everyMs - visible);
  return { queriesPerJob: counts.reduce((sum, value) => sum + value, 0) / visibleAfterMs.length, latenessMs };
}

/**
 * The best "first at w, then every g" schedule meeting the same p95 budget, over a grid of w and g
 * `stepMs` apart (g from one step to the whole spread of the sample).
 */
export function bestPeriodicSchedule(
  visibleAfterMs: readonly number[],
  budgetMs: number,
  stepMs: number,
): { queriesPerJob: number; firstMs: number; everyMs: number } {
  const sorted = [...visibleAfterMs].sort((a, b) => a - b);
  const allowed = allowedLateJobs(sorted.length);
  const budget = Math.max(0, budgetMs);
  let best = { queriesPerJob: Infinity, firstMs: Number.NaN, everyMs: Number.NaN };
  const low = sorted[0] ?? 0;
  const high = sorted[sorted.length - 1] ?? 0;
  for (let everyMs = stepMs; everyMs <= Math.max(stepMs, high - low + stepMs); everyMs += stepMs)
    for (let firstMs = low; firstMs <= high; firstMs += stepMs) {
      const { queriesPerJob, latenessMs } = periodicSchedule(sorted, firstMs, everyMs);
      const late = latenessMs.filter((value) => value > budget + 1e-9).length;
      if (late <= allowed && queriesPerJob < best.queriesPerJob) best = { queriesPerJob, firstMs, everyMs };
    }
  return best;
}
