import { parameterTable } from '../prompt-support.js';
import type { Capabilities } from '../types.js';

/**
 * What Cloudsway MaaS-MJ offers, from its page (https://docs.cloudsway.net/maasapi/api-reference/image/mj)
 * and the Youchuan upstream it re-skins (CONTRACTS.md §A). Cloudsway documents only diffusion,
 * upscale, inpaint ("Region Redraw") and the job query; the upstream's variation, reroll, pan and
 * outpaint routes are UNKNOWN on Cloudsway, so by default this adapter does not call them (see
 * {@link cloudswayMjCapabilities} for the opt-in to pan and outpaint).
 */
export const CLOUDSWAY_MJ_CAPABILITIES: Capabilities = {
  actions: {
    imagine: true,
    // `/tob/upscale` types 0 (subtle) and 1 (creative), documented for v6, v6.1, v7 and niji 6.
    // Upstream's 2 and 3 (v5_2x, v5_4x) are absent from Cloudsway's enum and v5 is not offered,
    // so they are not declared. U1–U4 use the first type.
    upscale: ['subtle', 'creative'],
    // Youchuan refuses a second upscale (`Job_ReUpscale_Not_Support`): on an upscale, both types
    // are the native `/tob/upscale` of the grid image it came from, as Midjourney's buttons are.
    upscaleAgain: ['subtle', 'creative'],
    // Emulated with a whole-frame region redraw, which has no strength: it is a strong variation.
    vary: ['strong'],
    varyOnUpscale: ['strong'],
    reroll: true,
    // Only with the upstream outpaint setting (cloudswayMjCapabilities): the routes are not on Cloudsway's page.
    zoom: [],
    customZoom: false,
    // Youchuan documents no Make Square: `/tob/outpaint` takes one scale for both sides.
    square: false,
    pan: false,
    // `/tob/inpaint` ("Region Redraw"): one `mask.areas` polygon per drawn shape, and the prompt as `remixPrompt`.
    regionRedraw: 'areas',
    // Image URLs at the start of `text` are image prompts (a blend when there are several).
    imageToImage: true,
    // Video exists upstream only (`/tob/video-diffusion`), not on Cloudsway's page.
    video: false,
    videoExtend: false,
    videoHd: false,
  },
  // Vary is a redraw whose `remixPrompt` is the edited prompt; 🔄 a new diffusion of it.
  remix: ['vary', 'reroll'],
  emulated: {
    vary: 'Vary is a region redraw (`/tob/inpaint`) of the chosen image with one mask area covering the whole frame and the parent prompt’s text as the remix prompt; Cloudsway documents no variation endpoint, and a redraw has no strength setting, so only Vary (Strong) is offered.',
    reroll:
      'Reroll submits the parent’s prompt again as a new `/tob/diffusion` job; Cloudsway documents no reroll endpoint.',
  },
  // Cloudsway documents no progress; an undocumented `progress` field is still read when it appears.
  progress: false,
  previews: false,
  // Youchuan bodies accept `callback`, but Cloudsway documents neither the field nor the payload.
  callbacks: false,
  synchronous: false,
  // Cloudsway's own examples are Chinese prompts: Youchuan translates them itself.
  translation: 'always',
  limits: {
    // `text` is 1–8192 characters, image URLs and flags included; checkPrompt measures the rendered text.
    promptLength: 8192,
    // The versions Cloudsway's upscale enum names; others could not be upscaled (or, v8.1, redrawn).
    versions: ['6', '6.1', '7', 'niji 6'],
    aspectRatios: 'any',
    speeds: ['fast', 'relax', 'turbo'],
    // Midjourney blends at most five images; Cloudsway states no number.
    maxImagePrompts: 5,
  },
  timing: {
    // Typical Midjourney timings per speed; Cloudsway documents none and no polling interval.
    typicalSeconds: { fast: 40, relax: 120, turbo: 20 },
  },
};

