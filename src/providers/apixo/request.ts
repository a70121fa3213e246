import type { Params, ParsedPrompt, Speed } from '../../prompt/types.js';
import { ProviderError } from '../errors.js';
import { nearestAspect } from '../prompt-support.js';
import { newAreas, type OutpaintLayout, type Size } from '../../images/outpaint.js';
import { shapeInPixels, signedPolygonArea, type RegionArea } from '../../jobs/region.js';
import type { ParentTask, UpscaleType, VaryStrength } from '../types.js';

/**
 * Pure translation from the bot's canonical prompt to APIXO's structured `input` object.
 * https://apixo.ai/docs/models/image/midjourney
 */

export const APIXO_ASPECTS = ['1:1', '1:2', '2:1', '2:3', '3:2', '3:4', '4:3', '5:6', '6:5', '9:16', '16:9'] as const;

/** Canonical version (as `checkPromptSupport` spells it) → APIXO's `version` value. */
const VERSIONS: Readonly<Record<string, string>> = {
  '6': 'v6',
  '6.1': 'v6.1',
  '7': 'v7',
  'niji 6': 'niji 6',
  'niji 7': 'niji 7',
};
export const APIXO_VERSION_NAMES = Object.keys(VERSIONS);

/**
 * APIXO marks `version` and `speed` required in every generating mode while also documenting
 * defaults (v6.1, fast); sending the documented defaults explicitly satisfies both readings.
 */
export const DEFAULT_VERSION = 'v6.1';
export const DEFAULT_SPEED = 'fast';

/**
 * The two doc generations name four fields differently (CONTRACTS.md §C); which one the live API
 * takes is UNKNOWN. `both` sends each value under both names.
 */
export type FieldGeneration = 'old' | 'new';
export type FieldNames = FieldGeneration | 'both';
type StructuredParam = 'aspect' | 'chaos' | 'stylize' | 'weird';
export const FIELD_NAMES: Readonly<Record<FieldGeneration, Readonly<Record<StructuredParam, string>>>> = {
  old: { aspect: 'aspect', chaos: 'chaos', stylize: 'stylize', weird: 'weird' },
  new: { aspect: 'aspect_ratio', chaos: 'variety', stylize: 'stylization', weird: 'weirdness' },
};

export function generationsOf(names: FieldNames): FieldGeneration[] {
  return names === 'both' ? ['old', 'new'] : [names];
}

/**
 * APIXO's backend cuts the prompt at the first `--` (CONTRACTS.md §C). The parser has already taken
 * the parameters out, so any `--` left is part of the text (an arrow, a dash); one hyphen keeps the
 * rest of the prompt alive.
 */
export function sanitisePromptText(text: string): string {
  return text.replace(/-{2,}/g, '-');
}

/** Letters outside the Latin script mean the prompt is probably not English: ask APIXO to translate. */
export function needsTranslation(text: string): boolean {
  return /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(text);
}

export function apixoVersion(params: Params): string | undefined {
  const canonical = params.niji ? `niji ${params.niji}` : params.version;
  return canonical === undefined ? undefined : VERSIONS[canonical];
}

/** The `version` to send; a version APIXO does not offer is refused rather than quietly replaced. */
function versionField(params: Params): string {
  if (params.niji === undefined && params.version === undefined) return DEFAULT_VERSION;
  const version = apixoVersion(params);
  if (version === undefined) {
    const asked = params.niji ? `--niji ${params.niji}` : `--v ${params.version ?? ''}`;
    throw new ProviderError('invalid_input', `apixo: ${asked} is not offered`, {
      userMessage: `APIXO offers versions ${APIXO_VERSION_NAMES.join(', ')}; ${asked} is not one of them.`,
    });
  }
  return version;
}

/** Relax is not offered; the newer doc says APIXO itself turns `relaxed` into fast, so we send fast. */
export function apixoSpeed(speed: Speed | undefined): 'fast' | 'turbo' {
  return speed === 'turbo' ? 'turbo' : DEFAULT_SPEED;
}

export function apixoAspect(aspect: string): string {
  return (APIXO_ASPECTS as readonly string[]).includes(aspect) ? aspect : nearestAspect(aspect, APIXO_ASPECTS);
}

export interface TranslateOptions {
  fieldNames: FieldNames;
  translation: 'auto' | 'off';
}

/** The `input` object for a new generation: text-to-image, or image-to-image with leading image URLs. */
export function imagineInput(prompt: ParsedPrompt, options: TranslateOptions): Record<string, unknown> {
  const { params } = prompt;
  const input: Record<string, unknown> = {
    mode: prompt.imageUrls.length > 0 ? 'image-to-image' : 'text-to-image',
    prompt: sanitisePromptText(prompt.text),
    version: versionField(params),
    speed: apixoSpeed(params.speed),
  };
  if (prompt.imageUrls.length > 0) input.image_urls = [...prompt.imageUrls];
  const values: Partial<Record<StructuredParam, string | number>> = {
    aspect: params.aspect === undefined ? undefined : apixoAspect(params.aspect),
    chaos: params.chaos,
    stylize: params.stylize,
    weird: params.weird,
  };
  for (const generation of generationsOf(options.fieldNames)) {
    for (const [name, value] of Object.entries(values) as [StructuredParam, string | number | undefined][]) {
      if (value !== undefined) input[FIELD_NAMES[generation][name]] = value;
    }
  }
  if (options.translation === 'auto' && needsTranslation(prompt.text)) input.enableTranslation = true;
  return input;
}

