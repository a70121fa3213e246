import type { Size } from '../../images/outpaint.js';
import type { Params, ParsedPrompt } from '../../prompt/types.js';
import { nearestAspect } from '../prompt-support.js';
import type { VaryStrength } from '../types.js';
import { IMAGE_ASPECTS, IMAGE_SIZES } from './capabilities.js';

export type ImageQuality = 'low' | 'medium' | 'high';
export type ImageSize = (typeof IMAGE_SIZES)[keyof typeof IMAGE_SIZES];

/** The three sizes as frames an edit can be fitted into. */
export const IMAGE_FRAMES: readonly (Size & { size: ImageSize })[] = Object.values(IMAGE_SIZES).map((size) => {
  const [width = 1024, height = 1024] = size.split('x').map(Number);
  return { size, width, height };
});

/** `--ar` → the nearest of the three sizes; no `--ar` is Midjourney's 1:1. */
export function imageSize(aspect: string | undefined): ImageSize {
  const nearest = nearestAspect(aspect ?? '1:1', IMAGE_ASPECTS) as keyof typeof IMAGE_SIZES;
  return IMAGE_SIZES[nearest];
}

/**
 * `--q` → `quality` (.25/.5 low, 1 medium, 2/4 high); `--draft` alone → low. Neither: undefined,
 * so the field is left out and Image-1 uses its own default (`auto`).
 */
export function imageQuality(params: Params): ImageQuality | undefined {
  const { quality } = params;
  if (quality !== undefined) return quality < 1 ? 'low' : quality < 2 ? 'medium' : 'high';
  return params.draft ? 'low' : undefined;
}

/** The prompt sentence: the text, then `--no` as an exclusion sentence (never as a `--flag`). */
export function imagePrompt(prompt: ParsedPrompt): string {
  const text = prompt.text.trim();
  const exclusions = prompt.params.no ?? [];
  if (exclusions.length === 0) return text;
  const sentence = `Do not include: ${exclusions.join(', ')}.`;
  if (text === '') return sentence;
  return `${text}${/[.!?]$/.test(text) ? ' ' : '. '}${sentence}`;
}

/**
 * The instruction for a vary emulated as an edit of the chosen image. Strong asks for a new
 * interpretation of the same subject; subtle asks to keep the composition and change little,
 * the closest an edit prompt comes to Midjourney's two strengths.
 */
export function varyInstruction(prompt: ParsedPrompt, strength: VaryStrength): string {
  const described = imagePrompt(prompt);
  const instruction =
    strength === 'strong'
      ? 'Create a new variation of this image: keep its subject and style, but freely change the composition, pose and details.'
      : 'Create a subtle variation of this image: keep the composition, layout, colours and subject as they are, and change only small details.';
  return described === '' ? instruction : `${instruction} The image shows: ${described}`;
}

/**
 * The instruction for an outpaint emulated as an edit: the image sits on a larger transparent
 * canvas, and the mask leaves only that surround to paint.
 */
export function outpaintInstruction(prompt: ParsedPrompt): string {
  const described = imagePrompt(prompt);
  const instruction =
    'Extend this image into the transparent area around it: continue the scene seamlessly in the same style and lighting, and keep the existing part as it is.';
  return described === '' ? instruction : `${instruction} The image shows: ${described}`;
}

/** The JSON body of `POST /images/generations` for a grid of four. */
export function generationBody(prompt: ParsedPrompt, model: string, n = 4): Record<string, unknown> {
  const quality = imageQuality(prompt.params);
  return {
    prompt: imagePrompt(prompt),
    model,
    n,
    size: imageSize(prompt.params.aspect),
    ...(quality ? { quality } : {}),
  };
}
