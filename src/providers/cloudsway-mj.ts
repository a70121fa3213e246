import { promptOf } from './submit-request.js';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ParsedPrompt } from '../prompt/types.js';
import { cloudswayBaseUrl } from './cloudsway/base-url.js';
import { cloudswayError, cloudswayErrorMapper, readErrorBody } from './cloudsway/errors.js';
import { cloudswayMjCapabilities, CLOUDSWAY_MJ_PARAMETERS } from './cloudsway-mj/capabilities.js';
import { unexpectedBodyError } from './cloudsway-mj/failures.js';
import { jobToUpdate } from './cloudsway-mj/response.js';
import { mjJobSchema, type MjJob } from './cloudsway-mj/schemas.js';
import {
  diffusionText,
  regionMask,
  remixPrompt,
  UPSCALE_TYPE_CODES,
  upstreamOutpaint,
  wholeFrameMask,
} from './cloudsway-mj/request.js';
import { followUpName, type FollowUpOf } from '../jobs/follow-up.js';
import { ProviderError } from './errors.js';
import { bearerHttp, type ProviderHttp } from './http.js';
import { checkPromptSupport } from './prompt-support.js';
import type {
  AdapterOptions,
  CallOptions,
  Capabilities,
  FollowUpRequest,
  ParentTask,
  PromptCheck,
  ProviderAdapter,
  SubmitRequest,
  TaskUpdate,
} from './types.js';

const PROVIDER = 'cloudsway-mj';
const NAME = 'Cloudsway MaaS-MJ';
/** Cloudsway's page for every endpoint used here. */
export const CLOUDSWAY_MJ_DOCS = 'https://docs.cloudsway.net/maasapi/api-reference/image/mj';

/** What the admin chose for what Cloudsway's page leaves UNKNOWN (CONTRACTS.md §A). */
export interface CloudswayMjSettings {
  /** Zoom out and pan through Youchuan's `/tob/outpaint` and `/tob/pan` (CLOUDSWAY_MJ_UPSTREAM_OUTPAINT). */
  upstreamOutpaint: boolean;
}

/**
 * Cloudsway MaaS-MJ: Midjourney through Youchuan's "tob" API. Async jobs, polled; prompt
 * parameters travel as `--flags` inside `text`; results are four separate image URLs with a
 * moderation verdict per image. See CONTRACTS.md §A for what is known beyond the page.
 */
export class CloudswayMjAdapter implements ProviderAdapter {
  readonly id = PROVIDER;
  readonly capabilities: Capabilities;
  readonly parameters = CLOUDSWAY_MJ_PARAMETERS;
  private readonly http: ProviderHttp;
  private readonly logger: Logger;

  constructor(options: AdapterOptions, settings: Partial<CloudswayMjSettings> = {}) {
    this.capabilities = cloudswayMjCapabilities(settings.upstreamOutpaint === true);
    this.logger = options.logger;
    this.http = bearerHttp(PROVIDER, options, cloudswayErrorMapper(PROVIDER), {
      baseUrl: cloudswayBaseUrl(options.baseUrl, options.endpointPath),
    });
  }

  /** Checks a prompt against Cloudsway's parameter list; the 8192-character limit applies to the whole `text`. */
  checkPrompt(prompt: ParsedPrompt): PromptCheck {
    const check = checkPromptSupport(prompt, this.parameters, this.capabilities, NAME);
    const length = diffusionText(prompt, this.parameters).length;
    const { promptLength } = this.capabilities.limits;
    if (length <= promptLength || prompt.text.length > promptLength) return check;
    const error = {
      message: `The prompt with its image links and parameters is ${length} characters; ${NAME} accepts at most ${promptLength}.`,
    };
    return check.ok ? { ok: false, errors: [error] } : { ok: false, errors: [...check.errors, error] };
  }

