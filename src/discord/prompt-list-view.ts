import { ButtonStyle, ComponentType, type APIButtonComponentWithCustomId } from 'discord.js';
import { PROVIDER_NAMES } from '../providers/index.js';
import type { PromptList } from '../store/stores.js';
import { buildCustomId } from './custom-id.js';
import type { ButtonRow } from './views.js';

const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'];
/** Room for the headline and footer in Discord's 2000 characters. */
const PROMPT_ROOM = 1700;

export interface PromptListView {
  content: string;
  components: ButtonRow[];
}

function button(customId: string, label: string, emoji?: string): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: customId,
    ...(label ? { label } : {}),
    ...(emoji ? { emoji: { name: emoji } } : {}),
  };
}

/**
 * The public answer to /describe or /shorten, as Midjourney lays it out: the numbered prompts,
 * a button per prompt that imagines it (and 🔄 to describe again), and who did the work.
 */
export function promptListView(listId: string, list: PromptList, notices: readonly string[] = []): PromptListView {
  const prompts = list.prompts.slice(0, KEYCAPS.length);
  const each = Math.floor(PROMPT_ROOM / prompts.length) - 4;
  const lines = [
    list.kind === 'describe' ? `**Describe** - <@${list.userId}>` : `**Shortened prompts** - <@${list.userId}>`,
    ...prompts.map(
      (prompt, index) => `${KEYCAPS[index]} ${prompt.length > each ? `${prompt.slice(0, each - 1)}…` : prompt}`,
    ),
    `-# ${list.kind === 'describe' ? 'Described' : 'Shortened'} by ${PROVIDER_NAMES[list.provider]} · \`${listId}\``,
    ...notices.map((notice) => `-# ${notice}`),
  ];
  const kind = list.kind === 'describe' ? 'describe' : 'shorten';
  const numbered = prompts.map((_, index) =>
    button(buildCustomId({ kind, listId, index: index + 1 }), String(index + 1)),
  );
  const again = list.kind === 'describe' ? [button(buildCustomId({ kind: 'describe-again', listId }), '', '🔄')] : [];
  return {
    content: lines.join('\n').slice(0, 2000),
    components: [{ type: ComponentType.ActionRow, components: [...numbered, ...again] }],
  };
}
