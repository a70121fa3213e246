import { ComponentType } from './constants.js';
import { walkComponents } from './validate/components.js';

/**
 * What Discord fills in on a message's parts when it stores them, so that a message reads back
 * the way Discord returns it.
 */

const SELECT_TYPES: ReadonlySet<number> = new Set([
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
]);

/**
 * Components as Discord stores them; the sender's objects are not changed. Every component gets a
 * numeric `id`: "generated sequentially if left empty", from 1 in tree order, never reusing an id
 * the sender set on another component of the message (components/reference.mdx, Anatomy of a
 * Component). A select gets its `min_values` and `max_values`, which default to 1 (same page,
 * String Select and the other selects).
 */
export function storedComponents(components: readonly unknown[]): unknown[] {
  const numbered = structuredClone(components) as unknown[];
  walkComponents(numbered, (component) => {
    if (!SELECT_TYPES.has(component.type)) return;
    component.min_values ??= 1;
    component.max_values ??= 1;
  });
  const taken = new Set<number>();
  const given = (id: unknown): id is number => typeof id === 'number' && Number.isInteger(id) && id > 0;
  walkComponents(numbered, (component) => {
    if (given(component.id)) taken.add(component.id);
  });
  let next = 1;
  walkComponents(numbered, (component) => {
    if (given(component.id)) return;
    while (taken.has(next)) next += 1;
    component.id = next;
    taken.add(next);
  });
  return numbered;
}

/** Embeds a bot or webhook sends are "always rich" (resources/message.mdx, Embed Object). */
export function richEmbeds(embeds: readonly unknown[]): unknown[] {
  return embeds.map((embed) => (typeof embed === 'object' && embed !== null ? { ...embed, type: 'rich' } : embed));
}
