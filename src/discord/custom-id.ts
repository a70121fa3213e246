import { z } from 'zod';
import { jobIdSchema } from '../jobs/job.js';

/**
 * Every custom ID the bot puts on a component is built and parsed here, nowhere else.
 *
 * Format: `mj1:<action>:<jobId>[:<index>[:<argument>]]`. The version prefix lets a later format
 * coexist with buttons on old messages; job ids are lowercase alphanumerics and arguments come
 * from closed lists, so ":" can never appear inside a field. No free text is ever carried.
 */
export const CUSTOM_ID_VERSION = 'mj1';
/** Discord's limit on a custom ID's length. */
export const CUSTOM_ID_MAX_LENGTH = 100;

const jobId = jobIdSchema;
const imageIndex = z.coerce.number().int().min(1).max(4);

export const componentActionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('upscale'),
    jobId,
    index: imageIndex,
    type: z.enum(['default', 'subtle', 'creative', '2x', '4x']),
  }),
  z.object({ kind: z.literal('vary'), jobId, index: imageIndex, strength: z.enum(['strong', 'subtle']) }),
  z.object({ kind: z.literal('reroll'), jobId }),
  z.object({
    kind: z.literal('zoom'),
    jobId,
    index: imageIndex,
    factor: z
      .enum(['1.5', '2'])
      .transform(Number)
      .pipe(z.union([z.literal(1.5), z.literal(2)])),
  }),
  z.object({ kind: z.literal('pan'), jobId, index: imageIndex, direction: z.enum(['left', 'right', 'up', 'down']) }),
  z.object({ kind: z.literal('mod'), jobId, operation: z.enum(['delete', 'block', 'approve', 'reject']) }),
]);
export type ComponentAction = z.output<typeof componentActionSchema>;

/** Short codes keep IDs compact; the mapping is part of the versioned format. */
const CODES = { upscale: 'u', vary: 'v', reroll: 'r', zoom: 'z', pan: 'p', mod: 'm' } as const;
const KINDS = Object.fromEntries(Object.entries(CODES).map(([kind, code]) => [code, kind])) as Record<
  string,
  ComponentAction['kind']
>;

/** Builds the custom ID for an action. */
export function buildCustomId(action: ComponentAction): string {
  const fields: (string | number)[] = [CUSTOM_ID_VERSION, CODES[action.kind], action.jobId];
  switch (action.kind) {
    case 'upscale':
      fields.push(action.index, action.type);
      break;
    case 'vary':
      fields.push(action.index, action.strength);
      break;
    case 'zoom':
      fields.push(action.index, String(action.factor));
      break;
    case 'pan':
      fields.push(action.index, action.direction);
      break;
    case 'mod':
      fields.push(action.operation);
      break;
    case 'reroll':
      break;
  }
  return fields.join(':');
}

/** Parses a custom ID into a typed action, or null for anything that is not ours or is malformed. */
export function parseCustomId(customId: string): ComponentAction | null {
  if (customId.length > CUSTOM_ID_MAX_LENGTH) return null;
  const [version, code, id, ...rest] = customId.split(':');
  if (version !== CUSTOM_ID_VERSION || code === undefined) return null;
  const kind = KINDS[code];
  if (!kind) return null;
  const candidate: Record<string, unknown> = { kind, jobId: id };
  switch (kind) {
    case 'upscale':
      Object.assign(candidate, { index: rest[0], type: rest[1] });
      break;
    case 'vary':
      Object.assign(candidate, { index: rest[0], strength: rest[1] });
      break;
    case 'zoom':
      Object.assign(candidate, { index: rest[0], factor: rest[1] });
      break;
    case 'pan':
      Object.assign(candidate, { index: rest[0], direction: rest[1] });
      break;
    case 'mod':
      Object.assign(candidate, { operation: rest[0] });
      break;
    case 'reroll':
      break;
  }
  const expectedFields = { upscale: 2, vary: 2, zoom: 2, pan: 2, mod: 1, reroll: 0 }[kind];
  if (rest.length !== expectedFields) return null;
  const parsed = componentActionSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}
