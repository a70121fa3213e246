import type { Params, ParsedPrompt, Speed } from '../../prompt/types.js';
import { ProviderError } from '../errors.js';
import { nearestAspect } from '../prompt-support.js';
import type { Motion, ParentTask } from '../types.js';

/**
 * Pure translation from the bot's canonical prompt to Kie's `/api/v1/mj/generate` body.
 * https://docs.kie.ai/mj-api/generate-mj-image
 */

export const KIE_ASPECTS = ['1:2', '9:16', '2:3', '3:4', '5:6', '6:5', '4:3', '3:2', '1:1', '16:9', '2:1'] as const;

/** Canonical version (as `checkPromptSupport` spells it) → Kie's `version` value. */
const VERSIONS: Readonly<Record<string, string>> = {
  '5.1': '5.1',
  '5.2': '5.2',
  '6': '6',
  '6.1': '6.1',
  '7': '7',
  'niji 6': 'niji6',
  'niji 7': 'niji7',
};
export const KIE_VERSION_NAMES = Object.keys(VERSIONS);

export type KieTaskType = 'mj_txt2img' | 'mj_img2img' | 'mj_style_reference' | 'mj_omni_reference';

/**
 * The one kind of reference image a task carries. Kie has a single `fileUrls` field, so image
 * prompts (img2img), style references (`--sref` URLs) and an omni reference (`--oref`) each select
 * their own taskType and cannot be combined. Returns the problem as a sentence when they cannot.
 */
