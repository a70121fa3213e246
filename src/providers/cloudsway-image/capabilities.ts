import { parameterTable } from '../prompt-support.js';
import type { Capabilities } from '../types.js';

/** The three sizes gpt-image-1 makes, by the aspect ratio they have. */
export const IMAGE_SIZES = { '1:1': '1024x1024', '3:2': '1536x1024', '2:3': '1024x1536' } as const;
export type ImageAspect = keyof typeof IMAGE_SIZES;
export const IMAGE_ASPECTS = Object.keys(IMAGE_SIZES) as ImageAspect[];

/** How the outpaints are made: gpt-image-1 only makes three sizes, so the canvas is fitted into one. */
const PADDED_EDIT =
  'an `/images/edits` call (n = 4) with the parent’s prompt or the Remix edit: the upscale on a larger transparent canvas, scaled to fit the nearest of gpt-image-1’s three sizes, and a mask that keeps the image; each answer is cropped back to the canvas’s shape and the upscale’s own pixels pasted over the part it kept';

/**
 * What Cloudsway MaaS Image-1 (gpt-image-1) offers, from its page
 * (https://docs.cloudsway.net/maasapi/api-reference/image/gpt-image-1) and CONTRACTS.md §B.
 * It is not Midjourney: one synchronous call returns finished images as base64, and the
 * Midjourney buttons are built from `/images/generations` and `/images/edits`.
 */
export const CLOUDSWAY_IMAGE_CAPABILITIES: Capabilities = {
  actions: {
    imagine: true,
    // U1–U4 take one image out of the grid, as Midjourney's U buttons do on v6/v7; there is no upscaler.
    upscale: ['default'],
    upscaleAgain: [],
    vary: ['strong', 'subtle'],
    varyOnUpscale: ['strong', 'subtle'],
    reroll: true,
    // Zoom Out, Custom Zoom, Make Square and pan are edits of a padded canvas with a mask (see emulated).
    zoom: [2, 1.5],
    customZoom: true,
    square: true,
    pan: true,
    // `/images/edits` of the upscale with a PNG mask, transparent inside the region, uploaded with it
    // (no public URL needed); the answers are brought back to the upscale's size.
    regionRedraw: 'mask-upload',
    // Image prompts would need the adapter to download users' URLs for `/images/edits`; not offered.
    imageToImage: false,
    video: false,
    videoExtend: false,
    videoHd: false,
  },
  // Vary, zoom and pan are edits with a prompt, and 🔄 a new generation: all take the edited prompt.
  remix: ['vary', 'reroll', 'zoom', 'pan'],
  emulated: {
    upscale:
      'Upscale selects image N of the grid (as Midjourney’s U buttons do on v6/v7): no call is made, the chosen image is returned as the result at its generated size; Image-1 has no upscaler.',
    vary: 'Vary sends the chosen image to `/images/edits` with the parent prompt and an instruction: Strong asks for a new interpretation (same subject and style, free composition), Subtle asks to keep composition, layout and colours and change only small details; four new images come back.',
    reroll: 'Reroll is a new `/images/generations` call with the parent’s prompt (n = 4).',
    zoom: `Zoom Out and Custom Zoom are ${PADDED_EDIT}; the canvas is the factor times the image each way, the image centred.`,
    pan: `A pan is ${PADDED_EDIT}; the canvas is half as wide (or tall) again, the image at the far edge.`,
    square: `Make Square is ${PADDED_EDIT}; the canvas is a square on the image’s longer side, the image centred.`,
  },
  progress: false,
  previews: false,
  callbacks: false,
  synchronous: true,
  // gpt-image-1 reads prompts in many languages itself.
  // gpt-image-1 reads prompts in any language; there is nothing to switch.
  translation: 'always',
  limits: {
    promptLength: 32_000,
    // Not a Midjourney model: --v and --niji are ignored (see the parameter table).
    versions: [],
    aspectRatios: IMAGE_ASPECTS,
    // One speed only; --relax and --turbo are ignored with a notice.
    speeds: ['fast'],
    maxImagePrompts: 0,
  },
  timing: {
    // One held-open request for four images; quality decides the time (low ~10 s, high ~40 s or more).
    typicalSeconds: { fast: 30, relax: 30, turbo: 30 },
  },
};

const NO_MJ = 'a Midjourney setting gpt-image-1 has no equivalent for';
const NEEDS_IMAGES = 'needs reference images, which this adapter does not send to Image-1';
const VIDEO_ONLY = 'a video parameter; Image-1 makes still images';

/**
 * How Image-1 treats each Midjourney parameter. Nothing is ever written into the prompt as a
 * `--flag`: mapped parameters become request fields, or (for --no) a sentence.
 */
export const CLOUDSWAY_IMAGE_PARAMETERS = parameterTable({
  aspect: { handling: 'mapped', note: 'the nearest of `size` 1024x1024 (1:1), 1536x1024 (3:2), 1024x1536 (2:3)' },
  chaos: { handling: 'ignored', note: `${NO_MJ}; the four images are already independent` },
  no: { handling: 'mapped', note: 'a sentence appended to the prompt: "Do not include: a, b."' },
  profile: { handling: 'refused', note: 'personalization profiles exist only on Midjourney' },
  quality: { handling: 'mapped', note: '`quality`: .25 and .5 → low, 1 → medium, 2 and 4 → high' },
  seed: { handling: 'ignored', note: 'Image-1 takes no seed, so results cannot be repeated' },
  stop: { handling: 'ignored', note: `${NO_MJ}; images are always finished` },
  style: { handling: 'ignored', note: NO_MJ },
  stylize: { handling: 'ignored', note: NO_MJ },
  sref: { handling: 'refused', note: NEEDS_IMAGES },
  sw: { handling: 'ignored', note: 'only meaningful with --sref, which Image-1 refuses' },
  sv: { handling: 'ignored', note: 'only meaningful with --sref, which Image-1 refuses' },
  tile: { handling: 'refused', note: 'gpt-image-1 cannot promise a seamless tile' },
  version: { handling: 'ignored', note: 'the model is the configured one (gpt-image-1), not a Midjourney version' },
  niji: { handling: 'ignored', note: 'the model is the configured one (gpt-image-1), not a Niji version' },
  draft: { handling: 'mapped', note: '`quality: low` when --q is not given' },
  weird: { handling: 'ignored', note: NO_MJ },
  iw: { handling: 'ignored', note: 'only meaningful with image prompts, which Image-1 refuses' },
  speed: { handling: 'ignored', note: 'Image-1 has one speed' },
  exp: { handling: 'ignored', note: NO_MJ },
  cref: { handling: 'refused', note: NEEDS_IMAGES },
  oref: { handling: 'refused', note: NEEDS_IMAGES },
  cw: { handling: 'ignored', note: 'only meaningful with --cref, which Image-1 refuses' },
  ow: { handling: 'ignored', note: 'only meaningful with --oref, which Image-1 refuses' },
  motion: { handling: 'refused', note: VIDEO_ONLY },
  end: { handling: 'refused', note: VIDEO_ONLY },
  loop: { handling: 'refused', note: VIDEO_ONLY },
  batchsize: { handling: 'refused', note: VIDEO_ONLY },
  hd: { handling: 'refused', note: 'Image-1 has no HD switch' },
});
