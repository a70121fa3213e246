import { parameterTable } from '../prompt-support.js';
import type { Capabilities } from '../types.js';
import { APIXO_ASPECTS, APIXO_VERSION_NAMES } from './request.js';

/**
 * What APIXO's Midjourney API offers (https://apixo.ai/docs/models/image/midjourney, CONTRACTS.md §C).
 * Follow-ups take the parent task id and an image index; nothing reports progress.
 */
/** Outpaints with `upload-paint`: APIXO's own Outpaint is "contact us to enable". */
const UPLOAD_PAINT =
  'an `upload-paint` task with the upscaled image at `imgPos` on a larger `canvas`, `mask.areas` covering the new part, and the parent’s prompt (APIXO’s own Outpaint is "contact us to enable")';

export const APIXO_CAPABILITIES: Capabilities = {
  actions: {
    imagine: true,
    // `mode: upscale` with `type` 0 Standard HD, 1 Creative HD, 2 2x HD, 3 4x HD; U1–U4 use Standard.
    upscale: ['default', 'creative', '2x', '4x'],
    // On an upscale, the other types are run on the grid image it came from (see followUpTarget).
    upscaleAgain: ['creative', '2x', '4x'],
    // `mode: vary` with `type` 1 strong / 0 subtle; on an upscale, again via the grid image.
    vary: ['strong', 'subtle'],
    varyOnUpscale: ['strong', 'subtle'],
    reroll: true,
    // Zoom out, Custom Zoom, Make Square and pan are outpaints made with `upload-paint` (see emulated).
    zoom: [2, 1.5],
    customZoom: true,
    square: true,
    pan: true,
    // `upload-paint` with `mask.areas` on the image's own frame (canvas = imgPos); no public URL needed.
    regionRedraw: 'areas',
    imageToImage: true,
    video: false,
    videoExtend: false,
    videoHd: false,
  },
  // `vary` documents its own `prompt`; 🔄 with an edited prompt is a new task of that prompt.
  remix: ['vary', 'reroll'],
  emulated: {
    zoom: `Zoom Out and Custom Zoom are ${UPLOAD_PAINT}; the canvas is the factor times the image each way, the image centred.`,
    pan: `A pan is ${UPLOAD_PAINT}; the canvas is half as wide (or tall) again, the image at the far edge.`,
    square: `Make Square is ${UPLOAD_PAINT}; the canvas is a square on the image’s longer side, the image centred.`,
    reroll:
      'Submits the parent prompt again as a new text-to-image (or image-to-image) task. APIXO’s own `reroll` mode is only in the newer doc revision ("contact us to enable" in the older one); the `reroll: native` setting uses it.',
  },
  progress: false,
  previews: false,
  callbacks: true,
  synchronous: false,
  translation: 'on-request',
  limits: {
    promptLength: 2000,
    versions: APIXO_VERSION_NAMES,
    aspectRatios: [...APIXO_ASPECTS],
    // --relax is accepted and runs as fast (a notice says so).
    speeds: ['fast', 'turbo', 'relax'],
    // The image-to-image mode gives no maximum ("1–2 recommended"); the newer revision allows up to
    // 20 image prompts on text-to-image. Five keeps the bot well inside both.
    maxImagePrompts: 5,
  },
  timing: {
    // "fast ~30–45 s, turbo ~15–25 s"; relax runs as fast. The doc's recipe is "wait 20 s, then
    // poll every 3 s" (the first wait has no field here; the poller's typical times cover it).
    typicalSeconds: { fast: 38, turbo: 20, relax: 38 },
    recommendedPollSeconds: 3,
  },
};

const CUT = 'APIXO takes structured fields only and cuts the prompt at the first "--", so it cannot be passed';

/** How APIXO treats each Midjourney parameter; anything not listed is refused. */
export const APIXO_PARAMETERS = parameterTable(
  {
    aspect: {
      handling: 'mapped',
      note: '`aspect_ratio` (or `aspect`); other ratios become the nearest of the 11 APIXO offers',
    },
    chaos: { handling: 'mapped', note: '`variety` (or `chaos`), 0–100' },
    stylize: { handling: 'mapped', note: '`stylization` (or `stylize`), 0–1000' },
    weird: { handling: 'mapped', note: '`weirdness` (or `weird`), 0–3000' },
    version: { handling: 'mapped', note: '`version` v6, v6.1 or v7' },
    niji: { handling: 'mapped', note: '`version` "niji 6" or "niji 7"' },
    speed: { handling: 'mapped', note: '`speed` fast or turbo; --relax runs as fast' },
    iw: { handling: 'ignored', note: 'no image-weight field' },
    seed: { handling: 'ignored', note: 'no seed field' },
    quality: { handling: 'ignored', note: 'no quality field' },
    stop: { handling: 'ignored', note: 'no stop field' },
    style: { handling: 'ignored', note: 'no style field' },
    exp: { handling: 'ignored', note: 'no exp field' },
    draft: { handling: 'ignored', note: 'draft mode is not offered in both doc revisions' },
    sw: { handling: 'ignored', note: 'style references are not offered' },
    sv: { handling: 'ignored', note: 'style references are not offered' },
    cw: { handling: 'ignored', note: 'character references are not offered' },
    ow: { handling: 'ignored', note: 'omni references are not offered' },
    no: { handling: 'refused', note: CUT },
    profile: { handling: 'refused', note: CUT },
    sref: { handling: 'refused', note: 'no style-reference field' },
    cref: { handling: 'refused', note: 'no character-reference field' },
    oref: { handling: 'refused', note: 'no omni-reference field' },
    tile: { handling: 'refused', note: CUT },
    hd: { handling: 'refused', note: 'APIXO has no HD field, and no version 8' },
  },
  { handling: 'refused', note: 'video is not offered by this adapter' },
);
