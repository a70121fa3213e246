import { z } from 'zod';
import { ComponentType } from '../constants.js';
import { checkUniqueCustomIds, stringSelectSchema, textInputSchema } from './components.js';
import { parseForm } from './form-errors.js';

/** `POST /interactions/{id}/{token}/callback`: the envelope; `data` is checked per callback type. */
export const callbackEnvelopeSchema = z.looseObject({ type: z.int(), data: z.unknown().optional() });

export const deferredDataSchema = z.looseObject({ flags: z.int().min(0).nullish() }).nullish();

/** Autocomplete results (receiving-and-responding.mdx:313): at most 25 choices. */
export const autocompleteDataSchema = z.looseObject({
  choices: z
    .array(z.looseObject({ name: z.string().min(1).max(100), value: z.union([z.string().max(100), z.number()]) }))
    .max(25),
});

export type AutocompleteData = z.infer<typeof autocompleteDataSchema>;

/** A legacy modal row holds exactly one text input, and that input carries its own label. */
const modalRow = z.looseObject({
  type: z.literal(ComponentType.ActionRow),
  components: z.tuple([textInputSchema.extend({ label: z.string().min(1).max(45) })]),
});

/** The label layout (type 18) wraps one interactive component; the label is on the wrapper. */
const modalLabel = z.looseObject({
  type: z.literal(ComponentType.Label),
  label: z.string().min(1).max(45),
  description: z.string().max(100).nullish(),
  component: z.discriminatedUnion('type', [textInputSchema, stringSelectSchema]),
});

const modalTextDisplay = z.looseObject({
  type: z.literal(ComponentType.TextDisplay),
  content: z.string().min(1).max(4000),
});

export const modalDataSchema = z
  .looseObject({
    custom_id: z.string().min(1).max(100),
    title: z.string().min(1).max(45),
    components: z
      .array(z.union([modalRow, modalLabel, modalTextDisplay]))
      .min(1)
      .max(5),
  })
  .superRefine((modal, context) => checkUniqueCustomIds(modal.components, context, ['components']));

export type ModalData = z.infer<typeof modalDataSchema>;

export function parseCallbackData<T>(schema: z.ZodType<T>, data: unknown): T {
  return parseForm(schema, data, ['data']);
}
