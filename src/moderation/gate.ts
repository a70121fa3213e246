import { PermissionFlagsBits, type GuildMember, type PermissionsBitField } from 'discord.js';
import type { ParsedPrompt } from '../prompt/types.js';
import { failpoint, type Failpoints } from '../failpoints.js';
import { KeyedLock } from '../keyed-lock.js';
import type { Logger } from '../logger.js';
import type { GuildSettings, Stores } from '../store/stores.js';
import { counterDay } from '../store/job-store.js';
import { compilePromptFilter, type FilterCategory, type PromptFilter } from './filter.js';
import { gateTextFor } from './text.js';

/**
 * Who asks: an interaction, or what a signed Vary (Region) link says of the member who clicked
 * (their server, language and whether they moderated it then).
 */
export interface GateSubject {
  guildId: string | null;
  locale?: string | null;
  user: { id: string };
  memberPermissions: Readonly<PermissionsBitField> | null;
  /** A guild member (discord.js's or the API's); its roles are read for the moderator role. */
  member: unknown;
}

/** Whether the member may moderate: Manage Messages, or the role set in /settings. */
export function isModerator(interaction: GateSubject, settings: Pick<GuildSettings, 'modRoleId'>): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)) return true;
  const roles = (interaction.member as GuildMember | { roles?: string[] } | null)?.roles;
  if (!settings.modRoleId || !roles) return false;
  return Array.isArray(roles) ? roles.includes(settings.modRoleId) : roles.cache.has(settings.modRoleId);
}

/** How many times to try counting against the allowance while refunds keep freeing room between the store's two steps. */
const ALLOWANCE_ATTEMPTS = 3;

export type GateVerdict =
  | { ok: true }
  | { ok: false; reason: 'blocked' | 'allowance'; message: string }
  | { ok: false; reason: 'filter'; message: string; category: FilterCategory; term: string; prompt: string };

/**
 * The checks before anything reaches a provider: the block list, the prompt filter (built-in terms
 * plus the guild's own, on every expanded prompt) and the daily allowance. Filters are compiled
 * once per guild term list and reused.
 */
export class ModerationGate {
  private readonly filters = new Map<string, { key: string; filter: Promise<PromptFilter> }>();

  constructor(
    private readonly stores: Stores,
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly failpoints?: Failpoints,
  ) {}

  private async filterFor(guildId: string): Promise<PromptFilter> {
    const terms = await this.stores.moderation.terms(guildId);
    const key = terms.join('\u0000');
    const cached = this.filters.get(guildId);
    if (cached?.key === key) return cached.filter;
    // Shared by the commands that arrive while it compiles; compiled in turns so others are not held up.
    const filter = compilePromptFilter(terms);
    this.filters.set(guildId, { key, filter });
    return filter;
  }

  private readonly members = new KeyedLock();

  /**
   * Checks a request and, when it passes, counts its jobs against the allowance in the same step
   * (per member, so two quick commands cannot both take the last job of the day).
   */
  async check(interaction: GateSubject, prompts: readonly ParsedPrompt[], jobCount: number): Promise<GateVerdict> {
    return this.members.run(`${interaction.guildId ?? ''}:${interaction.user.id}`, () =>
      this.checkAndCount(interaction, prompts, jobCount),
    );
  }

  private async checkAndCount(
    interaction: GateSubject,
    prompts: readonly ParsedPrompt[],
    jobCount: number,
  ): Promise<GateVerdict> {
    const guildId = interaction.guildId ?? '';
    const userId = interaction.user.id;
    if ((await this.stores.moderation.blockedUsers(guildId)).includes(userId)) {
      return {
        ok: false,
        reason: 'blocked',
        message: gateTextFor(interaction).blocked,
      };
    }
    const settings = await this.stores.guilds.get(guildId);
    const filter = await this.filterFor(guildId);
    // Each distinct text once: `--repeat 10` makes ten copies of one text, and the filter reads text only.
    for (const text of new Set(prompts.map((prompt) => prompt.text))) {
      const verdict = filter.check({ text });
      if (!verdict.ok) {
        return {
          ok: false,
          reason: 'filter',
          category: verdict.category,
          term: verdict.term,
          prompt: text,
          // Only where a moderation channel exists is anyone told; otherwise it is only logged.
          message: gateTextFor(interaction).filtered(verdict.category, settings.modChannelId !== undefined),
        };
      }
    }
    await failpoint(this.failpoints, 'gate.before-count', this.logger);
    if (settings.dailyLimit > 0 && !isModerator(interaction, settings)) {
      // Checked and counted in one step of the store: another process may be counting this member too.
      for (let attempt = 1; ; attempt++) {
        const counted = await this.stores.counters.incrementWithin(
          guildId,
          userId,
          this.now(),
          jobCount,
          settings.dailyLimit,
        );
        if (counted.ok) break;
        // The count is read after the refused step: a job given back in between (a full queue's
        // refund) leaves room, and a refusal saying "you have 1 left" to one more job would be false.
        const left = Math.max(0, settings.dailyLimit - counted.count);
        if (left >= jobCount && attempt < ALLOWANCE_ATTEMPTS) continue;
        return {
          ok: false,
          reason: 'allowance',
          message: gateTextFor(interaction).allowance(jobCount, Math.min(left, jobCount - 1), settings.dailyLimit),
        };
      }
      return { ok: true };
    }
    const counted = this.stores.counters.increment(guildId, userId, this.now(), jobCount);
    // Without an allowance nothing depends on the count yet (only /info shows it): keep the write
    // off the path to the interaction's reply.
    if (settings.dailyLimit > 0) await counted;
    else counted.catch((error: unknown) => this.logger.warn({ err: error, guildId }, 'could not count a job'));
    return { ok: true };
  }

  /** Gives back allowance for jobs that were counted but then not made (a full queue). */
  async refund(interaction: GateSubject, jobCount: number): Promise<void> {
    await this.stores.counters.increment(interaction.guildId ?? '', interaction.user.id, this.now(), -jobCount);
  }

  static day(at: number): string {
    return counterDay(at);
  }
}
