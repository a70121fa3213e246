import type { AutocompleteInteraction } from 'discord.js';
import type { BotContext } from './context.js';

/** Autocomplete for a `job` option: the user's recent finished jobs, filtered by what they typed. */
export async function recentJobChoices(interaction: AutocompleteInteraction, context: BotContext): Promise<void> {
  const typed = String(interaction.options.getFocused()).trim().toLowerCase();
  const jobs = await context.stores.jobs.recentOf(interaction.guildId ?? '', interaction.user.id);
  const choices = jobs
    // Only what may still be used: finished, and not removed or held back by a moderator.
    .filter((job) => job.state === 'succeeded' && job.visibility === 'public' && job.id.startsWith(typed))
    .slice(0, 25)
    .map((job) => {
      const label = `${job.id} · ${job.action} · ${job.prompt.text || 'image prompt'}`;
      return { name: label.length > 100 ? `${label.slice(0, 99)}…` : label, value: job.id };
    });
  await interaction.respond(choices);
}
