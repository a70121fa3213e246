import { z } from 'zod';
import { followUpSchema, type FollowUp, type FollowUpAction, type FollowUpOf } from '../jobs/follow-up.js';
import { jobIdSchema } from '../jobs/job.js';
import { REGION_PRESETS, type RegionPreset } from '../jobs/region.js';

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

/** The /describe and /shorten buttons: imagine prompt N of a stored list, or 🔄 describe again. */
export const PROMPT_LIST_KINDS = ['describe', 'describe-again', 'shorten'] as const;
export type PromptListKind = (typeof PROMPT_LIST_KINDS)[number];
/** Codes: `d` and `s` carry the prompt's number (1–5), `dr` none. */
const PROMPT_LIST_CODES: Record<PromptListKind, string> = { describe: 'd', 'describe-again': 'dr', shorten: 's' };
const PROMPT_LIST_BY_CODE = new Map(
  Object.entries(PROMPT_LIST_CODES).map(([kind, code]) => [code, kind as PromptListKind]),
);

/**
 * Follow-ups a custom ID carries whole. Vary (Region) carries a drawn area, so its steps have
 * codes of their own, and a region follow-up's custom ID is that of its button (`g`).
 */
type ButtonFollowUpAction = Exclude<FollowUpAction, 'region'>;
type ButtonFollowUp = Exclude<FollowUp, { action: 'region' }>;

/**
 * A component's meaning: a follow-up on a job, a moderator's decision on it, its owner's ❌ Cancel,
 * the Remix modal of a follow-up, a /describe or /shorten button (`listId` names the stored list;
 * the prompt's text is never in the ID), Custom Zoom's button (which opens the modal) and modal
 * (whose field carries the factor) on one image, or a step towards Vary (Region) on one of a job's
 * images: the button (`region`), the preset menu it opens without an editor (`region-preset`, whose
 * chosen value is the preset), and the prompt modal that follows (`region-prompt`, carrying the preset).
 */
export type ComponentAction =
  | { kind: 'follow-up'; jobId: string; followUp: FollowUp }
  | { kind: 'mod'; jobId: string; operation: ModOperation }
  | { kind: 'cancel'; jobId: string }
  /** The Remix modal of a follow-up: its ID carries the follow-up; the edited prompt is in its field. */
  | { kind: 'remix'; jobId: string; followUp: FollowUp }
  | { kind: 'describe'; listId: string; index: number }
  | { kind: 'shorten'; listId: string; index: number }
  | { kind: 'describe-again'; listId: string }
  | { kind: 'region'; jobId: string; index: number }
  | { kind: 'region-preset'; jobId: string; index: number }
  | { kind: 'region-prompt'; jobId: string; index: number; preset: RegionPreset }
  | { kind: 'custom-zoom'; jobId: string; index: number }
  | { kind: 'custom-zoom-modal'; jobId: string; index: number };

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
  animate: { code: 'a', fields: ['index', 'motion'] },
  extend: { code: 'e', fields: ['index'] },
  square: { code: 'sq', fields: ['index'] },
} as const satisfies {
  [Action in ButtonFollowUpAction]: { code: string; fields: readonly Exclude<keyof FollowUpOf<Action>, 'action'>[] };
};
const MOD_CODE = 'm';
const CANCEL_CODE = 'x';
/** `mj1:rm:<jobId>:<follow-up code>[:<field>…]`: any follow-up, in its own row's spelling. */
const REMIX_CODE = 'rm';
const REGION_CODES = { region: 'g', 'region-preset': 'gs', 'region-prompt': 'gm' } as const;
const REGION_KIND_BY_CODE = new Map(
  Object.entries(REGION_CODES).map(([kind, code]) => [code as string, kind as keyof typeof REGION_CODES]),
);
/** Custom Zoom's button and modal: `mj1:zc:<jobId>:<index>`, `mj1:cz:<jobId>:<index>`. */
const IMAGE_CODES = { 'custom-zoom': 'zc', 'custom-zoom-modal': 'cz' } as const;
const IMAGE_KIND_BY_CODE = new Map(
  Object.entries(IMAGE_CODES).map(([kind, code]) => [code as string, kind as keyof typeof IMAGE_CODES]),
);

const ACTION_BY_CODE = new Map(
  Object.entries(FOLLOW_UP_FIELDS).map(([action, row]) => [row.code as string, action as ButtonFollowUpAction]),
);

/** A field as text becomes a number when it is one as `buildCustomId` writes it ("2", "1.5"); the schema then decides. */
function decodeField(raw: string): string | number {
  const number = Number(raw);
  return /^\d+(\.\d+)?$/.test(raw) && String(number) === raw ? number : raw;
}

/** A /describe or /shorten button. */
export type PromptListAction = Extract<ComponentAction, { kind: PromptListKind }>;

