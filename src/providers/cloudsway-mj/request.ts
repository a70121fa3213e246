import { SPECS } from '../../prompt/params.js';
import { PARAM_NAMES, type ParamName, type Params, type ParsedPrompt } from '../../prompt/types.js';
import { aspectValue } from '../prompt-support.js';
import { shapeInPixels, type RegionArea } from '../../jobs/region.js';
import type { FollowUpOf } from '../../jobs/follow-up.js';
import { PAN_SCALE } from '../../images/outpaint.js';
import type { PanDirection, ParamSupport, UpscaleType } from '../types.js';

/**
 * Cloudsway does not support `{}` permutations; a brace left in the text would be read as one.
 * The bot has already expanded them, so any brace here is literal and becomes a parenthesis.
 */
function plainText(text: string): string {
  return text.replace(/\{/g, '(').replace(/\}/g, ')');
}

function renderParam<K extends ParamName>(name: K, params: Params): string | undefined {
  const value = params[name];
  return value === undefined ? undefined : SPECS[name].render(value);
}

/**
 * The `text` of `/tob/diffusion`: image URLs first, then the prompt, then every parameter the
 * table accepts as a `--flag`, in canonical order. Refused parameters never reach the text.
 */
export function diffusionText(prompt: ParsedPrompt, table: Readonly<Record<ParamName, ParamSupport>>): string {
  const parts = [...prompt.imageUrls];
  const text = plainText(prompt.text).trim();
  if (text !== '') parts.push(text);
  for (const name of PARAM_NAMES) {
    if (table[name].handling !== 'native' && table[name].handling !== 'mapped') continue;
    const rendered = renderParam(name, prompt.params);
    if (rendered !== undefined) parts.push(rendered);
  }
  return parts.join(' ');
}

/** The remix prompt of an emulated vary: the parent's words, without images or flags. */
export function remixPrompt(prompt: ParsedPrompt): string | undefined {
  const text = plainText(prompt.text).trim().slice(0, 8192);
  return text === '' ? undefined : text;
}

/** `/tob/upscale` type codes Cloudsway documents: 0 subtle HD, 1 creative HD. */
export const UPSCALE_TYPE_CODES: Partial<Record<UpscaleType, number>> = { subtle: 0, creative: 1 };

/** Youchuan's `/tob/pan` direction codes: 0 down, 1 right, 2 up, 3 left. */
export const PAN_DIRECTION_CODES: Record<PanDirection, number> = { down: 0, right: 1, up: 2, left: 3 };

export interface UpstreamOutpaint {
  path: '/tob/outpaint' | '/tob/pan';
  body: { jobId: string; imageNo: number; scale: number; direction?: number; remixPrompt?: string };
}

/**
 * Zoom out and pan on Youchuan's routes (CONTRACTS.md §A; not on Cloudsway's page): `/tob/outpaint`
 * takes the factor as `scale` (1.1–2.0); `/tob/pan` a `direction` and a `scale` (1.1–3.0), here
 * 1.5, half the image again, as Midjourney's pan buttons. The Remix edit, when there is one, is the
 * `remixPrompt`; without it the upstream keeps the parent's prompt.
 */
export function upstreamOutpaint(
  followUp: FollowUpOf<'zoom' | 'pan'>,
  target: { jobId: string; imageNo: number },
  remix: ParsedPrompt | undefined,
): UpstreamOutpaint {
  const prompt = remix && remixPrompt(remix);
  const withPrompt = prompt === undefined ? {} : { remixPrompt: prompt };
  if (followUp.action === 'zoom')
    return { path: '/tob/outpaint', body: { ...target, scale: followUp.factor, ...withPrompt } };
  return {
    path: '/tob/pan',
    body: { ...target, direction: PAN_DIRECTION_CODES[followUp.direction], scale: PAN_SCALE, ...withPrompt },
  };
}

const MASK_MIN = 500;
const MASK_MAX = 4096;

export interface MaskArea {
  width: number;
  height: number;
  points: number[];
}

/**
 * One mask area covering the whole image, for a vary emulated as a region redraw. The area's
 * width and height (500–4096 per the page) are the frame its points are drawn on: we use the
 * image's nominal size (Midjourney's ~1 MP for the aspect ratio, twice the edge after an upscale)
 * clamped into that range. The polygon covers the frame corner to corner, clockwise, so an exact
 * pixel size is not needed.
 */
export function wholeFrameMask(aspect: string | undefined, upscaled: boolean): { areas: MaskArea[] } {
  const { width, height } = maskFrame(aspect, upscaled);
  return { areas: [{ width, height, points: [0, 0, width, 0, width, height, 0, height] }] };
}

/**
 * Vary (Region): one mask area per drawn shape, on the same frame as `wholeFrameMask`, its points
 * `[x1,y1,x2,y2,…]` clockwise from the top left as the page's example draws them.
 */
export function regionMask(area: RegionArea, aspect: string | undefined, upscaled: boolean): { areas: MaskArea[] } {
  const { width, height } = maskFrame(aspect, upscaled);
  return {
    areas: area.map((shape) => ({ width, height, points: clockwise(shapeInPixels(shape, width, height)).flat() })),
  };
}

/** Image coordinates run downwards, so a positive shoelace sum is clockwise on screen. */
function clockwise(points: [number, number][]): [number, number][] {
  let twice = 0;
  for (const [position, [x, y]] of points.entries()) {
    const [nextX, nextY] = points[(position + 1) % points.length]!;
    twice += x * nextY - nextX * y;
  }
  return twice >= 0 ? points : [...points].reverse();
}

function maskFrame(aspect: string | undefined, upscaled: boolean): { width: number; height: number } {
  const ratio = aspectValue(aspect ?? '1:1') ?? 1;
  const edge = upscaled ? 2048 : 1024;
  let width = edge * Math.sqrt(ratio);
  let height = edge / Math.sqrt(ratio);
  // Scale into range keeping the ratio where it can be kept; extreme ratios are clamped.
  const shrink = Math.min(1, MASK_MAX / Math.max(width, height));
  width *= shrink;
  height *= shrink;
  const grow = Math.max(1, MASK_MIN / Math.min(width, height));
  width = clamp(Math.round(width * grow));
  height = clamp(Math.round(height * grow));
  return { width, height };
}

function clamp(value: number): number {
  return Math.min(MASK_MAX, Math.max(MASK_MIN, value));
}
