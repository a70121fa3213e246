import { describe, expect, it } from 'vitest';
import { ActiveJobs } from '../../src/jobs/active-jobs.js';
import { admit, queuePosition, startable, type ActiveEntry } from '../../src/jobs/admission.js';
import type { JobState } from '../../src/jobs/job.js';
import { seededRandom } from '../random.js';

const STATES: JobState[] = ['queued', 'submitting', 'running', 'succeeded', 'failed', 'cancelled'];
const FINISHED = new Set<JobState>(['succeeded', 'failed', 'cancelled']);

describe('ActiveJobs', () => {
  // The index answers from a member's own jobs and the guild's queue; the admission functions over
  // every entry are the reference it must agree with, whatever the order of transitions.
  it('GIVEN 5,000 seeded transitions over 3 guilds and 6 members THEN every answer equals the admission functions over all entries', () => {
    const random = seededRandom(18);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const active = new ActiveJobs();
    const reference = new Map<string, ActiveEntry>();
    const guilds = ['g1', 'g2', 'g3'];
    const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    const ids = Array.from({ length: 60 }, (_, index) => `job${index}`);
    const owner = new Map(ids.map((id) => [id, { guildId: pick(guilds), userId: pick(users) }]));
    const limits = { concurrency: 3, queueLimit: 4 };
    for (let step = 0; step < 5_000; step++) {
      const id = pick(ids);
      const { guildId, userId } = owner.get(id)!;
      const roll = random();
      if (roll < 0.7) {
        const state = pick(STATES);
        const job = { id, guildId, userId, state, createdAt: step, provider: 'apixo' as const };
        active.track(job);
        if (FINISHED.has(state)) reference.delete(id);
        else reference.set(id, { ...job, state: state as ActiveEntry['state'] });
      } else if (roll < 0.8) {
        active.forget(id);
        reference.delete(id);
      } else if (roll < 0.9) {
        active.reserve(id);
        const entry = reference.get(id);
        if (entry) reference.set(id, { ...entry, state: 'submitting' });
      }
      const all = [...reference.values()];
      const guild = pick(guilds);
      const user = pick(users);
      const count = 1 + Math.floor(random() * 4);
      expect(active.admit(guild, user, count, limits)).toEqual(admit(all, guild, user, count, limits));
      expect(active.startable(guild, user, limits.concurrency).map((entry) => entry.id)).toEqual(
        startable(all, guild, user, limits.concurrency).map((entry) => entry.id),
      );
      expect(active.queuePosition(id)).toBe(queuePosition(all, id));
      expect(active.has(id)).toBe(reference.has(id));
      expect(active.reserved(id)).toBe(reference.get(id)?.state === 'submitting');
      const owners = new Set(all.map((entry) => `${entry.guildId}/${entry.userId}`));
      expect(new Set(active.owners().map(([g, u]) => `${g}/${u}`))).toEqual(owners);
      expect(
        active
          .of(guild, user)
          .map((entry) => entry.id)
          .sort(),
      ).toEqual(
        all
          .filter((entry) => entry.guildId === guild && entry.userId === user)
          .map((entry) => entry.id)
          .sort(),
      );
    }
  });
});
