import { z } from 'zod';
import { localeSchema } from '../locales.js';
import { PERMISSION_NAMES } from '../permissions.js';

/** Request bodies of the control API; every one is an outside input and parsed here. */
const id = z.string().regex(/^\d{1,20}$/, 'expects a snowflake id');
const permissionName = z.enum(PERMISSION_NAMES);

export const createUserBody = z.object({
  username: z.string().min(1).max(32),
  globalName: z.string().max(32).nullish(),
  locale: localeSchema.optional(),
  guildId: id.nullish(),
  roleIds: z.array(id).optional(),
  manageGuild: z.boolean().optional(),
  manageMessages: z.boolean().optional(),
});

export const userLocaleBody = z.object({ locale: localeSchema });

export const createRoleBody = z.object({
  name: z.string().min(1).max(100),
  permissions: z.union([z.array(permissionName), z.string().regex(/^\d+$/)]).optional(),
  color: z.int().min(0).max(0xffffff).optional(),
  hoist: z.boolean().optional(),
  mentionable: z.boolean().optional(),
});

export const createChannelBody = z.object({
  name: z.string().min(1).max(100),
  topic: z.string().max(1024).nullish(),
  overwrites: z
    .array(
      z.object({
        id,
        type: z.enum(['role', 'member']),
        allow: z.array(permissionName).optional(),
        deny: z.array(permissionName).optional(),
      }),
    )
    .optional(),
});

export const createGuildBody = z.object({
  name: z.string().min(2).max(100),
  ownerId: id.optional(),
  shard: z.tuple([z.int().min(0), z.int().min(1)]).optional(),
});

const attachment = z.object({
  filename: z.string().min(1),
  contentType: z.string().optional(),
  base64: z.string(),
  option: z.string().optional(),
});

export const slashCommandBody = z.object({
  userId: id,
  channelId: id,
  name: z.string().min(1),
  options: z.record(z.string(), z.unknown()).optional(),
  attachment: attachment.optional(),
});

export const autocompleteBody = slashCommandBody.extend({ focused: z.string().min(1) });

export const directMessagesBody = z.object({ open: z.boolean() });
export const messageCommandBody = z.object({ userId: id, messageId: id, name: z.string().min(1).max(32) });

export const buttonBody = z.object({ userId: id, messageId: id, customId: z.string().min(1) });
export const selectBody = buttonBody.extend({ values: z.array(z.string()) });

export const modalBody = z
  .object({
    userId: id,
    interactionId: id.optional(),
    customId: z.string().optional(),
    values: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  })
  .refine((body) => body.interactionId !== undefined || body.customId !== undefined, 'needs interactionId or customId');

export const userMessageBody = z.object({ userId: id, channelId: id, content: z.string(), replyTo: id.optional() });

export const advanceClockBody = z.object({ ms: z.number().min(0) });

export const waitQuery = z.object({
  wait: z.enum(['ack', 'none']).optional(),
  timeout_ms: z.coerce.number().int().min(1).max(120_000).optional(),
});

export const interactionsQuery = z.object({ state: z.enum(['pending', 'acknowledged', 'failed']).optional() });
