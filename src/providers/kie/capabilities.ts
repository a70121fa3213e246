import { parameterTable } from '../prompt-support.js';
import type { Capabilities } from '../types.js';
import { KIE_ASPECTS, KIE_VERSION_NAMES } from './request.js';

/**
 * What Kie.ai's Midjourney API offers (https://docs.kie.ai/mj-api/generate-mj-image and its
 * upscale/vary pages; CONTRACTS.md §E). Upscale and vary take a grid task and an image index, with
 * no type or strength; there is no reroll endpoint.
 */
export const KIE_CAPABILITIES: Capabilities = {
  actions: {
    imagine: true,
    upscale: ['default'],
    // generateUpscale takes a grid task only; there is nothing more to offer on an upscale.
    upscaleAgain: [],
    // generateVary has no strength; Midjourney's V buttons are the strong variation.
    vary: ['strong'],
    // Vary on an upscale goes through the grid image it came from (the same picture).
    varyOnUpscale: ['strong'],
    reroll: true,
    zoom: [],
    // Kie documents no outpainting or image edit to build zoom, pan or Make Square from.
    customZoom: false,
    square: false,
    pan: false,
    regionRedraw: false,
    imageToImage: true,
    // Animate is taskType mj_video with the upscale's URL in `fileUrls`; Extend is generateVideoExtend.
    video: true,
    videoExtend: true,
    // taskType mj_video_hd: same body as mj_video (one fileUrl, motion, videoBatchSize). Kie's newer
    // generate page and public clients list it (CONTRACTS.md §E); the older snapshot in
    // kie-midjourney.txt does not. On Midjourney, HD video is a setting (SD or HD, and HD costs
    // more), not a prompt parameter: its --hd means 2K images on V8. So the server chooses it, with
    // /settings hd_video, and the Animate buttons stay High and Low motion.
    videoHd: true,
  },
  // generateVary takes no prompt, so a remixed V runs as a new imagine; 🔄 is one already.
  remix: ['reroll'],
  emulated: {
    reroll: 'Kie has no reroll endpoint: the parent prompt is submitted again as a new generate task.',
  },
  progress: false,
  previews: false,
  callbacks: true,
  synchronous: false,
  translation: 'on-request',
  limits: {
    promptLength: 2000,
    versions: KIE_VERSION_NAMES,
    aspectRatios: [...KIE_ASPECTS],
    speeds: ['fast', 'relax', 'turbo'],
    // `fileUrls` has no documented maximum; five keeps requests modest.
    maxImagePrompts: 5,
  },
  timing: {
    typicalSeconds: { fast: 40, turbo: 20, relax: 120 },
    // The callback page recommends polling every 30 s when not using callbacks.
    recommendedPollSeconds: 30,
  },
};

/** Kie makes videos from one image, so motion is chosen where the image is: on the upscale's buttons. */
const VIDEO_BUTTONS = 'motion is chosen with the Animate (High motion) and (Low motion) buttons on an upscale';
const FIELDS_ONLY = 'Kie takes structured fields only, and has no field for it';

/** How Kie treats each Midjourney parameter; anything not listed is refused. */
export const KIE_PARAMETERS = parameterTable(
  {
    aspect: { handling: 'mapped', note: '`aspectRatio`; other ratios become the nearest of the 11 Kie offers' },
    chaos: { handling: 'mapped', note: '`variety`, rounded to a multiple of 5' },
    stylize: { handling: 'mapped', note: '`stylization`, 0–1000' },
    weird: { handling: 'mapped', note: '`weirdness`, 0–3000' },
    version: { handling: 'mapped', note: '`version` "7", "6.1", "6", "5.2" or "5.1"' },
    niji: { handling: 'mapped', note: '`version` "niji6" or "niji7"' },
    speed: { handling: 'mapped', note: '`speed` fast, turbo or relaxed (not sent with --oref)' },
    sref: {
      handling: 'mapped',
      note: 'image URLs become taskType mj_style_reference with `fileUrls`; style codes are refused',
    },
    oref: { handling: 'mapped', note: 'one image URL becomes taskType mj_omni_reference with `fileUrls`' },
    ow: { handling: 'mapped', note: '`ow`, with --oref only' },
    iw: { handling: 'ignored', note: 'no image-weight field' },
    sw: { handling: 'ignored', note: 'no style-weight field' },
    sv: { handling: 'ignored', note: 'no style-version field' },
    seed: { handling: 'ignored', note: 'no seed field' },
    quality: { handling: 'ignored', note: 'no quality field' },
    stop: { handling: 'ignored', note: 'no stop field' },
    style: { handling: 'ignored', note: 'no style field' },
    exp: { handling: 'ignored', note: 'no exp field' },
    draft: { handling: 'ignored', note: 'no draft field' },
    cw: { handling: 'ignored', note: 'character references are not offered' },
    no: { handling: 'refused', note: FIELDS_ONLY },
    profile: { handling: 'refused', note: FIELDS_ONLY },
    tile: { handling: 'refused', note: FIELDS_ONLY },
    cref: { handling: 'refused', note: 'character references are not offered; --oref is' },
    motion: { handling: 'refused', note: VIDEO_BUTTONS },
    end: { handling: 'refused', note: 'a video parameter; mj_video has no end-frame field' },
    loop: { handling: 'refused', note: 'a video parameter; mj_video has no loop field' },
    batchsize: { handling: 'refused', note: 'a video parameter; Animate always asks Kie for one video' },
    hd: { handling: 'refused', note: 'Kie has no HD field for images, and no version 8' },
  },
  { handling: 'refused', note: 'not offered by Kie' },
);
