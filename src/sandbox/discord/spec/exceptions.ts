import type { z } from 'zod';

/**
 * Where Discord's OpenAPI spec and its prose documentation disagree, the emulator follows the
 * prose (discord/discord-api-docs), which is also what discord.js and real bots rely on. Each
 * exception allows one precise deviation from the spec and nothing near it; docs/emulator.md
 * lists the same cases with their sources.
 */
export interface SpecExceptionContext {
  direction: 'request' | 'response';
  operationId: string;
  /** The response's HTTP status; null for requests. */
  status: number | null;
  /** The value at the issue's path in the body. */
  value: unknown;
}

export interface SpecException {
  id: string;
  /** What the spec says, and what the prose says instead (with its source). */
  spec: string;
  prose: string;
  accepts(issue: z.core.$ZodIssue, context: SpecExceptionContext): boolean;
}

const last = (issue: z.core.$ZodIssue) => issue.path[issue.path.length - 1];

export const SPEC_EXCEPTIONS: readonly SpecException[] = [
  {
    id: 'default-member-permissions-string',
    spec: 'command requests type `default_member_permissions` as a number',
    prose:
      'it is a "?string" bit set (interactions/application-commands.mdx, Application Command Structure); discord.js sends a string, and the spec itself answers with a string',
    accepts: (issue, { direction, value }) =>
      direction === 'request' &&
      issue.code === 'invalid_type' &&
      last(issue) === 'default_member_permissions' &&
      typeof value === 'string' &&
      /^\d+$/.test(value),
  },
  {
    id: 'field-error-codes-strings',
    spec: 'ErrorResponse types each `errors…._errors[].code` as a number',
    prose:
      'the error codes inside `_errors` are strings such as "BASE_TYPE_REQUIRED" (reference.mdx, Error Messages, every example)',
    accepts: (issue, { direction, status, value }) =>
      direction === 'response' &&
      status !== null &&
      status >= 400 &&
      issue.path[0] === 'errors' &&
      last(issue) === 'code' &&
      issue.path[issue.path.length - 3] === '_errors' &&
      typeof value === 'string',
  },
  {
    id: 'rate-limit-body-without-code',
    spec: 'RatelimitedResponse requires `code`',
    prose:
      'a 429 body is {message, retry_after, global} with `code` only "for some limits" (topics/rate-limits.mdx, Rate Limit Response Structure and its examples)',
    accepts: (issue, { direction, status, value }) =>
      direction === 'response' &&
      status === 429 &&
      issue.path.length === 1 &&
      issue.path[0] === 'code' &&
      value === undefined,
  },
  {
    id: 'deferred-callback-resource',
    spec: 'a callback response resource has `type` 4 (or 7, or an activity)',
    prose:
      'resource.type is the interaction callback type (interactions/receiving-and-responding.mdx, Interaction Callback Resource Object); for a deferred reply (5) it carries the "thinking" message, which discord.js reads',
    accepts: (issue, { direction, operationId, value }) =>
      direction === 'response' &&
      operationId === 'create_interaction_response' &&
      issue.path.join('.') === 'resource.type' &&
      value === 5,
  },
];
