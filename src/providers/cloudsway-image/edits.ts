import sharp from 'sharp';
import { fitToFrame, nearestFrame } from '../../images/frame-fit.js';
import { imageSize, paddedCanvas, restoreOutpaint } from '../../images/outpaint-canvas.js';
import { outpaintLayout, type OutpaintFollowUp, type Size } from '../../images/outpaint.js';
import { regionMaskPng } from '../../images/region-mask.js';
import type { FollowUpOf } from '../../jobs/follow-up.js';
import type { ParsedPrompt } from '../../prompt/types.js';
import type { ResultImage, VaryStrength } from '../types.js';
import {
  IMAGE_FRAMES,
  imagePrompt,
  imageQuality,
  imageSize as sizeForAspect,
  outpaintInstruction,
  varyInstruction,
  type ImageQuality,
  type ImageSize,
} from './request.js';

export interface LoadedImage {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * One `POST /images/edits` and what turns its images into the follow-up's result. Vary, Vary
 * (Region) and the outpaints (zoom, pan, Make Square) are all edits; they differ in the image sent,
 * the mask, the prompt and what is done with the answer.
 */
export interface EditPlan {
  image: LoadedImage;
  /** PNG, the image's size: fully transparent where to paint (OpenAI's convention). */
  mask?: Buffer;
  prompt: string;
  size: ImageSize;
  quality: ImageQuality | undefined;
  finish(images: ResultImage[]): Promise<ResultImage[]>;
}

/** Vary: the chosen image edited with an instruction for the strength; the answer is the result. */
export function varyPlan(image: LoadedImage, prompt: ParsedPrompt, strength: VaryStrength): EditPlan {
  return {
    image,
    prompt: varyInstruction(prompt, strength),
    size: sizeForAspect(prompt.params.aspect),
    quality: imageQuality(prompt.params),
    finish: (images) => Promise.resolve(images),
  };
}

/**
 * Zoom out, pan and Make Square: the outpaint's layout fitted into the nearest of Image-1's three
 * sizes, the image on a transparent canvas with a mask that keeps it, then each answer cropped
 * back to the layout's frame with the source's own pixels over the part it kept.
 */
export async function outpaintPlan(
  source: LoadedImage,
  followUp: OutpaintFollowUp,
  prompt: ParsedPrompt,
): Promise<EditPlan> {
  const layout = outpaintLayout(await imageSize(source.bytes), followUp);
  const framed = fitToFrame(layout, IMAGE_FRAMES);
  const { canvas, mask } = await paddedCanvas(source.bytes, framed.layout);
  return {
    image: { bytes: canvas, contentType: 'image/png' },
    mask,
    prompt: outpaintInstruction(prompt),
    size: framed.frame.size,
    quality: imageQuality(prompt.params),
    finish: (images) => eachImage(images, (bytes) => restoreOutpaint(bytes, source.bytes, framed, layout)),
  };
}

/**
 * Vary (Region): the upscale itself with a mask transparent inside the drawn region, the member's
 * prompt or else the parent's. Image-1 answers at its nearest size; each answer is brought back to
 * the upscale's size, so the region result has its parent's frame.
 */
export async function regionPlan(
  source: LoadedImage,
  followUp: FollowUpOf<'region'>,
  parentPrompt: ParsedPrompt,
): Promise<EditPlan> {
  const size = await imageSize(source.bytes);
  return {
    image: source,
    mask: await regionMaskPng(followUp.area, size, 'transparent-inside'),
    prompt: followUp.prompt ?? (imagePrompt(parentPrompt) || 'the same scene'),
    size: nearestFrame(size, IMAGE_FRAMES).size,
    quality: imageQuality(parentPrompt.params),
    finish: (images) => eachImage(images, (bytes) => resizedTo(bytes, size)),
  };
}

/** Applies `transform` to each image's bytes; withheld images stay placeholders. */
function eachImage(
  images: ResultImage[],
  transform: (bytes: Buffer) => Promise<Buffer | undefined>,
): Promise<ResultImage[]> {
  return Promise.all(
    images.map(async (image): Promise<ResultImage> => {
      if (image.kind === 'rejected') return image;
      // gpt-image-1 always answers with base64; a link would have to be fetched before composing.
      if (image.kind === 'url')
        return { kind: 'rejected', rejected: true, reason: 'answered with a link, not the image' };
      const changed = await transform(Buffer.from(image.data, 'base64'));
      return changed ? { kind: 'base64', data: changed.toString('base64'), contentType: 'image/png' } : image;
    }),
  );
}

/** The image at `size`, or undefined when it already is. */
async function resizedTo(bytes: Buffer, size: Size): Promise<Buffer | undefined> {
  const current = await imageSize(bytes);
  if (current.width === size.width && current.height === size.height) return undefined;
  return sharp(bytes).rotate().resize(size.width, size.height, { fit: 'fill' }).png().toBuffer();
}
