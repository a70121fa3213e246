import { z } from 'zod';
import { MessageFlag } from '../constants.js';
import { discordErrors } from '../errors.js';
import { actionRowSchema, checkUniqueCustomIds, countComponents, v2ComponentSchema } from './components.js';
import { embedsSchema } from './embeds.js';
import { type FieldError, fieldErrorsFromZod, toFormErrors } from './form-errors.js';

/** An entry of `attachments`: a new upload (`id` = the `n` of `files[n]`) or an attachment to keep. */
const attachmentReference = z.looseObject({
  id: z.union([z.string(), z.int()]),
  filename: z.string().max(1024).nullish(),
  description: z.string().max(1024).nullish(),
  title: z.string().nullish(),
});

const snowflake = z.string().regex(/^\d{1,20}$/);

/** Who a message may notify (message/reference.mdx "Allowed Mentions Object"). */
const allowedMentionsSchema = z
  .looseObject({
    parse: z.array(z.enum(['roles', 'users', 'everyone'])).nullish(),
    users: z.array(snowflake).max(100).nullish(),
    roles: z.array(snowflake).max(100).nullish(),
    replied_user: z.boolean().nullish(),
  })
  .superRefine((allowed, context) => {
    // "parse: ["users"] and users: [ids]" are mutually exclusive, as are the roles pair.
    for (const kind of ['users', 'roles'] as const) {
      if (allowed.parse?.includes(kind) && allowed[kind]) {
        context.addIssue({
          code: 'custom',
          path: ['parse'],
          message: `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
          params: { code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE' },
        });
      }
    }
  });

export type AllowedMentions = z.infer<typeof allowedMentionsSchema>;

/** A message body as channel messages, webhooks and interaction callbacks accept it. */
const messageBodySchema = z.looseObject({
  content: z.string().max(2000).nullish(),
  tts: z.boolean().nullish(),
  embeds: embedsSchema.nullish(),
  components: z.array(z.unknown()).nullish(),
  attachments: z.array(attachmentReference).max(10).nullish(),
  flags: z.int().min(0).nullish(),
  allowed_mentions: allowedMentionsSchema.nullish(),
  message_reference: z.looseObject({ message_id: z.string().nullish() }).nullish(),
  sticker_ids: z.array(z.string()).max(3).nullish(),
  poll: z.looseObject({}).nullish(),
  nonce: z.union([z.string().max(25), z.int()]).nullish(),
  enforce_nonce: z.boolean().nullish(),
});

export type MessageBody = z.infer<typeof messageBodySchema>;
export type AttachmentReference = z.infer<typeof attachmentReference>;

const legacyComponents = z.array(actionRowSchema).max(5);
const v2Components = z.array(v2ComponentSchema).superRefine((components, context) => {
  if (countComponents(components) > 40) {
    context.addIssue({
      code: 'custom',
      message: 'Must be 40 or fewer in length.',
      params: { code: 'BASE_TYPE_MAX_LENGTH' },
    });
  }
});

/**
 * Validates a message body and throws Discord's 50035 with every problem at its JSON path.
 * `root` is `['data']` for interaction callbacks and `[]` everywhere else. `currentFlags` are the
 * flags of the message being edited: once components v2, always components v2.
 */
export function parseMessageBody(input: unknown, root: readonly PropertyKey[] = [], currentFlags = 0): MessageBody {
  const result = messageBodySchema.safeParse(input, { reportInput: true });
  const problems: FieldError[] = result.success ? [] : fieldErrorsFromZod(result.error.issues, root);
  const body = result.success ? result.data : undefined;
  const flags = (body?.flags ?? 0) | (currentFlags & MessageFlag.IsComponentsV2);
  if (body?.components) problems.push(...componentProblems(body.components, flags, root));
  if (body && (flags & MessageFlag.IsComponentsV2) !== 0) {
    // Components v2 messages carry their text in components (components/reference.mdx:12-18).
    for (const field of ['content', 'embeds'] as const) {
      const value = body[field];
      if (value != null && value.length > 0) {
        problems.push({
          path: [...root, field],
          code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
          message: `The '${field}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2`,
        });
      }
    }
  }
  if (problems.length > 0 || !body) throw discordErrors.invalidFormBody(toFormErrors(problems));
  return body;
}

function componentProblems(components: readonly unknown[], flags: number, root: readonly PropertyKey[]): FieldError[] {
  const schema = (flags & MessageFlag.IsComponentsV2) !== 0 ? v2Components : legacyComponents;
  const prefix = [...root, 'components'];
  const withUniqueIds = schema.superRefine((valid, context) => checkUniqueCustomIds(valid, context, []));
  const result = withUniqueIds.safeParse(components, { reportInput: true });
  return result.success ? [] : fieldErrorsFromZod(result.error.issues, prefix);
}

/** Discord's 50006: a message needs content, an embed, a component, a file, a sticker or a poll. */
export function isEmptyMessage(message: {
  content?: string | null;
  embeds?: readonly unknown[] | null;
  components?: readonly unknown[] | null;
  attachmentCount: number;
  sticker_ids?: readonly unknown[] | null;
  poll?: unknown;
}): boolean {
  return (
    (message.content ?? '').trim() === '' &&
    (message.embeds ?? []).length === 0 &&
    (message.components ?? []).length === 0 &&
    message.attachmentCount === 0 &&
    (message.sticker_ids ?? []).length === 0 &&
    message.poll == null
  );
}
