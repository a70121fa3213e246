import { describe, expect, it } from 'vitest';
import { PollPlan } from '../../src/jobs/poll-plan.js';
import type { Job } from '../../src/jobs/job.js';
import { APIXO_CAPABILITIES } from '../../src/providers/apixo/capabilities.js';
import { CLOUDSWAY_MJ_CAPABILITIES } from '../../src/providers/cloudsway-mj/capabilities.js';
import type { Capabilities, ProviderAdapter } from '../../src/providers/types.js';
import { seededRandom } from '../random.js';

interface Outcome {
  queries: number;
  /** The query that saw the result, minus the moment the result was there. */
  latenessMs: number;
  firstQueryMs: number;
}

interface Simulated {
  job: Job;
  start: number;
  duration: number;
  /** When the plan asks next. */
  next: number;
  started: boolean;
  done: boolean;
  firstQueryMs?: number;
  outcome?: Outcome;
}

/**
 * Jobs started 10 s apart, each done `durations[i]` ms after its start, polled the way the
 * poller runs the plan: ask when the plan says, answer after a round trip, learn, plan the next.
 */
function simulate(capabilities: Capabilities, durations: readonly number[], roundTripMs = 100): Outcome[] {
  let now = 0;
  const random = seededRandom(42);
  const plan = new PollPlan({ now: () => now, random, timeScale: 1, hasCallbackUrl: () => false });
  const adapter = { id: 'apixo', capabilities } as unknown as ProviderAdapter;
  const jobs = durations.map((duration, index): Simulated => {
    const job = { provider: 'apixo', speed: 'fast', action: 'imagine', polls: 0 } as unknown as Job;
    return { job, start: index * 10_000, duration, next: Infinity, started: false, done: false };
  });
  for (;;) {
    const waiting = jobs.filter((entry) => !entry.done);
    if (waiting.length === 0) break;
    const entry = waiting.reduce((soonest, candidate) =>
      (candidate.started ? candidate.next : candidate.start) < (soonest.started ? soonest.next : soonest.start)
        ? candidate
        : soonest,
    );
    if (!entry.started) {
      now = entry.start;
      entry.started = true;
      entry.job.submittedAt = now;
      entry.job.createdAt = now;
      entry.next = plan.nextPollAt(entry.job, adapter);
      continue;
    }
    const askedAt = entry.next;
    now = askedAt + roundTripMs;
    entry.job.polls += 1;
    entry.firstQueryMs ??= askedAt - entry.start;
    const done = askedAt >= entry.start + entry.duration;
    plan.learnFromPoll(entry.job, adapter, done ? 'succeeded' : 'running', askedAt);
    if (done) {
      entry.done = true;
      plan.learnFromFinish(entry.job, adapter);
      entry.outcome = {
        queries: entry.job.polls,
        latenessMs: askedAt - (entry.start + entry.duration),
        firstQueryMs: entry.firstQueryMs,
      };
      continue;
    }
    entry.job.lastSeenRunningAt = now;
    entry.next = plan.nextPollAt(entry.job, adapter);
  }
  return jobs.map((entry) => entry.outcome!);
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(0.95 * values.length) - 1]!;

describe('PollPlan, learning where to ask', () => {
  it('GIVEN jobs that all take the same time THEN once learned, nearly every job is seen by its first query', () => {
    const outcomes = simulate(CLOUDSWAY_MJ_CAPABILITIES, new Array<number>(80).fill(43_000)).slice(40);
    expect(mean(outcomes.map((outcome) => outcome.queries))).toBeLessThanOrEqual(1.2);
    // Seen within about the 1.5-s interval a window this narrow is polled at.
    expect(p95(outcomes.map((outcome) => outcome.latenessMs))).toBeLessThanOrEqual(1_600);
  });

  it('GIVEN a long round trip THEN the first query does not drift later by it, job after job', () => {
    const outcomes = simulate(CLOUDSWAY_MJ_CAPABILITIES, new Array<number>(120).fill(43_000), 2_000).slice(60);
    // Were the answer's moment taken for the question's, each job would move it 2 s later.
    expect(Math.max(...outcomes.map((outcome) => outcome.firstQueryMs))).toBeLessThan(43_000 + 2_000);
    expect(mean(outcomes.map((outcome) => outcome.queries))).toBeLessThanOrEqual(1.3);
  });

  it('GIVEN durations spread over 30–45 s and a 3-s recommended interval THEN the first query settles after the earliest finish, within about an interval', () => {
    const random = seededRandom(7);
    const durations = Array.from({ length: 120 }, () => 30_000 + 15_000 * random());
    const outcomes = simulate(APIXO_CAPABILITIES, durations).slice(60);
    const firstQuery = mean(outcomes.map((outcome) => outcome.firstQueryMs));
    expect(firstQuery).toBeGreaterThan(31_000);
    expect(firstQuery).toBeLessThan(35_000);
    // Queries at most an interval apart, and the first not far past the earliest finish.
    expect(p95(outcomes.map((outcome) => outcome.latenessMs))).toBeLessThanOrEqual(3_500);
    expect(mean(outcomes.map((outcome) => outcome.queries))).toBeLessThan(4.5);
  });
});