export function referenceOf(prompt: ParsedPrompt): { taskType: KieTaskType; fileUrls: string[] } | { problem: string } {
  const { imageUrls } = prompt;
  const sref = prompt.params.sref ?? [];
  const oref = prompt.params.oref ?? [];
  const kinds = [imageUrls.length > 0, sref.length > 0, oref.length > 0].filter(Boolean).length;
  if (kinds > 1)
    return { problem: 'Kie takes one kind of reference per image: image prompts, --sref or --oref, not several.' };
  if (sref.some((item) => !/^https?:\/\//i.test(item)))
    return { problem: 'Kie takes --sref image URLs only, not style codes or random.' };
  if (oref.length > 1) return { problem: 'Kie takes one --oref image.' };
  if (imageUrls.length > 0) return { taskType: 'mj_img2img', fileUrls: [...imageUrls] };
  if (sref.length > 0) return { taskType: 'mj_style_reference', fileUrls: [...sref] };
  if (oref.length > 0) return { taskType: 'mj_omni_reference', fileUrls: [...oref] };
  return { taskType: 'mj_txt2img', fileUrls: [] };
}

/** Kie wants `variety` in steps of 5 ("increment by 5 each time"). */
export function kieVariety(chaos: number): number {
  return Math.min(100, Math.max(0, Math.round(chaos / 5) * 5));
}

export function kieSpeed(speed: Speed | undefined): 'relaxed' | 'fast' | 'turbo' {
  if (speed === 'relax') return 'relaxed';
  return speed ?? 'fast';
}

export function kieAspect(aspect: string): string {
  return (KIE_ASPECTS as readonly string[]).includes(aspect) ? aspect : nearestAspect(aspect, KIE_ASPECTS);
}

function kieVersion(params: Params): string | undefined {
  const canonical = params.niji ? `niji ${params.niji}` : params.version;
  if (canonical === undefined) return undefined; // Kie: "the latest model is the default"
  const version = VERSIONS[canonical];
  if (version === undefined) {
    throw new ProviderError('invalid_input', `kie: version ${canonical} is not offered`, {
      userMessage: `Kie offers versions ${KIE_VERSION_NAMES.join(', ')}; ${canonical} is not one of them.`,
    });
  }
  return version;
}

/** The parent prompt's text with no `--` left in it: parameters travel only in fields. */
export function sanitisePromptText(text: string): string {
  return text.replace(/-{2,}/g, '-');
}

/** Letters outside the Latin script mean the prompt is probably not English: ask Kie to translate. */
export function needsTranslation(text: string): boolean {
  return /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(text);
}

export interface GenerateOptions {
  translation: 'auto' | 'off';
  callbackUrl?: string;
  waterMark?: string;
}

/** The generate body for a prompt. Throws invalid_input for what Kie cannot take. */
export function generateBody(prompt: ParsedPrompt, options: GenerateOptions): Record<string, unknown> {
  const reference = referenceOf(prompt);
  if ('problem' in reference)
    throw new ProviderError('invalid_input', `kie: ${reference.problem}`, { userMessage: reference.problem });
  const { params } = prompt;
  const body: Record<string, unknown> = { taskType: reference.taskType, prompt: sanitisePromptText(prompt.text) };
  // "speed: not required when taskType is mj_video or mj_omni_reference" — Kie picks it there.
  if (reference.taskType !== 'mj_omni_reference') body.speed = kieSpeed(params.speed);
  if (reference.fileUrls.length > 0) body.fileUrls = reference.fileUrls;
  if (params.aspect !== undefined) body.aspectRatio = kieAspect(params.aspect);
  const version = kieVersion(params);
  if (version !== undefined) body.version = version;
  if (params.chaos !== undefined) body.variety = kieVariety(params.chaos);
  if (params.stylize !== undefined) body.stylization = params.stylize;
  if (params.weird !== undefined) body.weirdness = params.weird;
  if (reference.taskType === 'mj_omni_reference' && params.ow !== undefined) body.ow = params.ow;
  if (options.translation === 'auto' && needsTranslation(prompt.text)) body.enableTranslation = true;
  if (options.waterMark) body.waterMark = options.waterMark;
  if (options.callbackUrl) body.callBackUrl = options.callbackUrl;
  return body;
}

/**
 * The grid task and 1-based image a follow-up acts on. A parent that is one image taken from a grid
 * (an upscale) is acted on through that grid image, the only thing Kie's endpoints take.
 */
export function gridImageOf(parent: ParentTask, index: number): { taskId: string; index: number } {
  if (parent.imageCount === 1) {
    if (parent.origin) return { taskId: parent.origin.taskId, index: parent.origin.index };
    throw new ProviderError('unsupported', 'kie: follow-ups act on grid images only', {
      userMessage: 'Kie can only do this on an image from a grid.',
    });
  }
  if (!Number.isInteger(index) || index < 1 || index > parent.imageCount) {
    throw new ProviderError(
      'invalid_input',
      `kie: image ${index} does not exist on a task with ${parent.imageCount} image(s)`,
    );
  }
  return { taskId: parent.taskId, index };
}

/** The doc's index bases: generateUpscale takes 0–3, generateVary takes 1–4. */
export interface IndexBases {
  upscale: 0 | 1;
  vary: 0 | 1;
}

export function providerIndex(index: number, base: 0 | 1): number {
  return index - 1 + base;
}

/**
 * Animate: taskType mj_video (mj_video_hd when the server asks for HD video) with the upscale's own
 * URL as the one image `fileUrls` takes, the parent's text as the prompt, and one video
 * (`videoBatchSize` 1: a message carries one result). https://docs.kie.ai/mj-api/generate-mj-image
 */
export function videoBody(parent: ParentTask, motion: Motion, hd = false): Record<string, unknown> {
  if (parent.imageCount !== 1)
    throw new ProviderError('unsupported', 'kie: Animate acts on an upscaled image', {
      userMessage: 'Animate works on an upscaled image; upscale one first.',
    });
  const url = parent.imageUrl?.(1);
  if (!url)
    throw new ProviderError('invalid_input', 'kie: the upscale has no image URL to animate', {
      userMessage: 'This image has no link Kie can read, so it cannot be animated.',
    });
  const prompt = sanitisePromptText(parent.prompt.text).trim();
  return {
    taskType: hd ? 'mj_video_hd' : 'mj_video',
    // Kie requires a prompt; an image-only prompt still has the picture to go on.
    prompt: prompt === '' ? 'animate this image' : prompt,
    fileUrls: [url],
    motion,
    videoBatchSize: 1,
  };
}

/**
 * Extend: generateVideoExtend in its automatic mode (no prompt: Kie continues the motion), on the
 * parent video task and its 0-based video index. https://docs.kie.ai/mj-api/extend-mj-video
 */
export function extendBody(parent: ParentTask, video: number): Record<string, unknown> {
  const count = parent.videoCount ?? 0;
  if (count === 0)
    throw new ProviderError('unsupported', 'kie: Extend acts on a video', {
      userMessage: 'Extend works on a video; animate an upscale first.',
    });
  if (!Number.isInteger(video) || video < 1 || video > count)
    throw new ProviderError('invalid_input', `kie: video ${video} does not exist on a task with ${count} video(s)`);
  return { taskType: 'mj_video_extend_auto', taskId: parent.taskId, index: video - 1 };
}