/**
 * The capabilities of one adapter instance. With `upstreamOutpaint` (CLOUDSWAY_MJ_UPSTREAM_OUTPAINT)
 * an upscale also offers Youchuan's `/tob/outpaint` (Zoom Out 2x and 1.5x, and Custom Zoom, since
 * its `scale` takes 1.1–2.0) and `/tob/pan` (the four pans); both take a `remixPrompt`, so Remix
 * sends the edited prompt with them.
 */
export function cloudswayMjCapabilities(upstreamOutpaint: boolean): Capabilities {
  if (!upstreamOutpaint) return CLOUDSWAY_MJ_CAPABILITIES;
  const { actions, remix } = CLOUDSWAY_MJ_CAPABILITIES;
  return {
    ...CLOUDSWAY_MJ_CAPABILITIES,
    actions: { ...actions, zoom: [2, 1.5], customZoom: true, pan: true },
    remix: [...remix, 'zoom', 'pan'],
  };
}

const IN_TEXT = 'written into `text` as a --flag';
const VIDEO_ONLY = 'it is a video parameter, and this bot makes still images with Cloudsway';

/** How MaaS-MJ treats each Midjourney parameter: the table on Cloudsway's page, flags in `text`. */
export const CLOUDSWAY_MJ_PARAMETERS = parameterTable({
  aspect: { handling: 'native', note: `${IN_TEXT} (integer ratios only)` },
  chaos: { handling: 'native', note: IN_TEXT },
  no: { handling: 'native', note: IN_TEXT },
  profile: { handling: 'refused', note: 'Cloudsway does not offer personalization profiles yet' },
  quality: { handling: 'native', note: IN_TEXT },
  seed: { handling: 'native', note: IN_TEXT },
  stop: { handling: 'native', note: IN_TEXT },
  style: { handling: 'native', note: IN_TEXT },
  stylize: { handling: 'native', note: IN_TEXT },
  sref: { handling: 'native', note: IN_TEXT },
  sw: { handling: 'native', note: IN_TEXT },
  sv: { handling: 'native', note: IN_TEXT },
  tile: { handling: 'native', note: IN_TEXT },
  version: { handling: 'native', note: IN_TEXT },
  niji: { handling: 'native', note: IN_TEXT },
  draft: { handling: 'native', note: `${IN_TEXT} (version 7 only)` },
  weird: { handling: 'native', note: IN_TEXT },
  iw: { handling: 'native', note: IN_TEXT },
  speed: { handling: 'native', note: `${IN_TEXT} (--fast, --relax or --turbo)` },
  exp: { handling: 'native', note: IN_TEXT },
  cref: { handling: 'native', note: IN_TEXT },
  oref: { handling: 'native', note: IN_TEXT },
  cw: { handling: 'native', note: IN_TEXT },
  ow: { handling: 'native', note: IN_TEXT },
  motion: { handling: 'refused', note: VIDEO_ONLY },
  end: { handling: 'refused', note: VIDEO_ONLY },
  loop: { handling: 'refused', note: VIDEO_ONLY },
  batchsize: { handling: 'refused', note: VIDEO_ONLY },
  hd: { handling: 'refused', note: "not in Cloudsway's parameter table, and no version 8" },
});

/** The README's note on the opt-in, beside the capability table. */
export const CLOUDSWAY_MJ_UPSTREAM_OUTPAINT_NOTE =
  'with `CLOUDSWAY_MJ_UPSTREAM_OUTPAINT=true`, Zoom Out and Custom Zoom are Youchuan’s `/tob/outpaint` (`scale` = the factor, 1.1–2) and the pans its `/tob/pan` (`direction`, `scale` 1.5), with a Remix edit as `remixPrompt`. Cloudsway’s page does not document these routes: where Cloudsway lacks them (HTTP 404), the job fails and the member reads that this server’s image service does not offer that action. Youchuan documents no Make Square.';
