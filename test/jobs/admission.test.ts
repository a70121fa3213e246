import { describe, expect, it } from 'vitest';
import { admit, queuePosition, startable, type ActiveEntry } from '../../src/jobs/admission.js';

const entry = (id: string, state: ActiveEntry['state'], userId = 'u1', createdAt = 0, guildId = 'g'): ActiveEntry => ({
  id,
  guildId,
  userId,
  state,
  createdAt,
  provider: 'kie',
});
const limits = { concurrency: 3, queueLimit: 2 };

describe('admission', () => {
  it('GIVEN free slots THEN new jobs start without queueing', () => {
    expect(admit([entry('a', 'running')], 'g', 'u1', 2, limits)).toEqual({ ok: true, queued: 0 });
  });

  it('GIVEN a full user THEN the excess is queued while the guild queue has room', () => {
    const active = [entry('a', 'running'), entry('b', 'running')];
    expect(admit(active, 'g', 'u1', 3, limits)).toEqual({ ok: true, queued: 2 });
  });

  it('GIVEN a full guild queue THEN more waiting jobs are refused', () => {
    const active = [
      entry('a', 'running'),
      entry('b', 'running'),
      entry('c', 'running'),
      entry('d', 'queued', 'u2'),
      entry('e', 'queued', 'u3'),
    ];
    expect(admit(active, 'g', 'u1', 1, limits)).toEqual({ ok: false, reason: 'queue_full', queued: 2 });
    // Another guild is not affected.
    expect(admit(active, 'other', 'u1', 1, limits)).toEqual({ ok: true, queued: 0 });
  });

  it('GIVEN a slot frees THEN the oldest queued job of that user may start', () => {
    const active = [
      entry('a', 'running'),
      entry('b', 'running'),
      entry('q2', 'queued', 'u1', 20),
      entry('q1', 'queued', 'u1', 10),
      entry('x', 'queued', 'u2', 5),
    ];
    expect(startable(active, 'g', 'u1', 3).map((found) => found.id)).toEqual(['q1']);
    expect(startable(active, 'g', 'u1', 2)).toEqual([]);
  });

  it("GIVEN queued jobs THEN positions count the owner's waiting jobs, oldest first", () => {
    const active = [
      entry('q2', 'queued', 'u1', 20),
      entry('q1', 'queued', 'u1', 10),
      entry('other', 'queued', 'u2', 0),
      entry('r', 'running'),
    ];
    expect(queuePosition(active, 'q1')).toBe(1);
    expect(queuePosition(active, 'q2')).toBe(2);
    expect(queuePosition(active, 'r')).toBeUndefined();
    expect(queuePosition(active, 'missing')).toBeUndefined();
  });
});
