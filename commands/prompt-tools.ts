import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/context.js';
import type { PromptListAction } from '../src/discord/custom-id.js';
import { replyPrivately } from '../src/discord/launch.js';
import { describeErrors } from '../src/discord/prompt-input.js';
import { promptListView } from '../src/discord/prompt-list-view.js';
import { chooseProvider, insteadNotice } from '../src/discord/provider-choice.js';
import { followUpTextFor, refusalsFor } from '../src/discord/text.js';
import { newJobId } from '../src/jobs/new-job.js';
import { ProviderError } from '../src/providers/errors.js';
import { PROVIDER_NAMES } from '../src/providers/index.js';
import type { ProviderAdapter } from '../src/providers/types.js';
import type { PromptList } from '../src/store/stores.js';
import { imagineText } from './imagine.js';
import { toolsTextFor } from './tools-text.js';

type Task = PromptList['kind'];
type ToolInteraction = ChatInputCommandInteraction | ButtonInteraction;

/** How long a describe or shorten may take at the provider before the member is told it failed. */
const TOOL_TIMEOUT_MS = 120_000;

/** Why a provider cannot describe or shorten, or undefined when it can. */
function cannot(task: Task, adapter: ProviderAdapter): string | undefined {
  const name = PROVIDER_NAMES[adapter.id];
  if (task === 'describe') return adapter.describe ? undefined : `${name} has no describe endpoint.`;
  return adapter.shorten ? undefined : `${name} has no shorten endpoint.`;
}

/**
 * /describe (an image's link) or /shorten (a prompt), and 🔄: the server's provider when it can,
 * else another configured one that can (the answer says which). The answer is public, as on
 * Midjourney; the list is stored so its buttons can imagine a prompt by number.
 */
export async function runPromptTool(
  interaction: ToolInteraction,
  context: BotContext,
  task: Task,
  source: string,
): Promise<void> {
  const tools = toolsTextFor(interaction);
  const guildId = interaction.guildId ?? '';
  // Blocked members and filtered prompts are refused here as for /imagine; nothing counts against
  // the daily allowance, which counts images made.
  const prompt = { text: task === 'shorten' ? source : '', imageUrls: [], params: {} };
  const gate = await context.gate.check(interaction, [prompt], 0);
  if (!gate.ok) {
    await replyPrivately(interaction, gate.message);
    if (gate.reason === 'filter')
      await context.desk.refused(guildId, interaction.user.id, gate.category, gate.term, gate.prompt);
    return;
  }
  const settings = await context.stores.guilds.get(guildId);
  const choice = chooseProvider(context, settings, (adapter) => cannot(task, adapter));
  if (!choice.ok) {
    const reasons = choice.refusals.map((refusal) => ({ message: refusal.reason }));
    await replyPrivately(
      interaction,
      reasons.length === 0
        ? refusalsFor(interaction).noProvider
        : describeErrors(tools.noProviderCan(task), reasons, refusalsFor(interaction)),
    );
    return;
  }
  await interaction.deferReply();
  const name = PROVIDER_NAMES[choice.provider];
  let prompts: string[];
  try {
    const options = { signal: AbortSignal.timeout(TOOL_TIMEOUT_MS), logger: context.logger };
    prompts =
      task === 'describe'
        ? await choice.adapter.describe!(source, options)
        : await choice.adapter.shorten!(source, options);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    context.logger.warn({ err: error, provider: choice.provider, task }, 'a describe or shorten failed');
    await replyPrivately(interaction, tools.providerFailed(name, error.userMessage));
    return;
  }
  const listId = newJobId();
  const list: PromptList = {
    kind: task,
    provider: choice.provider,
    guildId,
    channelId: interaction.channelId ?? '',
    userId: interaction.user.id,
    source,
    prompts: prompts.slice(0, task === 'describe' ? 4 : 5),
    at: context.now(),
  };
  await context.stores.promptLists.set(listId, list);
  const view = promptListView(listId, list, insteadNotice(choice));
  await interaction.editReply({ ...view, allowedMentions: { parse: [], users: [interaction.user.id] } });
}

/** A /describe or /shorten button: imagine prompt N of the stored list, or 🔄 describe its image again. */
export async function promptListButton(
  interaction: ButtonInteraction,
  context: BotContext,
  action: PromptListAction,
): Promise<void> {
  const list = await context.stores.promptLists.get(action.listId);
  if (!list || list.guildId !== (interaction.guildId ?? '')) {
    await replyPrivately(interaction, toolsTextFor(interaction).expired);
    return;
  }
  const settings = await context.stores.guilds.get(list.guildId);
  if (settings.buttons === 'owner' && list.userId !== interaction.user.id) {
    await replyPrivately(interaction, followUpTextFor(interaction).ownerOnly(list.userId));
    return;
  }
  if (action.kind === 'describe-again') {
    await runPromptTool(interaction, context, 'describe', list.source);
    return;
  }
  const prompt = list.prompts[action.index - 1];
  if (prompt === undefined) {
    await replyPrivately(interaction, toolsTextFor(interaction).expired);
    return;
  }
  await imagineText(interaction, context, prompt);
}
