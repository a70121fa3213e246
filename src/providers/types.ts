import type { Dispatcher } from 'undici';
import type { ProviderId } from '../config.js';
import type { Logger } from '../logger.js';
import type { ParamName, ParsedPrompt, Speed } from '../prompt/types.js';
import type { FollowUp, JobActionKind, RemixAction, UpscaleType, VaryStrength, ZoomFactor } from '../jobs/follow-up.js';
import type { ProviderFailure } from './errors.js';

export type { ProviderId } from '../config.js';

export type { FollowUp, Motion, PanDirection, UpscaleType, VaryStrength, ZoomFactor } from '../jobs/follow-up.js';

export type RegionMaskForm = 'areas' | 'mask-url' | 'mask-upload';

/** The kinds of job a provider may run. */
export type ActionKind = JobActionKind;

/**
 * An image a task produced. Providers give URLs (which may expire) or bytes (Image-1's base64).
 * `rejected` marks an image the provider's own moderation withheld (Cloudsway `audits`, or an
 * empty URL): the bot shows a placeholder tile and disables its buttons.
 */
export type ResultImage =
  | { kind: 'url'; url: string; rejected?: false }
  | { kind: 'base64'; data: string; contentType: string; rejected?: false }
  | { kind: 'rejected'; reason?: string; rejected: true };

export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * What the provider says about a task, normalised. Submit, status and callbacks all produce it.
 * Indices throughout the bot are 1-based (U1–U4); adapters convert to each provider's base.
 */
export interface TaskUpdate {
  /** The provider's task id (for Image-1, which answers synchronously, a generated id). */
  taskId: string;
  state: TaskState;
  /** 0–100, when the provider reports a percentage. */
  progress?: number;
  /** The provider's own status words (e.g. "JobStatusQueued"), for display where no percent is given. */
  statusText?: string;
  /** A low-resolution preview the provider offers while running. */
  previewUrl?: string;
  /** Finished images in order: four for a grid, one for an upscale. */
  images?: ResultImage[];
  /** A ready-made 2×2 grid, when the provider returns one (AceData without split images). */
  gridImage?: ResultImage;
  /** Finished videos (Animate, Extend), as the provider's URLs in its order. */
  videos?: string[];
  seed?: string;
  /** Provider-specific handle needed by follow-ups (e.g. AceData's `image_id`). */
  handle?: string;
  /** Follow-ups the provider now offers on this task. Absent means "derive from capabilities". */
  followUps?: FollowUp[];
  /** Set when state is 'failed'. */
  failure?: ProviderFailure;
}

/** The parent a follow-up acts on (the grid for U/V/🔄, the upscale for Vary Strong or zoom). */
export interface ParentTask {
  action: ActionKind;
  taskId: string;
  handle?: string;
  prompt: ParsedPrompt;
  /** How many images the parent produced (4 for a grid, 1 for an upscale). */
  imageCount: number;
  /** How many videos the parent produced (an animation); 0 for images. */
  videoCount?: number;
  /** When the parent is itself a single image taken from a grid: the grid's task and index. */
  origin?: { taskId: string; handle?: string; index: number };
  /** Loads one of the parent's images as bytes (1-based), for adapters that emulate an action by editing it. */
  loadImage(index: number): Promise<{ bytes: Uint8Array; contentType: string }>;
  /** The provider's URL of one of the parent's images (1-based), for adapters that send an image by link. */
  imageUrl?(index: number): string | undefined;
}

/** What an adapter is asked to run: a new prompt, or a follow-up on a finished parent task. */
export type SubmitRequest = ImagineRequest | FollowUpRequest;
export interface ImagineRequest {
  prompt: ParsedPrompt;
  followUp?: undefined;
}
export interface FollowUpRequest {
  followUp: FollowUp;
  parent: ParentTask;
  /** The prompt as the member edited it in the Remix modal; only for actions in `capabilities.remix`. */
  remix?: ParsedPrompt;
}

export interface CallOptions {
  signal: AbortSignal;
  /** Where the provider should call back for this task; absent means "we will poll". */
  callbackUrl?: string;
  /**
   * Whether to ask the provider to translate a prompt that is not in English (the server's
   * /settings translate). Only providers whose `translation` is 'on-request' can be asked or not.
   */
  translate?: boolean;
  /** Animate: make an HD video (the server's /settings hd_video), where `actions.videoHd` says the provider can. */
  hdVideo?: boolean;
  logger?: Logger;
}

/** How a provider treats one Midjourney parameter. */
export interface ParamSupport {
  handling: 'native' | 'mapped' | 'ignored' | 'refused';
  /** For mapped: what it becomes; for ignored/refused: why. Shown in the README table. */
  note?: string;
}

/** The result of checking a prompt against what a provider can honour, before submitting. */
export type PromptCheck =
  /** `speed`: the speed the provider will really run, when it is not the one asked for (the message's tag shows it). */
  { ok: true; notices: string[]; speed?: Speed } | { ok: false; errors: { param?: string; message: string }[] };

