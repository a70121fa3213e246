import { promptOf } from './submit-request.js';
import { randomUUID } from 'node:crypto';
import { FormData } from 'undici';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ParamName, ParsedPrompt } from '../prompt/types.js';
import { cloudswayBaseUrl } from './cloudsway/base-url.js';
import { cloudswayError, cloudswayErrorMapper, readErrorBody } from './cloudsway/errors.js';
import { CLOUDSWAY_IMAGE_CAPABILITIES, CLOUDSWAY_IMAGE_PARAMETERS } from './cloudsway-image/capabilities.js';
import { outpaintPlan, regionPlan, varyPlan, type EditPlan } from './cloudsway-image/edits.js';
import { generationBody } from './cloudsway-image/request.js';
import { toResultImages } from './cloudsway-image/response.js';
import { imagesResponseSchema } from './cloudsway-image/schemas.js';
import { ProviderError } from './errors.js';
import { bearerHttp, type ProviderHttp } from './http.js';
import { checkPromptSupport } from './prompt-support.js';
import type {
  AdapterOptions,
  CallOptions,
  ParentTask,
  PromptCheck,
  ProviderAdapter,
  SubmitRequest,
  TaskUpdate,
} from './types.js';

const PROVIDER = 'cloudsway-image';
const NAME = 'Cloudsway Image-1';
const GRID = 4;
/** Cloudsway's page for `/images/generations` and `/images/edits`. */
export const CLOUDSWAY_IMAGE_DOCS = 'https://docs.cloudsway.net/maasapi/api-reference/image/gpt-image-1';
/**
 * One request holds until every image is drawn: four high-quality images can take minutes, far
 * beyond ProviderHttp's 30-second default for the first byte.
 */
const DEFAULT_TIMEOUTS = { headers: 240_000, body: 120_000 };
/** Parameters the shared check would judge against Midjourney versions and speeds; here they are only ignored. */
const NOT_CHECKED: ParamName[] = ['version', 'niji', 'speed'];

/**
 * Cloudsway MaaS Image-1 (gpt-image-1): synchronous, base64 images. A grid is `n = 4`;
 * upscale, vary and reroll are emulated (see `capabilities.emulated`).
 */
export class CloudswayImageAdapter implements ProviderAdapter {
  readonly id = PROVIDER;
  readonly capabilities = CLOUDSWAY_IMAGE_CAPABILITIES;
  readonly parameters = CLOUDSWAY_IMAGE_PARAMETERS;
  private readonly http: ProviderHttp;
  private readonly logger: Logger;
  private readonly model: string;

  constructor(options: AdapterOptions) {
    this.logger = options.logger;
    this.model = options.model ?? 'gpt-image-1';
    this.http = bearerHttp(PROVIDER, options, cloudswayErrorMapper(PROVIDER), {
      baseUrl: cloudswayBaseUrl(options.baseUrl, options.endpointPath),
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    });
  }

  /**
   * Refuses what Image-1 cannot honour and lists what it ignores. `--v`, `--niji` and the speeds
   * are taken out before the shared check (which would hold them against Midjourney's lists) and
   * reported as ignored.
   */
  checkPrompt(prompt: ParsedPrompt): PromptCheck {
    const params = { ...prompt.params };
    for (const name of NOT_CHECKED) delete params[name];
    const check = checkPromptSupport({ ...prompt, params }, this.parameters, this.capabilities, NAME);
    if (!check.ok) return check;
    const notices = NOT_CHECKED.flatMap((name) => {
      const value = prompt.params[name];
      if (value === undefined || (name === 'speed' && value === 'fast')) return [];
      const flag = name === 'speed' ? `--${String(value)}` : `--${name}`;
      return [`${flag} is ignored by ${NAME}: ${this.parameters[name].note ?? 'not applicable'}.`];
    });
    // One speed: whatever was asked, this is how fast it runs.
    return { ok: true, notices: [...check.notices, ...notices], speed: 'fast' };
  }