  /**
   * Submits a job: imagine and reroll are `POST /tob/diffusion`, upscale is `POST /tob/upscale`,
   * vary is a whole-frame `POST /tob/inpaint` (see `capabilities.emulated`). Indices are 1-based
   * here and `imageNo` 0–3 there. Documented at {@link CLOUDSWAY_MJ_DOCS}; with the upstream
   * outpaint setting, zoom and pan are Youchuan's `POST /tob/outpaint` and `POST /tob/pan`.
   */
  async submit(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate> {
    const update = await this.submitJob(request, options);
    (options.logger ?? this.logger).debug(
      { provider: PROVIDER, action: request.followUp?.action ?? 'imagine', taskId: update.taskId, state: update.state },
      'cloudsway-mj job submitted',
    );
    return update;
  }

  /** Reads a job with `GET /tob/job/{jobId}`; safe to repeat. Documented at {@link CLOUDSWAY_MJ_DOCS}. */
  async status(taskId: string, options: CallOptions): Promise<TaskUpdate> {
    return jobToUpdate(await this.call('GET', `/tob/job/${encodeURIComponent(taskId)}`, undefined, options));
  }

  private async submitJob(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate> {
    if (!request.followUp) return this.diffusion(request.prompt, options);
    const { followUp, parent } = request;
    switch (followUp.action) {
      case 'reroll':
        return this.diffusion(promptOf(request), options);
      case 'upscale': {
        const type = UPSCALE_TYPE_CODES[followUp.type];
        if (type === undefined || !this.capabilities.actions.upscale.includes(followUp.type)) {
          throw unsupported(`upscale type ${followUp.type}`, `${NAME} offers only the subtle and creative upscales.`);
        }
        // An upscale cannot be upscaled again (Job_ReUpscale_Not_Support): Upscale (Subtle) or
        // (Creative) on one upscales the grid image it came from, as Midjourney's buttons do.
        const target = isSingleImage(parent)
          ? parent.origin && { jobId: parent.origin.taskId, imageNo: parent.origin.index - 1 }
          : { jobId: parent.taskId, imageNo: imageNumber(parent, followUp.index) };
        if (!target) {
          throw unsupported('upscale of an upscale', 'The grid this image came from is no longer known.');
        }
        return jobToUpdate(await this.call('POST', '/tob/upscale', { ...target, type }, options));
      }
      case 'vary': {
        if (followUp.strength !== 'strong') {
          throw unsupported(
            `vary ${followUp.strength}`,
            `${NAME} offers only Vary (Strong), made as a redraw of the whole image.`,
          );
        }
        const body = {
          jobId: parent.taskId,
          imageNo: imageNumber(parent, followUp.index),
          mask: wholeFrameMask(parent.prompt.params.aspect, isSingleImage(parent)),
          ...optional('remixPrompt', remixPrompt(promptOf(request))),
        };
        return jobToUpdate(await this.call('POST', '/tob/inpaint', body, options));
      }
      case 'region': {
        // The member's words when they gave some, else the parent's, as Midjourney's Vary (Region) does.
        const body = {
          jobId: parent.taskId,
          imageNo: imageNumber(parent, followUp.index),
          mask: regionMask(followUp.area, parent.prompt.params.aspect, isSingleImage(parent)),
          ...optional('remixPrompt', followUp.prompt?.slice(0, 8192) ?? remixPrompt(parent.prompt)),
        };
        return jobToUpdate(await this.call('POST', '/tob/inpaint', body, options));
      }
      case 'zoom':
      case 'pan': {
        const { actions } = this.capabilities;
        if (!(followUp.action === 'pan' ? actions.pan : actions.zoom.length > 0))
          throw unsupported(followUp.action, `${NAME} cannot ${followUp.action === 'zoom' ? 'zoom out' : 'pan'}.`);
        return this.outpaint(request, followUp, options);
      }
      case 'square':
        throw unsupported(followUp.action, `${NAME} cannot make an image square.`);
      case 'animate':
      case 'extend':
        throw unsupported(followUp.action, `${NAME} cannot make videos.`);
    }
  }

  /**
   * Zoom out or pan on Youchuan's upstream routes. Cloudsway may not route them: a 404 from the
   * gateway (or a 405) means this account does not offer the action, which the member is told plainly.
   */
  private async outpaint(
    request: FollowUpRequest,
    followUp: FollowUpOf<'zoom' | 'pan'>,
    options: CallOptions,
  ): Promise<TaskUpdate> {
    const { parent } = request;
    const target = { jobId: parent.taskId, imageNo: imageNumber(parent, followUp.index) };
    const { path, body } = upstreamOutpaint(followUp, target, request.remix);
    try {
      return jobToUpdate(await this.call('POST', path, body, options));
    } catch (error) {
      if (!(error instanceof ProviderError) || !routeMissing(error)) throw error;
      throw new ProviderError('unsupported', `${PROVIDER} POST ${path}: not offered here (${error.message})`, {
        userMessage: `This server’s image service (${NAME}) does not offer ${followUpName(followUp)}. An admin can hide the zoom and pan buttons in the bot’s configuration.`,
        status: error.status,
        providerCode: error.providerCode,
        providerMessage: error.providerMessage,
        cause: error,
      });
    }
  }

  private async diffusion(prompt: ParsedPrompt, options: CallOptions): Promise<TaskUpdate> {
    const check = this.checkPrompt(prompt);
    if (!check.ok) {
      const message = check.errors.map((error) => error.message).join(' ');
      throw new ProviderError(
        'invalid_input',
        `${PROVIDER} POST /tob/diffusion: prompt refused before sending: ${message}`,
        { userMessage: message },
      );
    }
    return jobToUpdate(
      await this.call('POST', '/tob/diffusion', { text: diffusionText(prompt, this.parameters) }, options),
    );
  }

  /** One call; the answer must be a job object (a bare one, or inside a `{code, data}` wrapper). */
  private async call(method: 'GET' | 'POST', path: string, json: unknown, options: CallOptions): Promise<MjJob> {
    const label = `${PROVIDER} ${method} ${path}`;
    const body = await this.http.send({
      method,
      path,
      json,
      schema: z.unknown(),
      kind: method === 'GET' ? 'idempotent' : 'submit',
      signal: options.signal,
    });
    const job = mjJobSchema.safeParse(body);
    if (job.success) return job.data;
    // Cloudsway shows the bare job; a gateway wrapper `{code, message, data: job}` is UNKNOWN but harmless to accept.
    const wrapped = z.object({ data: mjJobSchema }).safeParse(body);
    if (wrapped.success) return wrapped.data.data;
    // A 200 carrying an error body (the gateway's envelope) is an error all the same.
    const facts = readErrorBody(body);
    if (facts) throw cloudswayError(label, facts);
    throw unexpectedBodyError(label, body);
  }
}

/** A parent that is one image (an upscale, or a vary of one): its only image is imageNo 0. */
function isSingleImage(parent: ParentTask): boolean {
  return parent.imageCount === 1 || parent.action === 'upscale';
}

function imageNumber(parent: ParentTask, index: number): number {
  const count = isSingleImage(parent) ? 1 : Math.min(4, Math.max(1, parent.imageCount));
  if (!Number.isInteger(index) || index < 1 || index > count) {
    throw new ProviderError(
      'invalid_input',
      `${PROVIDER}: image ${index} does not exist on a parent of ${count} image(s)`,
      {
        userMessage: `There is no image ${index} to work on here.`,
      },
    );
  }
  return index - 1;
}

/**
 * Whether a refusal says the route is not there: a 405, or a 404 that is not the upstream's own
 * answer. Youchuan answers a job it does not know with 404 and a `reason`; a gateway without the
 * route has no reason to give (its body is a page or a bare message).
 */
function routeMissing(error: ProviderError): boolean {
  if (error.status === 405) return true;
  if (error.status !== 404) return false;
  return error.providerCode === undefined || /^\d+$/.test(error.providerCode);
}

function unsupported(what: string, userMessage: string): ProviderError {
  return new ProviderError('unsupported', `${PROVIDER}: ${what} is not offered`, { userMessage });
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
