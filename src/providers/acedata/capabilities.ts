import { parameterTable } from '../prompt-support.js';
import type { Capabilities } from '../types.js';

/**
 * What AceDataCloud's Midjourney API offers, from its imagine/tasks guides and its MCP client
 * (see `shared/providers/CONTRACTS.md` §D). AceData drives the real Midjourney bot, so every
 * Midjourney button exists natively as an `action`; nothing is emulated.
 * https://platform.acedata.cloud/documents/e52c028d-897a-4d51-b110-60fccbe6118d
 */
export const ACEDATA_CAPABILITIES: Capabilities = {
  actions: {
    imagine: true,
    // U1–U4 on a grid are `upscale1..4`; on an upscaled image Midjourney offers `upscale_2x/_4x`.
    upscale: ['default'],
    upscaleAgain: ['2x', '4x'],
    // V1–V4 on a grid are `variation1..4` (Midjourney's "strong" variation); subtle exists only on an upscale.
    vary: ['strong'],
    varyOnUpscale: ['subtle', 'strong'],
    reroll: true,
    zoom: [2, 1.5],
    // AceData's action list has no custom zoom and no Make Square (MCP core/types.py): not offered.
    customZoom: false,
    square: false,
    pan: true,
    // `variation_region` exists, but the bot has no submit request for it yet (see the report).
    regionRedraw: false,
    // Image URLs at the start of the prompt: one is an image prompt, 2–5 are a blend.
    imageToImage: true,
    // Animate and Extend are `/midjourney/videos` (`generate` from the upscale's URL, `extend` by `video_id`).
    video: true,
    videoExtend: true,
    videoHd: false,
  },
  // AceData's request takes `prompt` with every action (its document lists no exception), as
  // Midjourney's own Remix sends the edited prompt with the button.
  remix: ['vary', 'reroll', 'zoom', 'pan'],
  emulated: {},
  // The imagine response and streamed/callback updates carry `progress` 0–100 and a preview
  // `image_url`; whether a polled task record shows them while running is not documented.
  progress: true,
  previews: true,
  callbacks: true,
  // AceData is synchronous by default (long-poll), but this adapter always asks for async.
  synchronous: false,
  translation: 'on-request',
  limits: {
    // AceData documents no limit; 6000 is the Discord option limit the Midjourney bot inherits.
    promptLength: 6000,
    versions: ['5.2', '6', '6.1', '7', '8', '8.1', '8.2', 'niji 5', 'niji 6', 'niji 7'],
    aspectRatios: 'any',
    speeds: ['fast', 'relax', 'turbo'],
    maxImagePrompts: 5,
  },
  timing: {
    typicalSeconds: { fast: 45, relax: 180, turbo: 20 },
    // The MCP client's guidance: poll every 15 s (generation usually takes 1–5 minutes).
    recommendedPollSeconds: 15,
  },
};

const INLINE = 'passed through in the prompt text to the Midjourney bot';
const VIDEO_ONLY = 'a video parameter; Animate on an upscale makes videos, and takes none from the prompt';

/**
 * How AceData treats each Midjourney parameter. The prompt goes to the real Midjourney bot, so
 * image parameters are native in the text; speed becomes AceData's `mode` field; video ones are refused
 * (videos come from the Animate buttons).
 */
export const ACEDATA_PARAMETERS = parameterTable({
  aspect: { handling: 'native', note: INLINE },
  chaos: { handling: 'native', note: INLINE },
  no: { handling: 'native', note: INLINE },
  profile: { handling: 'native', note: INLINE },
  quality: { handling: 'native', note: `${INLINE}; also sent as the \`quality\` field, which AceData bills by` },
  seed: { handling: 'native', note: INLINE },
  stop: { handling: 'native', note: INLINE },
  style: { handling: 'native', note: INLINE },
  stylize: { handling: 'native', note: INLINE },
  sref: { handling: 'native', note: `${INLINE}; also sets \`style_reference: true\`, which AceData bills by` },
  sw: { handling: 'native', note: INLINE },
  sv: { handling: 'native', note: INLINE },
  tile: { handling: 'native', note: INLINE },
  version: { handling: 'native', note: `${INLINE}; also sent as the \`version\` field, which AceData bills by` },
  niji: { handling: 'native', note: INLINE },
  draft: { handling: 'native', note: `${INLINE} (version 7 only)` },
  weird: { handling: 'native', note: INLINE },
  iw: { handling: 'native', note: INLINE },
  speed: { handling: 'mapped', note: 'sent as the `mode` field (fast, relax or turbo), not in the text' },
  exp: { handling: 'native', note: INLINE },
  cref: { handling: 'native', note: `${INLINE} (version 6 only; Midjourney refuses it elsewhere)` },
  oref: { handling: 'native', note: `${INLINE} (version 7 and later)` },
  cw: { handling: 'native', note: `${INLINE} (with --cref)` },
  ow: { handling: 'native', note: `${INLINE} (with --oref)` },
  motion: {
    handling: 'refused',
    note: 'motion is chosen with the Animate (High motion) and (Low motion) buttons on an upscale',
  },
  end: { handling: 'refused', note: VIDEO_ONLY },
  loop: { handling: 'refused', note: VIDEO_ONLY },
  batchsize: { handling: 'refused', note: VIDEO_ONLY },
  hd: { handling: 'mapped', note: 'the `hd` field for 2K output, with --v 8 or --v 8.1 only' },
});