/** What the bot may offer with a provider. The bot shows only what a provider can do. */
export interface Capabilities {
  actions: {
    imagine: true;
    /** Upscale types offered on a grid image (U1–U4 use the first). Empty: no upscale. */
    upscale: UpscaleType[];
    /** Upscale types offered on an already upscaled image (Upscale Subtle/Creative, 2x/4x). */
    upscaleAgain: UpscaleType[];
    /** Vary strengths offered on a grid image (V1–V4 use 'strong') and on an upscale. */
    vary: VaryStrength[];
    varyOnUpscale: VaryStrength[];
    reroll: boolean;
    /** Zoom Out buttons on an upscale. */
    zoom: ZoomFactor[];
    /** Custom Zoom on an upscale: a modal takes a factor in CUSTOM_ZOOM_RANGE. */
    customZoom: boolean;
    /** Make Square on an upscale that is not square. */
    square: boolean;
    pan: boolean;
    /**
     * Vary (Region) on an upscale, and the form the provider takes the region in: polygon areas,
     * a mask image at a URL it fetches (served by the bot, so only with a public URL), or a mask
     * image uploaded with the request. False: not offered.
     */
    regionRedraw: RegionMaskForm | false;
    imageToImage: boolean;
    /** Animate (High motion / Low motion) on an upscale. */
    video: boolean;
    /** Extend on an animation's videos. */
    videoExtend: boolean;
    /** Animate makes HD videos when the server asks (`/settings hd_video`); otherwise the provider's one kind. */
    videoHd: boolean;
  };
  /**
   * Follow-ups that take a new prompt (Remix): the adapter sends `FollowUpRequest.remix` with them.
   * A remixed V or 🔄 elsewhere runs as a new imagine of the edited prompt.
   */
  remix: readonly RemixAction[];
  /** Actions the adapter performs with other documented endpoints; the README says how. */
  emulated: Partial<Record<ActionKind, string>>;
  /** Percent progress while running. */
  progress: boolean;
  /** Preview images while running. */
  previews: boolean;
  /** Can call us back instead of being polled. */
  callbacks: boolean;
  /** Answers the submit with the finished images. */
  synchronous: boolean;
  /**
   * Prompts not in English: 'on-request' the provider translates when asked (the server's setting
   * decides), 'always' it reads or translates them on its own whatever is asked, 'none' it cannot.
   */
  translation: 'on-request' | 'always' | 'none';
  limits: {
    promptLength: number;
    versions: string[];
    /** Supported aspect ratios, or 'any' for any integer ratio. */
    aspectRatios: string[] | 'any';
    speeds: Speed[];
    maxImagePrompts: number;
  };
  /** Documented or typical timing, in seconds, that seeds the poller before it has learned. */
  timing: {
    typicalSeconds: Record<Speed, number>;
    /** The provider's recommended polling interval, if it documents one. */
    recommendedPollSeconds?: number;
  };
}

/** Constructor arguments every adapter takes. */
export interface AdapterOptions {
  baseUrl: string;
  key: string;
  endpointPath?: string;
  model?: string;
  dispatcher?: Dispatcher;
  logger: Logger;
  /** Timeouts in milliseconds; adapters apply sensible defaults. */
  timeouts?: { connect?: number; headers?: number; body?: number };
}

/** One provider behind one interface; one adapter per file in `src/providers/`. */
export interface ProviderAdapter {
  readonly id: ProviderId;
  readonly capabilities: Capabilities;
  /** How each Midjourney parameter is treated; generates the README's mapping table. */
  readonly parameters: Readonly<Record<ParamName, ParamSupport>>;
  /** Checks a prompt before submitting: refusals, and notices for parameters that will be ignored. */
  checkPrompt(prompt: ParsedPrompt): PromptCheck;
  /** Submits a task. Synchronous providers return the finished task. */
  submit(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate>;
  /** Asks the provider about a task. Safe to retry. */
  status(taskId: string, options: CallOptions): Promise<TaskUpdate>;
  /**
   * Four prompts that describe an image, numbered 1–4 as Midjourney's /describe gives them, without
   * their numbers. Absent where the provider has no describe endpoint.
   */
  describe?(imageUrl: string, options: CallOptions): Promise<string[]>;
  /** Shorter versions of a prompt, as Midjourney's /shorten gives them. Absent where the provider has none. */
  shorten?(prompt: string, options: CallOptions): Promise<string[]>;
  /**
   * The seed of a finished image task, for a provider that gives it on request rather than with the
   * result (AceData's `/midjourney/seed`). Absent where the provider has no such endpoint.
   */
  seed?(task: { taskId: string; handle?: string }, options: CallOptions): Promise<string>;
  /** Parses a callback body into an update; throws a ProviderError('invalid_input') on a body it does not recognise. */
  parseCallback?(body: unknown): TaskUpdate;
}