/** Builds the custom ID for an action. */
export function buildCustomId(action: ComponentAction): string {
  if (action.kind === 'describe' || action.kind === 'shorten')
    return [CUSTOM_ID_VERSION, PROMPT_LIST_CODES[action.kind], action.listId, String(action.index)].join(':');
  if (action.kind === 'describe-again')
    return [CUSTOM_ID_VERSION, PROMPT_LIST_CODES[action.kind], action.listId].join(':');
  if (action.kind === 'mod') return [CUSTOM_ID_VERSION, MOD_CODE, action.jobId, action.operation].join(':');
  if (action.kind === 'cancel') return [CUSTOM_ID_VERSION, CANCEL_CODE, action.jobId].join(':');
  if (action.kind === 'region' || action.kind === 'region-preset' || action.kind === 'region-prompt') {
    const fields = [String(action.index), ...(action.kind === 'region-prompt' ? [action.preset] : [])];
    return [CUSTOM_ID_VERSION, REGION_CODES[action.kind], action.jobId, ...fields].join(':');
  }
  if (action.kind === 'custom-zoom' || action.kind === 'custom-zoom-modal')
    return [CUSTOM_ID_VERSION, IMAGE_CODES[action.kind], action.jobId, String(action.index)].join(':');
  const { followUp } = action;
  if (followUp.action === 'region')
    return buildCustomId({ kind: 'region', jobId: action.jobId, index: followUp.index });
  const row = FOLLOW_UP_FIELDS[followUp.action];
  const values = row.fields.map((field) => String((followUp as Record<string, unknown>)[field]));
  if (action.kind === 'remix') return [CUSTOM_ID_VERSION, REMIX_CODE, action.jobId, row.code, ...values].join(':');
  return [CUSTOM_ID_VERSION, row.code, action.jobId, ...values].join(':');
}

const modSchema = z.object({ kind: z.literal('mod'), jobId: jobIdSchema, operation: z.enum(MOD_OPERATIONS) });
const cancelSchema = z.object({ kind: z.literal('cancel'), jobId: jobIdSchema });
const promptListIdSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('describe'), listId: jobIdSchema, index: z.number().int().min(1).max(5) }),
  z.object({ kind: z.literal('shorten'), listId: jobIdSchema, index: z.number().int().min(1).max(5) }),
  z.object({ kind: z.literal('describe-again'), listId: jobIdSchema }),
]);
const followUpIdSchema = z.object({
  kind: z.enum(['follow-up', 'remix']),
  jobId: jobIdSchema,
  followUp: followUpSchema.refine((followUp): followUp is ButtonFollowUp => followUp.action !== 'region'),
});
const regionIndex = z.coerce.number<string>().int().min(1).max(4);
const regionIdSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('region'), jobId: jobIdSchema, index: regionIndex }),
  z.object({ kind: z.literal('region-preset'), jobId: jobIdSchema, index: regionIndex }),
  z.object({
    kind: z.literal('region-prompt'),
    jobId: jobIdSchema,
    index: regionIndex,
    preset: z.enum(REGION_PRESETS),
  }),
]);
const imageIdSchema = z.object({
  kind: z.enum(['custom-zoom', 'custom-zoom-modal']),
  jobId: jobIdSchema,
  index: z.number().int().min(1).max(4),
});

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
  const listKind = PROMPT_LIST_BY_CODE.get(code);
  if (listKind) {
    const withIndex = listKind !== 'describe-again';
    if (rest.length !== (withIndex ? 1 : 0)) return null;
    const parsed = promptListIdSchema.safeParse({
      kind: listKind,
      listId: jobId,
      ...(withIndex ? { index: decodeField(rest[0] ?? '') } : {}),
    });
    return parsed.success ? parsed.data : null;
  }
  const regionKind = REGION_KIND_BY_CODE.get(code);
  if (regionKind) {
    if (rest.length !== (regionKind === 'region-prompt' ? 2 : 1) || !/^\d$/.test(rest[0] ?? '')) return null;
    const parsed = regionIdSchema.safeParse({ kind: regionKind, jobId, index: rest[0], preset: rest[1] });
    return parsed.success ? parsed.data : null;
  }
  const imageKind = IMAGE_KIND_BY_CODE.get(code);
  if (imageKind) {
    if (rest.length !== 1) return null;
    const parsed = imageIdSchema.safeParse({ kind: imageKind, jobId, index: decodeField(rest[0] ?? '') });
    return parsed.success ? parsed.data : null;
  }
  const remix = code === REMIX_CODE;
  const followUpCode = remix ? rest.shift() : code;
  const action = followUpCode === undefined ? undefined : ACTION_BY_CODE.get(followUpCode);
  if (!action) return null;
  const { fields } = FOLLOW_UP_FIELDS[action];
  if (rest.length !== fields.length) return null;
  const followUp: Record<string, string | number> = { action };
  fields.forEach((field: string, position) => (followUp[field] = decodeField(rest[position] ?? '')));
  const parsed = followUpIdSchema.safeParse({ kind: remix ? 'remix' : 'follow-up', jobId, followUp });
  return parsed.success ? parsed.data : null;
}