  /**
   * Imagine and reroll: `POST /images/generations` with n = 4. Vary: `POST /images/edits` of the
   * chosen image; Vary (Region) the same with a mask; zoom, pan and Make Square an edit of a padded
   * canvas with a mask. Upscale: the chosen image itself, no call. Documented at {@link CLOUDSWAY_IMAGE_DOCS}.
   */
  async submit(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate> {
    const update = await this.run(request, options);
    (options.logger ?? this.logger).debug(
      {
        provider: PROVIDER,
        action: request.followUp?.action ?? 'imagine',
        taskId: update.taskId,
        images: update.images?.length,
      },
      'cloudsway-image task done',
    );
    return update;
  }

  /** Image-1 answers every call with its finished images; there is nothing to ask about later. */
  status(taskId: string, _options: CallOptions): Promise<TaskUpdate> {
    return Promise.reject(
      new ProviderError(
        'unsupported',
        `${PROVIDER} status ${taskId}: Image-1 is synchronous and has no task status endpoint; the submit answer is final`,
        {
          userMessage: `${NAME} finishes images in one call; there is no task to look up.`,
        },
      ),
    );
  }

  private async run(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate> {
    if (!request.followUp) return this.generate(request.prompt, options);
    const { followUp, parent } = request;
    switch (followUp.action) {
      case 'reroll':
        return this.generate(promptOf(request), options);
      case 'upscale': {
        if (followUp.type !== 'default' || isSingleImage(parent)) {
          throw unsupported(
            `upscale ${followUp.type}`,
            `${NAME} has no upscaler; it can only take one image out of a grid.`,
          );
        }
        const image = await parent.loadImage(imageIndex(parent, followUp.index));
        return {
          taskId: newTaskId(),
          state: 'succeeded',
          images: [
            { kind: 'base64', data: Buffer.from(image.bytes).toString('base64'), contentType: image.contentType },
          ],
        };
      }
      case 'vary': {
        const image = await parent.loadImage(imageIndex(parent, followUp.index));
        return this.edit(varyPlan(image, promptOf(request), followUp.strength), options);
      }
      case 'zoom':
      case 'pan':
      case 'square': {
        const source = await parent.loadImage(upscaleIndex(parent, followUp));
        return this.edit(await outpaintPlan(source, followUp, promptOf(request)), options);
      }
      case 'region': {
        const source = await parent.loadImage(upscaleIndex(parent, followUp));
        return this.edit(await regionPlan(source, followUp, parent.prompt), options);
      }
      case 'animate':
      case 'extend':
        throw unsupported(followUp.action, `${NAME} cannot make videos.`);
    }
  }

  private async generate(prompt: ParsedPrompt, options: CallOptions): Promise<TaskUpdate> {
    const check = this.checkPrompt(prompt);
    if (!check.ok) {
      const message = check.errors.map((error) => error.message).join(' ');
      throw new ProviderError(
        'invalid_input',
        `${PROVIDER} POST /images/generations: prompt refused before sending: ${message}`,
        { userMessage: message },
      );
    }
    const body = await this.call('/images/generations', { json: generationBody(prompt, this.model, GRID) }, options);
    return { taskId: newTaskId(), state: 'succeeded', images: toResultImages(body, GRID) };
  }

  /** `POST /images/edits` (multipart) of the plan's image and mask, n = 4. */
  private async edit(plan: EditPlan, options: CallOptions): Promise<TaskUpdate> {
    const form = new FormData();
    const { bytes, contentType } = plan.image;
    const extension = contentType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png';
    form.append('image', new Blob([Buffer.from(bytes)], { type: contentType }), `image.${extension}`);
    if (plan.mask) form.append('mask', new Blob([plan.mask], { type: 'image/png' }), 'mask.png');
    form.append('prompt', plan.prompt);
    form.append('model', this.model);
    form.append('n', String(GRID));
    form.append('size', plan.size);
    if (plan.quality) form.append('quality', plan.quality);
    const body = await this.call('/images/edits', { form }, options);
    return { taskId: newTaskId(), state: 'succeeded', images: await plan.finish(toResultImages(body, GRID)) };
  }

  /** One POST; the answer must carry images (a 200 carrying an error body is that error). */
  private async call(path: string, payload: { json: unknown } | { form: FormData }, options: CallOptions) {
    const label = `${PROVIDER} POST ${path}`;
    const body = await this.http.send({
      method: 'POST',
      path,
      ...payload,
      schema: z.unknown(),
      kind: 'submit',
      signal: options.signal,
    });
    const parsed = imagesResponseSchema.safeParse(body);
    if (parsed.success) return parsed.data;
    const facts = readErrorBody(body);
    if (facts) throw cloudswayError(label, facts);
    throw new ProviderError('unknown', `${label}: the answer carries no images`, {
      providerMessage: JSON.stringify(body)?.slice(0, 300),
    });
  }
}

function isSingleImage(parent: ParentTask): boolean {
  return parent.imageCount === 1 || parent.action === 'upscale';
}

/** The upscale an outpaint or Vary (Region) works on: they act on one image, not a grid. */
function upscaleIndex(parent: ParentTask, followUp: { action: string; index: number }): number {
  if (!isSingleImage(parent)) {
    throw unsupported(
      `${followUp.action} on a grid`,
      'Upscale an image first: zoom, pan, Make Square and Vary (Region) act on one image.',
    );
  }
  return imageIndex(parent, followUp.index);
}

/** The 1-based index `loadImage` takes, checked against the parent. */
function imageIndex(parent: ParentTask, index: number): number {
  const count = isSingleImage(parent) ? 1 : parent.imageCount;
  if (!Number.isInteger(index) || index < 1 || index > count) {
    throw new ProviderError(
      'invalid_input',
      `${PROVIDER}: image ${index} does not exist on a parent of ${count} image(s)`,
      {
        userMessage: `There is no image ${index} to work on here.`,
      },
    );
  }
  return index;
}

function newTaskId(): string {
  return `cwi-${randomUUID()}`;
}

function unsupported(what: string, userMessage: string): ProviderError {
  return new ProviderError('unsupported', `${PROVIDER}: ${what} is not offered`, { userMessage });
}
