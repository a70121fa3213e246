import { z } from 'zod';
import { ButtonStyle, ComponentType } from '../constants.js';
import { discordIssue } from './form-errors.js';

/**
 * Message and modal components with Discord's limits (developers/components/reference.mdx).
 * Objects are loose so fields the emulator does not model survive into the stored message.
 */
const customId = z.string().min(1).max(100);
const emoji = z.looseObject({ id: z.string().nullish(), name: z.string().nullish(), animated: z.boolean().nullish() });

export const buttonSchema = z
  .looseObject({
    type: z.literal(ComponentType.Button),
    style: z.int().min(1).max(6),
    label: z.string().max(80).nullish(),
    emoji: emoji.nullish(),
    custom_id: customId.nullish(),
    url: z.string().max(512).nullish(),
    sku_id: z.string().nullish(),
    disabled: z.boolean().nullish(),
    id: z.int().nullish(),
  })
  .superRefine((button, context) => {
    if (button.style === ButtonStyle.Link) {
      if (!button.url) context.addIssue(discordIssue('BASE_TYPE_REQUIRED', 'This field is required', ['url']));
      if (button.custom_id != null) {
        context.addIssue(
          discordIssue('BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', 'Link buttons cannot have a custom_id', ['custom_id']),
        );
      }
    } else if (button.style === ButtonStyle.Premium) {
      if (!button.sku_id) context.addIssue(discordIssue('BASE_TYPE_REQUIRED', 'This field is required', ['sku_id']));
    } else {
      if (button.custom_id == null)
        context.addIssue(discordIssue('BASE_TYPE_REQUIRED', 'This field is required', ['custom_id']));
      if (button.url != null)
        context.addIssue(discordIssue('BUTTON_COMPONENT_URL_NOT_ALLOWED', 'Only link buttons can have a url', ['url']));
    }
  });

const selectBase = {
  custom_id: customId,
  placeholder: z.string().max(150).nullish(),
  min_values: z.int().min(0).max(25).nullish(),
  max_values: z.int().min(1).max(25).nullish(),
  disabled: z.boolean().nullish(),
  required: z.boolean().nullish(),
  id: z.int().nullish(),
};

const selectOption = z.looseObject({
  label: z.string().min(1).max(100),
  value: z.string().min(1).max(100),
  description: z.string().max(100).nullish(),
  emoji: emoji.nullish(),
  default: z.boolean().nullish(),
});

export const stringSelectSchema = z.looseObject({
  type: z.literal(ComponentType.StringSelect),
  ...selectBase,
  options: z.array(selectOption).min(1).max(25),
});

const entitySelectSchema = z.looseObject({
  type: z.union([
    z.literal(ComponentType.UserSelect),
    z.literal(ComponentType.RoleSelect),
    z.literal(ComponentType.MentionableSelect),
    z.literal(ComponentType.ChannelSelect),
  ]),
  ...selectBase,
  default_values: z
    .array(z.looseObject({ id: z.string(), type: z.string() }))
    .max(25)
    .nullish(),
});

export const textInputSchema = z.looseObject({
  type: z.literal(ComponentType.TextInput),
  custom_id: customId,
  style: z.int().min(1).max(2),
  label: z.string().min(1).max(45).nullish(),
  min_length: z.int().min(0).max(4000).nullish(),
  max_length: z.int().min(1).max(4000).nullish(),
  required: z.boolean().nullish(),
  value: z.string().max(4000).nullish(),
  placeholder: z.string().max(100).nullish(),
  id: z.int().nullish(),
});

const rowChild = z.discriminatedUnion('type', [buttonSchema, stringSelectSchema, entitySelectSchema]);

/** A legacy action row: up to 5 buttons, or exactly one select menu. */
export const actionRowSchema = z
  .looseObject({
    type: z.literal(ComponentType.ActionRow),
    components: z.array(rowChild).min(1).max(5),
    id: z.int().nullish(),
  })
  .superRefine((row, context) => {
    const hasSelect = row.components.some((child) => child.type !== ComponentType.Button);
    if (hasSelect && row.components.length > 1) {
      context.addIssue(
        discordIssue('COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width', [
          'components',
        ]),
      );
    }
  });

/** Components v2 (flag IS_COMPONENTS_V2): layout types; nested buttons and rows keep their own rules. */
const textDisplay = z.looseObject({ type: z.literal(ComponentType.TextDisplay), content: z.string().min(1).max(4000) });
const thumbnail = z.looseObject({
  type: z.literal(ComponentType.Thumbnail),
  media: z.looseObject({ url: z.string() }),
});
const section = z.looseObject({
  type: z.literal(ComponentType.Section),
  components: z.array(textDisplay).min(1).max(3),
  accessory: z.discriminatedUnion('type', [buttonSchema, thumbnail]),
});
const mediaGallery = z.looseObject({
  type: z.literal(ComponentType.MediaGallery),
  items: z
    .array(z.looseObject({ media: z.looseObject({ url: z.string() }) }))
    .min(1)
    .max(10),
});
const file = z.looseObject({ type: z.literal(ComponentType.File), file: z.looseObject({ url: z.string() }) });
const separator = z.looseObject({ type: z.literal(ComponentType.Separator) });
const container = z.looseObject({
  type: z.literal(ComponentType.Container),
  components: z
    .array(z.discriminatedUnion('type', [actionRowSchema, textDisplay, section, mediaGallery, file, separator]))
    .min(1),
});
export const v2ComponentSchema = z.discriminatedUnion('type', [
  actionRowSchema,
  textDisplay,
  section,
  mediaGallery,
  file,
  separator,
  container,
]);

export type Component = Record<string, unknown> & { type: number };

/** Visits every component, nested ones included, with its JSON path relative to `components`. */
export function walkComponents(
  components: readonly unknown[],
  visit: (component: Component, path: PropertyKey[]) => void,
  prefix: PropertyKey[] = [],
): void {
  components.forEach((value, index) => {
    if (typeof value !== 'object' || value === null) return;
    const component = value as Component;
    const path = [...prefix, index];
    visit(component, path);
    if (Array.isArray(component.components)) walkComponents(component.components, visit, [...path, 'components']);
    if (typeof component.accessory === 'object' && component.accessory !== null) {
      visit(component.accessory as Component, [...path, 'accessory']);
    }
    if (typeof component.component === 'object' && component.component !== null) {
      visit(component.component as Component, [...path, 'component']);
    }
  });
}

/** Adds an issue for every custom_id already used earlier in the same message or modal. */
export function checkUniqueCustomIds(
  components: readonly unknown[],
  context: z.RefinementCtx,
  prefix: PropertyKey[],
): void {
  const seen = new Set<string>();
  walkComponents(components, (component, path) => {
    const id = component.custom_id;
    if (typeof id !== 'string') return;
    if (seen.has(id)) {
      context.addIssue(
        discordIssue('COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated', [
          ...prefix,
          ...path,
          'custom_id',
        ]),
      );
    }
    seen.add(id);
  });
}

export function countComponents(components: readonly unknown[]): number {
  let count = 0;
  walkComponents(components, () => (count += 1));
  return count;
}
