import { z } from 'zod';
import { followUpSchema, type FollowUp, type FollowUpAction, type FollowUpOf } from '../jobs/follow-up.js';
import { jobIdSchema } from '../jobs/job.js';

/**
 * Every custom ID the bot puts on a component is built and parsed here, nowhere else.
 *
 * Format: `mj1:<code>:<jobId>[:<field>…]`, the fields in the order the table below gives for each
 * kind. The version prefix lets a later format coexist with buttons on old messages; job ids are
 * lowercase alphanumerics and fields come from closed lists, so ":" can never appear inside one.
 * No free text is ever carried.
 */
export const CUSTOM_ID_VERSION = 'mj1';
/** Discord's limit on a custom ID's length. */
export const CUSTOM_ID_MAX_LENGTH = 100;

export const MOD_OPERATIONS = ['delete', 'block', 'approve', 'reject'] as const;
export type ModOperation = (typeof MOD_OPERATIONS)[number];

/**
 * A component's meaning: a follow-up on a job, a moderator's decision on it, its owner's ❌ Cancel,
 * or Custom Zoom's button (which opens the modal) and modal (whose field carries the factor) on one image.
 */
export type ComponentAction =
  | { kind: 'follow-up'; jobId: string; followUp: FollowUp }
  | { kind: 'mod'; jobId: string; operation: ModOperation }
  | { kind: 'cancel'; jobId: string }
  | { kind: 'custom-zoom' | 'custom-zoom-modal'; jobId: string; index: number };

/**
 * One row per follow-up: its code and its fields in order. The codes and orders are part of the
 * versioned format (buttons on old messages carry them), so rows are only ever added.
 */
const FOLLOW_UP_FIELDS = {
  upscale: { code: 'u', fields: ['index', 'type'] },
  vary: { code: 'v', fields: ['index', 'strength'] },
  reroll: { code: 'r', fields: [] },
  zoom: { code: 'z', fields: ['index', 'factor'] },
  pan: { code: 'p', fields: ['index', 'direction'] },
  square: { code: 'sq', fields: ['index'] },
} as const satisfies {
  [Action in FollowUpAction]: { code: string; fields: readonly Exclude<keyof FollowUpOf<Action>, 'action'>[] };
};
const MOD_CODE = 'm';
const CANCEL_CODE = 'x';
/** Custom Zoom's button and modal: `mj1:zc:<jobId>:<index>`, `mj1:cz:<jobId>:<index>`. */
const IMAGE_CODES = { 'custom-zoom': 'zc', 'custom-zoom-modal': 'cz' } as const;
const IMAGE_KIND_BY_CODE = new Map(
  Object.entries(IMAGE_CODES).map(([kind, code]) => [code as string, kind as keyof typeof IMAGE_CODES]),
);

const ACTION_BY_CODE = new Map(
  Object.entries(FOLLOW_UP_FIELDS).map(([action, row]) => [row.code as string, action as FollowUpAction]),
);

/** A field as text becomes a number when it is one as `buildCustomId` writes it ("2", "1.5"); the schema then decides. */
function decodeField(raw: string): string | number {
  const number = Number(raw);
  return /^\d+(\.\d+)?$/.test(raw) && String(number) === raw ? number : raw;
}

/** Builds the custom ID for an action. */
export function buildCustomId(action: ComponentAction): string {
  if (action.kind === 'mod') return [CUSTOM_ID_VERSION, MOD_CODE, action.jobId, action.operation].join(':');
  if (action.kind === 'cancel') return [CUSTOM_ID_VERSION, CANCEL_CODE, action.jobId].join(':');
  if (action.kind !== 'follow-up')
    return [CUSTOM_ID_VERSION, IMAGE_CODES[action.kind], action.jobId, String(action.index)].join(':');
  const { followUp } = action;
  const row = FOLLOW_UP_FIELDS[followUp.action];
  const values = row.fields.map((field) => String((followUp as Record<string, unknown>)[field]));
  return [CUSTOM_ID_VERSION, row.code, action.jobId, ...values].join(':');
}

const modSchema = z.object({ kind: z.literal('mod'), jobId: jobIdSchema, operation: z.enum(MOD_OPERATIONS) });
const cancelSchema = z.object({ kind: z.literal('cancel'), jobId: jobIdSchema });
const imageIdSchema = z.object({
  kind: z.enum(['custom-zoom', 'custom-zoom-modal']),
  jobId: jobIdSchema,
  index: z.number().int().min(1).max(4),
});
const followUpIdSchema = z.object({ kind: z.literal('follow-up'), jobId: jobIdSchema, followUp: followUpSchema });

/** Parses a custom ID into a typed action, or null for anything that is not ours or is malformed. */
export function parseCustomId(customId: string): ComponentAction | null {
  if (customId.length > CUSTOM_ID_MAX_LENGTH) return null;
  const [version, code, jobId, ...rest] = customId.split(':');
  if (version !== CUSTOM_ID_VERSION || code === undefined) return null;
  if (code === MOD_CODE) {
    if (rest.length !== 1) return null;
    const parsed = modSchema.safeParse({ kind: 'mod', jobId, operation: rest[0] });
    return parsed.success ? parsed.data : null;
  }
  if (code === CANCEL_CODE) {
    if (rest.length !== 0) return null;
    const parsed = cancelSchema.safeParse({ kind: 'cancel', jobId });
    return parsed.success ? parsed.data : null;
  }
  const imageKind = IMAGE_KIND_BY_CODE.get(code);
  if (imageKind) {
    if (rest.length !== 1) return null;
    const parsed = imageIdSchema.safeParse({ kind: imageKind, jobId, index: decodeField(rest[0] ?? '') });
    return parsed.success ? parsed.data : null;
  }
  const action = ACTION_BY_CODE.get(code);
  if (!action) return null;
  const { fields } = FOLLOW_UP_FIELDS[action];
  if (rest.length !== fields.length) return null;
  const followUp: Record<string, string | number> = { action };
  fields.forEach((field: string, position) => (followUp[field] = decodeField(rest[position] ?? '')));
  const parsed = followUpIdSchema.safeParse({ kind: 'follow-up', jobId, followUp });
  return parsed.success ? parsed.data : null;
}
