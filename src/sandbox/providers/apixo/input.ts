import { z } from 'zod';
import { readPaint } from './paint.js';

/**
 * How the APIXO simulator reads a submit body (CONTRACTS.md §C, apixo-midjourney.txt). The two doc
 * generations name four fields differently; which one the live API takes is UNKNOWN, so the
 * simulator can be told to take either or both, and to refuse or silently drop the other names.
 */
export type FieldGeneration = 'old' | 'new' | 'both';
export type UnknownFields = 'reject' | 'ignore';

export const ASPECTS = ['1:1', '1:2', '2:1', '2:3', '3:2', '3:4', '4:3', '5:6', '6:5', '9:16', '16:9'] as const;
export const VERSIONS = ['v6', 'v6.1', 'v7', 'niji 6', 'niji 7'] as const;

/** Field name → canonical name, per generation. */
const OLD_FIELDS: Record<string, Structured> = { aspect: 'aspect', chaos: 'chaos', stylize: 'stylize', weird: 'weird' };
const NEW_FIELDS: Record<string, Structured> = {
  aspect_ratio: 'aspect',
  variety: 'chaos',
  stylization: 'stylize',
  weirdness: 'weird',
};
type Structured = 'aspect' | 'chaos' | 'stylize' | 'weird';
const COMMON_FIELDS = new Set([
  'mode',
  'prompt',
  'version',
  'speed',
  'enableTranslation',
  'image_urls',
  'taskId',
  'imageIndex',
  'type',
  'mask',
  'canvas',
  'imgPos',
]);

const OLD_MODES = ['text-to-image', 'image-to-image', 'upload-paint', 'vary', 'upscale'];
const NEW_MODES = ['text-to-image', 'image-to-image', 'image-edit', 'vary', 'upscale', 'reroll', 'enhance'];
export const GENERATING_MODES = new Set(['text-to-image', 'image-to-image', 'upload-paint', 'image-edit']);

export const requestSchema = z
  .object({
    request_type: z.enum(['async', 'callback']).default('async'),
    callback_url: z.url({ protocol: /^https?$/ }).optional(),
    provider: z.enum(['auto', 'value', 'official']).default('auto'),
    input: z.record(z.string(), z.unknown()),
  })
  .superRefine((body, context) => {
    if (body.request_type === 'callback' && !body.callback_url) {
      context.addIssue({
        code: 'custom',
        path: ['callback_url'],
        message: 'callback_url is required when request_type is callback',
      });
    }
    // "public HTTPS": plain http is taken only for loopback receivers, which is all a simulator can reach.
    if (body.callback_url && !/^https:|^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(body.callback_url)) {
      context.addIssue({ code: 'custom', path: ['callback_url'], message: 'callback_url must be a public HTTPS URL' });
    }
  });

const inputSchema = z.object({
  mode: z.string(),
  prompt: z.string().max(2000).optional(),
  version: z.enum(VERSIONS).optional(),
  speed: z.enum(['fast', 'turbo', 'relaxed', 'draft']).optional(),
  enableTranslation: z.boolean().optional(),
  image_urls: z
    .array(z.url({ protocol: /^https?$/ }))
    .max(20)
    .optional(),
  taskId: z.string().min(1).optional(),
  imageIndex: z.number().int().optional(),
  type: z.number().int().optional(),
  mask: z.record(z.string(), z.unknown()).optional(),
  canvas: z.record(z.string(), z.unknown()).optional(),
  imgPos: z.record(z.string(), z.unknown()).optional(),
  aspect: z.enum(ASPECTS).optional(),
  chaos: z.number().int().min(0).max(100).optional(),
  stylize: z.number().int().min(0).max(1000).optional(),
  weird: z.number().int().min(0).max(3000).optional(),
});

/** The input as the simulator acts on it: canonical names, the prompt as cut, speed resolved. */
export type EffectiveInput = Omit<z.infer<typeof inputSchema>, 'speed'> & {
  speed?: 'fast' | 'turbo' | 'draft';
  /** True when the prompt had a `--` and everything after it was dropped. */
  promptCut?: boolean;
};

