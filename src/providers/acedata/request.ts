import { SPECS } from '../../prompt/params.js';
import { PARAM_NAMES, type ParamName, type Params, type ParsedPrompt } from '../../prompt/types.js';
import { ProviderError } from '../errors.js';
import { promptOf } from '../submit-request.js';
import type { SubmitRequest } from '../types.js';
import type { ImagineBody, VideoBody } from './schemas.js';

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

/** Parameters that never go into the text: speed is AceData's `mode` field, --hd its `hd` field. */
const NOT_IN_TEXT: ReadonlySet<ParamName> = new Set<ParamName>(['speed', 'hd']);

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
    case 'animate':
    case 'extend':
      // Videos have their own endpoint, `/midjourney/videos` (see videoBody).
      throw unsupported(`${followUp.action} is not an imagine action`);
    case 'region':
      if (!single) throw unsupported('Vary (Region) acts on an upscaled image; upscale one first');
      return 'variation_region';
    case 'square':
      throw unsupported('its actions have no Make Square');
  }
}

/** Non-English text is worth AceData's translation; English prompts are sent as they are. */
function wantsTranslation(text: string): boolean {
  return [...text].some((char) => (char.codePointAt(0) ?? 0) > 0x7f);
}

/** Fields AceData bills by, from the prompt's own parameters. */
function billingFields(params: Params): Pick<ImagineBody, 'version' | 'quality' | 'style_reference' | 'hd'> {
  return {
    ...(params.hd ? { hd: true } : {}),
    ...(params.version === undefined ? {} : { version: params.version }),
    ...(params.quality === undefined ? {} : { quality: qualityField(params.quality) }),
    ...(params.sref === undefined ? {} : { style_reference: true }),
  };
}

/**
 * The prompt of Vary (Region): the member's region prompt in place of the parent's text (its image
 * prompts and parameters kept, as Midjourney's Remix field shows them), or the parent's prompt.
 */
function regionPrompt(request: SubmitRequest): string | undefined {
  if (!request.followUp || request.followUp.action !== 'region') return undefined;
  const { followUp, parent } = request;
  return renderAcedataPrompt(
    followUp.prompt === undefined ? parent.prompt : { ...parent.prompt, text: followUp.prompt },
  );
}

/**
 * The imagine body for a bot request. Always asynchronous (`async: true`, plus `callback_url`
 * when the caller has a receiver) so no connection is held open for minutes, and always
 * `split_images: true` so the four singles come back next to the grid. Vary (Region) takes
 * `mask`, the URL of the mask image, as AceData's imagine page documents it (its MCP source's
 * types say base64 instead; the page is followed, see CONTRACTS.md §D).
 */
export function buildImagineBody(
  request: SubmitRequest,
  handle: string | undefined,
  callbackUrl?: string,
  translate = true,
  maskUrl?: string,
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
  if (action === 'variation_region') {
    if (!maskUrl) throw new ProviderError('invalid_input', 'acedata: variation_region needs the mask URL');
    return { ...common, image_id: handle, prompt: regionPrompt(request), mask: maskUrl };
  }
  // A Remix edit goes with the action as its prompt, as Midjourney's own Remix sends it.
  return { ...common, image_id: handle, ...(request.remix ? { prompt: renderAcedataPrompt(request.remix) } : {}) };
}

/**
 * The `/midjourney/videos` body for Animate (`generate`, the upscale's URL as the first frame) or
 * Extend (`extend`, the animation's `video_id` and a 0-based `video_index`). The endpoint has no
 * motion field: Midjourney reads `--motion low|high` in the prompt, which AceData passes to it
 * (INFERRED, as every imagine parameter travels in the text). Always asynchronous.
 * https://platform.acedata.cloud/documents/midjourney-videos
 */
export function buildVideoBody(request: SubmitRequest, callbackUrl?: string): VideoBody {
  if (!request.followUp || (request.followUp.action !== 'animate' && request.followUp.action !== 'extend'))
    throw new ProviderError('invalid_input', 'acedata: only Animate and Extend make videos');
  const { followUp, parent } = request;
  const text = parent.prompt.text.replace(/\{/g, '(').replace(/\}/g, ')');
  const common = {
    async: true,
    ...(callbackUrl === undefined ? {} : { callback_url: callbackUrl }),
    ...(parent.prompt.params.speed === undefined ? {} : { mode: parent.prompt.params.speed }),
  };
  if (followUp.action === 'animate') {
    if (parent.imageCount !== 1) throw unsupported('Animate acts on an upscaled image; upscale one first');
    const imageUrl = parent.imageUrl?.(1);
    if (!imageUrl)
      throw new ProviderError('invalid_input', 'acedata: the upscale has no image URL to animate', {
        userMessage: 'This image has no link AceDataCloud can read, so it cannot be animated.',
      });
    return { ...common, action: 'generate', prompt: `${text} --motion ${followUp.motion}`.trim(), image_url: imageUrl };
  }
  const count = parent.videoCount ?? 0;
  if (!parent.handle || count === 0) throw unsupported('Extend acts on a finished video');
  if (followUp.index > count)
    throw new ProviderError('invalid_input', `acedata: video ${followUp.index} does not exist on a task with ${count}`);
  // "You must fill in the prompt" for an extension: the animation's own prompt continues it.
  return {
    ...common,
    action: 'extend',
    prompt: text || 'continue',
    video_id: parent.handle,
    video_index: followUp.index - 1,
  };
}
