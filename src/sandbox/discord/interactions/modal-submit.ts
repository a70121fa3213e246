import { ComponentType } from '../constants.js';
import { EmulatorUsageError } from '../errors.js';
import type { ModalData } from '../validate/callback.js';

type Values = Record<string, string | string[]>;

const refuse = (message: string) => new EmulatorUsageError(400, 'invalid_modal_values', message);

/**
 * The `components` of a MODAL_SUBMIT, mirroring the modal's layout (action rows or labels), with the
 * checks the Discord client makes before it lets a user submit: required fields and lengths.
 */
export function modalSubmitComponents(modal: ModalData, values: Values): unknown[] {
  const known = new Set<string>();
  const components = modal.components.flatMap((component): unknown[] => {
    if (component.type === ComponentType.ActionRow) {
      const input = component.components[0];
      known.add(input.custom_id);
      return [{ type: ComponentType.ActionRow, components: [textInputValue(input, values)] }];
    }
    if (component.type === ComponentType.Label) {
      const inner = component.component;
      known.add(inner.custom_id);
      const submitted =
        inner.type === ComponentType.TextInput ? textInputValue(inner, values) : selectValue(inner, values);
      return [{ type: ComponentType.Label, component: submitted }];
    }
    return [];
  });
  const unknown = Object.keys(values).find((key) => !known.has(key));
  if (unknown !== undefined) throw refuse(`Modal "${modal.custom_id}" has no field "${unknown}"`);
  return components;
}

interface TextInput {
  custom_id: string;
  required?: boolean | null;
  min_length?: number | null;
  max_length?: number | null;
}

function textInputValue(input: TextInput, values: Values): Record<string, unknown> {
  const raw = values[input.custom_id] ?? '';
  if (typeof raw !== 'string') throw refuse(`Field "${input.custom_id}" takes text`);
  const required = input.required ?? true;
  if (required && raw === '') throw refuse(`Field "${input.custom_id}" is required`);
  const { min_length: min, max_length: max } = input;
  if (raw !== '' && min != null && raw.length < min)
    throw refuse(`Field "${input.custom_id}" needs at least ${min} characters`);
  if (max != null && raw.length > max) throw refuse(`Field "${input.custom_id}" takes at most ${max} characters`);
  return { type: ComponentType.TextInput, custom_id: input.custom_id, value: raw };
}

interface Select {
  custom_id: string;
  options: { value: string }[];
  min_values?: number | null;
  max_values?: number | null;
  required?: boolean | null;
}

function selectValue(select: Select, values: Values): Record<string, unknown> {
  const raw = values[select.custom_id] ?? [];
  const chosen = typeof raw === 'string' ? [raw] : raw;
  const allowed = new Set(select.options.map((option) => option.value));
  const unknown = chosen.find((value) => !allowed.has(value));
  if (unknown !== undefined) throw refuse(`Select "${select.custom_id}" has no option "${unknown}"`);
  const min = select.required === false ? 0 : (select.min_values ?? 1);
  if (chosen.length < min || chosen.length > (select.max_values ?? 1))
    throw refuse(`Select "${select.custom_id}" takes ${min} to ${select.max_values ?? 1} values`);
  return { type: ComponentType.StringSelect, custom_id: select.custom_id, values: chosen };
}