export type InputResult = { ok: true; input: EffectiveInput } | { ok: false; message: string };

/** Reads `input` under the configured field generation; refusals carry APIXO-style messages. */
export function readInput(
  raw: Record<string, unknown>,
  generation: FieldGeneration,
  unknownFields: UnknownFields,
): InputResult {
  const accepted: Record<string, Structured> = {
    ...(generation !== 'new' ? OLD_FIELDS : {}),
    ...(generation !== 'old' ? NEW_FIELDS : {}),
  };
  const canonical: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (COMMON_FIELDS.has(field)) canonical[field] = value;
    else if (accepted[field] !== undefined) canonical[accepted[field]] ??= value;
    else if (unknownFields === 'reject')
      return { ok: false, message: `Invalid parameter: unknown field input.${field}` };
  }
  const parsed = inputSchema.safeParse(canonical);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      message: `Invalid parameter: input.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const input: EffectiveInput = { ...parsed.data, speed: undefined };
  const modes = generation === 'old' ? OLD_MODES : generation === 'new' ? NEW_MODES : [...OLD_MODES, ...NEW_MODES];
  if (!modes.includes(input.mode))
    return { ok: false, message: `Invalid parameter: input.mode must be one of ${modes.join(', ')}` };

  const speed = parsed.data.speed;
  if ((speed === 'relaxed' || speed === 'draft') && generation === 'old')
    return { ok: false, message: 'Invalid parameter: input.speed must be fast or turbo' };
  if (speed === 'draft' && input.version !== 'v7')
    return { ok: false, message: 'Invalid parameter: input.speed draft needs version v7' };
  // Newer doc: "relaxed accepted but converted to fast".
  input.speed = speed === 'relaxed' ? 'fast' : speed;

  if (input.prompt !== undefined && input.prompt.includes('--')) {
    // The backend strips everything from the first `--` (CONTRACTS.md §C): a careless client loses the rest.
    input.prompt = input.prompt.slice(0, input.prompt.indexOf('--')).trim();
    input.promptCut = true;
  }
  return checkMode(input);
}

function checkMode(input: EffectiveInput): InputResult {
  const missing = (field: string): InputResult => ({
    ok: false,
    message: `Invalid parameter: input.${field} is required for mode ${input.mode}`,
  });
  if (GENERATING_MODES.has(input.mode)) {
    if (!input.prompt) return missing('prompt');
    if (!input.version) return missing('version');
    if (!input.speed) return missing('speed');
  }
  switch (input.mode) {
    case 'image-to-image':
      if (!input.image_urls?.length) return missing('image_urls');
      break;
    case 'upload-paint':
    case 'image-edit':
      if (input.image_urls?.length !== 1)
        return {
          ok: false,
          message: `Invalid parameter: input.image_urls must hold exactly 1 URL for mode ${input.mode}`,
        };
      if (input.mode === 'upload-paint' && (!input.mask || !input.canvas || !input.imgPos))
        return missing('mask, canvas and imgPos');
      // image-edit fills in a whole-image region when they are left out (CONTRACTS.md §C); given, they must hold.
      if (input.mask || input.canvas || input.imgPos) {
        const paint = readPaint(input);
        if (!paint.ok) return paint;
      }
      break;
    case 'vary':
    case 'upscale':
    case 'enhance': {
      if (!input.taskId) return missing('taskId');
      if (input.imageIndex === undefined) return missing('imageIndex');
      const maxType = input.mode === 'vary' ? 1 : 3;
      if (input.mode !== 'enhance' && (input.type === undefined || input.type < 0 || input.type > maxType)) {
        return {
          ok: false,
          message: `Invalid parameter: input.type must be an integer from 0 to ${maxType} for mode ${input.mode}`,
        };
      }
      break;
    }
    case 'reroll':
      if (!input.taskId) return missing('taskId');
      break;
  }
  return { ok: true, input };
}
