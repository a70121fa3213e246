import { SPECS } from '../../prompt/params.js';
import { PARAM_NAMES, type ParamName, type Params, type ParsedPrompt } from '../../prompt/types.js';
import { ProviderError } from '../errors.js';
import { promptOf } from '../submit-request.js';
import type { SubmitRequest } from '../types.js';
import type { ImagineBody } from './schemas.js';

/** Every `action` AceData's imagine endpoint accepts (MCP core/types.py). */
export const ACEDATA_ACTIONS = [
  'generate',
  'upscale1',
  'upscale2',
  'upscale3',
  'upscale4',
  'upscale_2x',
  'upscale_4x',
  'variation1',
  'variation2',
  'variation3',
  'variation4',
  'variation_subtle',
  'variation_strong',
  'variation_region',
  'reroll',
  'zoom_out_2x',
  'zoom_out_1_5x',
  'pan_left',
  'pan_right',
  'pan_up',
  'pan_down',
] as const;
export type AcedataAction = (typeof ACEDATA_ACTIONS)[number];

/** Parameters that never go into the text: speed is AceData's `mode` field. */
const NOT_IN_TEXT: ReadonlySet<ParamName> = new Set<ParamName>(['speed']);

/**
 * The prompt as the Midjourney bot reads it: image URLs, text, then `--flags`. Braces left in the
 * text were literal (the bot already expanded permutations), but Midjourney would read them as
 * its own permutation syntax, so they become parentheses.
 */
export function renderAcedataPrompt(prompt: ParsedPrompt): string {
  const parts = [...prompt.imageUrls];
  const text = prompt.text.replace(/\{/g, '(').replace(/\}/g, ')');
  if (text !== '') parts.push(text);
  for (const name of PARAM_NAMES) {
    if (NOT_IN_TEXT.has(name)) continue;
    const rendered = renderParam(name, prompt.params);
    if (rendered !== undefined) parts.push(rendered);
  }
  return parts.join(' ');
}

function renderParam<K extends ParamName>(name: K, params: Params): string | undefined {
  const value = params[name];
  return value === undefined ? undefined : SPECS[name].render(value);
}

/** `0.25` → `'.25'`, as AceData's `quality` field spells its values. */
export function qualityField(quality: number): string {
  return String(quality).replace(/^0\./, '.');
}

function unsupported(message: string): ProviderError {
  return new ProviderError('unsupported', `acedata: ${message}`, {
    userMessage: `AceDataCloud cannot do that: ${message}.`,
  });
}

function checkIndex(index: number): number {
  if (!Number.isInteger(index) || index < 1 || index > 4) {
    throw new ProviderError('invalid_input', `acedata: image index ${index} is not 1–4`);
  }
  return index;
}

/**
 * The AceData action for a bot request. Indices are 1-based on both sides (1 = top-left,
 * 2 = top-right, 3 = bottom-left, 4 = bottom-right). A parent with one image is an upscale,
 * where Midjourney offers 2x/4x, subtle/strong, zoom and pan; a grid offers U, V and reroll.
 */
export function acedataAction(request: SubmitRequest): AcedataAction {
  if (!request.followUp) return 'generate';
  const { followUp } = request;
  const single = request.parent.imageCount === 1;
  switch (followUp.action) {
    case 'upscale':
      if (single) {
        if (followUp.type === '2x') return 'upscale_2x';
        if (followUp.type === '4x') return 'upscale_4x';
        throw unsupported(`an upscaled image can be upscaled again only 2x or 4x (asked: ${followUp.type})`);
      }
      if (followUp.type !== 'default')
        throw unsupported(`a grid image is upscaled with U1–U4 only (asked: ${followUp.type})`);
      return `upscale${checkIndex(followUp.index)}` as AcedataAction;
    case 'vary':
      if (single) return followUp.strength === 'strong' ? 'variation_strong' : 'variation_subtle';
      if (followUp.strength !== 'strong') throw unsupported('Vary (Subtle) exists only on an upscaled image');
      return `variation${checkIndex(followUp.index)}` as AcedataAction;
    case 'reroll':
      if (single) throw unsupported('reroll acts on a grid, not on an upscaled image');
      return 'reroll';
    case 'zoom':
      if (!single) throw unsupported('zoom out acts on an upscaled image; upscale one first');
      if (followUp.factor === 2) return 'zoom_out_2x';
      if (followUp.factor === 1.5) return 'zoom_out_1_5x';
      throw unsupported(`it zooms out 2x or 1.5x only (asked: ${followUp.factor}x)`);
    case 'pan':
      if (!single) throw unsupported('pan acts on an upscaled image; upscale one first');
      return `pan_${followUp.direction}`;
    case 'square':
      throw unsupported('its actions have no Make Square');
  }
}

/** Non-English text is worth AceData's translation; English prompts are sent as they are. */
function wantsTranslation(text: string): boolean {
  return [...text].some((char) => (char.codePointAt(0) ?? 0) > 0x7f);
}

/** Fields AceData bills by, from the prompt's own parameters. */
function billingFields(params: Params): Pick<ImagineBody, 'version' | 'quality' | 'style_reference'> {
  return {
    ...(params.version === undefined ? {} : { version: params.version }),
    ...(params.quality === undefined ? {} : { quality: qualityField(params.quality) }),
    ...(params.sref === undefined ? {} : { style_reference: true }),
  };
}

/**
 * The imagine body for a bot request. Always asynchronous (`async: true`, plus `callback_url`
 * when the caller has a receiver) so no connection is held open for minutes, and always
 * `split_images: true` so the four singles come back next to the grid.
 */
export function buildImagineBody(
  request: SubmitRequest,
  handle: string | undefined,
  callbackUrl?: string,
  translate = true,
): ImagineBody {
  const action = acedataAction(request);
  const prompt = promptOf(request);
  const common = {
    action,
    split_images: true,
    async: true,
    ...(callbackUrl === undefined ? {} : { callback_url: callbackUrl }),
    ...(prompt.params.speed === undefined ? {} : { mode: prompt.params.speed }),
    ...billingFields(prompt.params),
  };
  if (!request.followUp) {
    return {
      ...common,
      prompt: renderAcedataPrompt(prompt),
      ...(translate && wantsTranslation(prompt.text) ? { translation: true } : {}),
    };
  }
  if (!handle) throw new ProviderError('invalid_input', `acedata: ${action} needs the parent's image_id`);
  return { ...common, image_id: handle };
}
