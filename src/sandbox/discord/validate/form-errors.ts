import type { z } from 'zod';
import { discordErrors } from '../errors.js';

/** One problem with one field, before it is nested into Discord's `errors` tree. */
export interface FieldError {
  path: readonly PropertyKey[];
  code: string;
  message: string;
}

/**
 * Nests field errors the way Discord does: by JSON path, array indices as string keys,
 * and the problems of a field under `_errors` (developers/reference.mdx, "Error Messages").
 */
export function toFormErrors(fieldErrors: readonly FieldError[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const fieldError of fieldErrors) {
    let node = root;
    for (const key of fieldError.path) {
      const name = String(key);
      const child = (node[name] ??= {}) as Record<string, unknown>;
      node = child;
    }
    const list = (node._errors ??= []) as { code: string; message: string }[];
    list.push({ code: fieldError.code, message: fieldError.message });
  }
  return root;
}

/** Custom zod issues name their Discord code through `params.code`. */
export function discordIssue(code: string, message: string, path: PropertyKey[] = []): z.core.$ZodRawIssue {
  return { code: 'custom', message, path, params: { code }, input: undefined };
}

/** Maps zod's issues to Discord's `_errors` codes and wording. */
export function fieldErrorsFromZod(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): FieldError[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    return [{ path, ...describe(issue) }];
  });
}

function describe(issue: z.core.$ZodIssue): { code: string; message: string } {
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return {
          code: 'NUMBER_TYPE_MAX',
          message: `int value should be less than or equal to ${String(issue.maximum)}.`,
        };
      }
      return { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(issue.maximum)} or fewer in length.` };
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return {
          code: 'NUMBER_TYPE_MIN',
          message: `int value should be greater than or equal to ${String(issue.minimum)}.`,
        };
      }
      return { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(issue.minimum)} or more in length.` };
    case 'invalid_type':
      if (issue.input === undefined) return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
      return invalidType(issue.expected, issue.input);
    case 'invalid_value':
      // A missing enum field is "required" to Discord, not a wrong choice.
      if (issue.input === undefined) return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
      return { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${issue.values.map(String).join(', ')}}.` };
    case 'invalid_union':
      return { code: 'UNION_TYPE_CHOICES', message: 'Value did not match any of the allowed types.' };
    case 'invalid_format':
      return { code: 'STRING_TYPE_REGEX', message: 'String value did not match validation regex.' };
    case 'custom': {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return { code: typeof code === 'string' ? code : 'BASE_TYPE_INVALID', message: issue.message };
    }
    default:
      return { code: 'BASE_TYPE_INVALID', message: issue.message };
  }
}

function invalidType(expected: string, input: unknown): { code: string; message: string } {
  const shown = typeof input === 'string' ? input : JSON.stringify(input);
  switch (expected) {
    case 'string':
      return { code: 'BASE_TYPE_STRING', message: `Could not interpret "${shown}" as string.` };
    case 'boolean':
      return { code: 'BASE_TYPE_BOOLEAN', message: 'Must be either true or false.' };
    case 'number':
    case 'int':
      return { code: 'NUMBER_TYPE_COERCE', message: `Value "${shown}" is not int.` };
    case 'array':
      return { code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' };
    case 'object':
      return { code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' };
    default:
      return { code: 'BASE_TYPE_INVALID', message: `Expected ${expected}.` };
  }
}

/**
 * Parses an outside input or throws Discord's 50035 "Invalid Form Body". `root` is where the input
 * sits in Discord's error tree: `['data']` for interaction callbacks, `[]` for a message body.
 */
export function parseForm<T>(schema: z.ZodType<T>, input: unknown, root: readonly PropertyKey[] = []): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw discordErrors.invalidFormBody(toFormErrors(fieldErrorsFromZod(result.error.issues, root)));
  return result.data;
}
