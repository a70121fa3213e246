import type Keyv from 'keyv';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { RecordStore } from './record-store.js';

/** Limits on what one member may store, so a record stays small and a prompt stays readable. */
export const PREFERENCE_LIMITS = {
  /** Named shortcuts per member per server. */
  options: 20,
  nameLength: 24,
  /** Characters of one shortcut's parameters, and of the suffix. */
  valueLength: 300,
  suffixLength: 300,
} as const;

/** A shortcut's name as typed after `--`: lowercase letters, digits, `_` and `-`, starting with a letter. */
export const shortcutNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/)
  .max(PREFERENCE_LIMITS.nameLength);

/**
 * One member's own preferences in one server (`/prefer`). Each default applies only where the
 * prompt does not set its own, and before the server's (prompt, then member, then server).
 */
export const memberPreferencesSchema = z.object({
  /** Remix mode: V, Vary, 🔄, zoom and pan open a modal to edit the prompt. Absent: the server's default. */
  remix: z.boolean().optional(),
  /** Appended to every prompt this member writes. */
  suffix: z.string().max(PREFERENCE_LIMITS.suffixLength).optional(),
  /** `--name` shortcuts and the parameters each stands for. */
  options: z
    .record(shortcutNameSchema, z.string().min(1).max(PREFERENCE_LIMITS.valueLength))
    .refine((options) => Object.keys(options).length <= PREFERENCE_LIMITS.options)
    .default({}),
  version: z.string().max(10).optional(),
  speed: z.enum(['fast', 'relax', 'turbo']).optional(),
  aspect: z.string().max(11).optional(),
  stylize: z.number().int().min(0).max(1000).optional(),
});
export type MemberPreferences = z.infer<typeof memberPreferencesSchema>;

/** Per member per server, under `member:<guildId>:<userId>` in the keyv store. */
export class MemberPreferencesStore {
  private readonly preferences: RecordStore<typeof memberPreferencesSchema>;

  constructor(keyv: Keyv, logger: Logger, options: { cache?: boolean } = {}) {
    this.preferences = new RecordStore(keyv, 'member', memberPreferencesSchema, logger, {
      cache: options.cache ?? true,
    });
  }

  async get(guildId: string, userId: string): Promise<MemberPreferences> {
    return (await this.preferences.get(`${guildId}:${userId}`)) ?? memberPreferencesSchema.parse({});
  }

  /** Changes the member's preferences in one read-modify-write; the change is given the current record. */
  async update(
    guildId: string,
    userId: string,
    change: (current: MemberPreferences) => MemberPreferences,
  ): Promise<MemberPreferences> {
    const next = await this.preferences.update(`${guildId}:${userId}`, (current) =>
      memberPreferencesSchema.parse(change(current ?? memberPreferencesSchema.parse({}))),
    );
    return next ?? memberPreferencesSchema.parse({});
  }
}