/** Upscale `type`: 0 Standard HD, 1 Creative HD, 2 2x HD, 3 4x HD (the doc's "Upscale types"). */
export const UPSCALE_TYPES: Readonly<Record<UpscaleType, number>> = {
  default: 0,
  subtle: 0,
  creative: 1,
  '2x': 2,
  '4x': 3,
};
/** Vary `type`: 0 subtle, 1 strong. */
export const VARY_TYPES: Readonly<Record<VaryStrength, number>> = { subtle: 0, strong: 1 };

/**
 * Which task and image a follow-up acts on. APIXO documents follow-ups on a generation's images;
 * for a parent that is itself one image taken from a grid (an upscale), acting on the grid image it
 * came from is the documented equivalent. `base` is APIXO's imageIndex base (UNKNOWN; see settings).
 */
export function followUpTarget(parent: ParentTask, index: number, base: 0 | 1): { taskId: string; imageIndex: number } {
  if (parent.imageCount === 1 && parent.origin) {
    return { taskId: parent.origin.taskId, imageIndex: parent.origin.index - 1 + base };
  }
  if (!Number.isInteger(index) || index < 1 || index > parent.imageCount) {
    throw new ProviderError(
      'invalid_input',
      `apixo: image ${index} does not exist on a task with ${parent.imageCount} image(s)`,
    );
  }
  return { taskId: parent.taskId, imageIndex: index - 1 + base };
}

/**
 * Decides whether a refused submit was about field names: the provider's message names a field of a
 * generation we sent. Returns the generation(s) to send instead, or undefined. Only a message that
 * names the field counts; resending on any 400 could turn a real refusal into silently lost values.
 */
export function fieldFallback(
  error: unknown,
  sent: FieldNames,
  input: Record<string, unknown>,
): FieldNames | undefined {
  if (!(error instanceof ProviderError) || error.code !== 'invalid_input') return undefined;
  const message = `${error.providerMessage ?? ''}`;
  for (const generation of generationsOf(sent)) {
    const named = Object.values(FIELD_NAMES[generation]).some(
      (field) =>
        field in input && new RegExp(`(?<![\\w.-])${field}(?![\\w-])`, 'i').test(message.replace(/input\./gi, ' ')),
    );
    if (named) return generation === 'old' ? 'new' : 'old';
  }
  return undefined;
}

/**
 * The `upload-paint` input that outpaints an image (zoom out, pan, Make Square): the image at
 * `imgPos` on a larger `canvas`, and the mask's areas covering the rest of the canvas, each a
 * clockwise rectangle on a frame the size of the canvas (the doc's "mask.areas"). The prompt
 * describes the whole picture: the parent's, or the member's Remix edit of it.
 */
export function outpaintInput(prompt: ParsedPrompt, imageUrl: string, layout: OutpaintLayout): Record<string, unknown> {
  const { canvas, image } = layout;
  const areas = newAreas(layout).map(({ x, y, width, height }) => ({
    width: canvas.width,
    height: canvas.height,
    points: [x, y, x + width, y, x + width, y + height, x, y + height],
  }));
  return {
    mode: 'upload-paint',
    prompt: sanitisePromptText(prompt.text).trim() || 'the same scene, continued',
    image_urls: [imageUrl],
    version: versionField(prompt.params),
    speed: apixoSpeed(prompt.params.speed),
    mask: { areas },
    canvas: { width: canvas.width, height: canvas.height },
    imgPos: { width: image.width, height: image.height, x: image.x, y: image.y },
  };
}

/**
 * The `upload-paint` input of Vary (Region): the image on a canvas of its own size (`imgPos` at
 * 0,0), and one `mask.areas` entry per drawn shape on that frame, its points clockwise as the doc
 * asks (a lasso drawn the other way round is reversed). The prompt is the member's when given,
 * else the parent's.
 */
export function regionInput(
  prompt: ParsedPrompt,
  imageUrl: string,
  size: Size,
  followUp: { area: RegionArea; prompt?: string | undefined },
): Record<string, unknown> {
  const { width, height } = size;
  const areas = followUp.area.map((shape) => {
    const pixels = shapeInPixels(signedPolygonArea(shape) < 0 ? [...shape].reverse() : shape, width, height);
    return { width, height, points: pixels.flat() };
  });
  const text = followUp.prompt ?? prompt.text;
  return {
    mode: 'upload-paint',
    prompt: sanitisePromptText(text).trim() || 'the same scene',
    image_urls: [imageUrl],
    version: versionField(prompt.params),
    speed: apixoSpeed(prompt.params.speed),
    mask: { areas },
    canvas: { width, height },
    imgPos: { width, height, x: 0, y: 0 },
  };
}
