import { promptOf } from './submit-request.js';
import type { Logger } from '../logger.js';
import type { ParsedPrompt } from '../prompt/types.js';
import { ProviderError } from './errors.js';
import { bearerHttp, type ProviderHttp } from './http.js';
import { checkPromptSupport } from './prompt-support.js';
import type { AdapterOptions, CallOptions, PromptCheck, ProviderAdapter, SubmitRequest, TaskUpdate } from './types.js';
import { KIE_CAPABILITIES, KIE_PARAMETERS } from './kie/capabilities.js';
import { kieErrorMapper } from './kie/failures.js';
import { callbackToUpdate, recordToUpdate } from './kie/response.js';
import { envelope, parseCallbackBody, recordDataSchema, submitDataSchema } from './kie/schemas.js';
import {
  extendBody,
  generateBody,
  gridImageOf,
  kieVariety,
  providerIndex,
  referenceOf,
  videoBody,
  type IndexBases,
} from './kie/request.js';

const GENERATE = '/api/v1/mj/generate';
const UPSCALE = '/api/v1/mj/generateUpscale';
const VARY = '/api/v1/mj/generateVary';
const RECORD = '/api/v1/mj/record-info';
const VIDEO_EXTEND = '/api/v1/mj/generateVideoExtend';

/** Settings for what CONTRACTS.md §E leaves UNKNOWN or open. */
export interface KieSettings {
  /**
   * imageIndex bases. The doc gives 0–3 for generateUpscale and 1–4 for generateVary; each is
   * configurable in case the live API turns out to use one base for both.
   */
  indexBases: IndexBases;
  /** `enableTranslation` for prompts written in non-Latin scripts. */
  translation: 'auto' | 'off';
  /** Kie's `waterMark` identifier, when the operator wants one. */
  waterMark?: string;
}

export const DEFAULT_KIE_SETTINGS: KieSettings = { indexBases: { upscale: 0, vary: 1 }, translation: 'auto' };

/** Kie.ai's Midjourney API: generate, upscale and vary tasks, polled via record-info or called back. */
export class KieAdapter implements ProviderAdapter {
  readonly id = 'kie' as const;
  readonly capabilities = KIE_CAPABILITIES;
  readonly parameters = KIE_PARAMETERS;
  private readonly http: ProviderHttp;
  private readonly logger: Logger;
  private readonly settings: KieSettings;

  constructor(options: AdapterOptions, settings: Partial<KieSettings> = {}) {
    this.logger = options.logger;
    this.settings = { ...DEFAULT_KIE_SETTINGS, ...settings };
    this.http = bearerHttp('kie', options, kieErrorMapper);
  }

  /** Checks a prompt against Kie's fields and limits. See https://docs.kie.ai/mj-api/generate-mj-image */
  checkPrompt(prompt: ParsedPrompt): PromptCheck {
    const check = checkPromptSupport(prompt, this.parameters, this.capabilities, 'Kie');
    const errors = check.ok ? [] : [...check.errors];
    const reference = referenceOf(prompt);
    if ('problem' in reference) errors.push({ message: reference.problem });
    if (prompt.text.trim() === '') errors.push({ message: 'Kie needs some prompt text besides image URLs.' });
    if (errors.length > 0) return { ok: false, errors };
    const notices = check.ok ? [...check.notices] : [];
    const { chaos, ow, oref, speed } = prompt.params;
    if (chaos !== undefined && kieVariety(chaos) !== chaos)
      notices.push(`--chaos ${chaos} becomes ${kieVariety(chaos)}: Kie takes steps of 5.`);
    if (ow !== undefined && !oref) notices.push('--ow is ignored without --oref.');
    if (oref && speed)
      notices.push(`--${speed} is ignored with --oref: Kie chooses the speed of omni-reference tasks.`);
    return { ok: true, notices };
  }

  /**
   * Creates a task. Imagine and 🔄 post to /api/v1/mj/generate (🔄 resubmits the parent prompt);
   * U posts /generateUpscale (imageIndex 0–3), V posts /generateVary (imageIndex 1–4); Animate posts
   * /generate with taskType mj_video (mj_video_hd for HD), Extend posts /generateVideoExtend (index 0-based).
   * See https://docs.kie.ai/mj-api/upscale, https://docs.kie.ai/mj-api/vary and https://docs.kie.ai/mj-api/extend-mj-video
   */
  async submit(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate> {
    const common = {
      ...(this.settings.waterMark ? { waterMark: this.settings.waterMark } : {}),
      ...(options.callbackUrl ? { callBackUrl: options.callbackUrl } : {}),
    };
    const generate = (prompt: ParsedPrompt) =>
      this.create(
        GENERATE,
        generateBody(prompt, {
          translation: options.translate === false ? 'off' : this.settings.translation,
          callbackUrl: options.callbackUrl,
          waterMark: this.settings.waterMark,
        }),
        options,
      );
    if (!request.followUp) return generate(request.prompt);
    const { followUp, parent } = request;
    switch (followUp.action) {
      case 'reroll':
        return generate(promptOf(request));
      case 'upscale': {
        if (followUp.type !== 'default')
          throw new ProviderError('unsupported', `kie: upscale type ${followUp.type} is not offered`);
        if (parent.imageCount === 1) throw new ProviderError('unsupported', 'kie: an upscale cannot be upscaled again');
        const target = gridImageOf(parent, followUp.index);
        return this.create(
          UPSCALE,
          {
            taskId: target.taskId,
            imageIndex: providerIndex(target.index, this.settings.indexBases.upscale),
            ...common,
          },
          options,
        );
      }
      case 'vary': {
        if (followUp.strength !== 'strong')
          throw new ProviderError('unsupported', `kie: vary ${followUp.strength} is not offered`);
        const target = gridImageOf(parent, followUp.index);
        return this.create(
          VARY,
          { taskId: target.taskId, imageIndex: providerIndex(target.index, this.settings.indexBases.vary), ...common },
          options,
        );
      }
      case 'animate':
        return this.create(
          GENERATE,
          { ...videoBody(parent, followUp.motion, options.hdVideo === true), ...common },
          options,
        );
      case 'extend':
        return this.create(VIDEO_EXTEND, { ...extendBody(parent, followUp.index), ...common }, options);
      case 'zoom':
      case 'pan':
      case 'region':
      case 'square':
        // Kie documents imagine, upscale, vary and video only: no outpainting to emulate these with.
        throw new ProviderError('unsupported', `kie: ${followUp.action} is not offered by Kie`);
    }
  }

  /** Reads a task: GET /api/v1/mj/record-info?taskId=. See https://docs.kie.ai/mj-api/get-mj-task-details */
  async status(taskId: string, options: CallOptions): Promise<TaskUpdate> {
    const where = `kie GET ${RECORD}`;
    const data = await this.http.send({
      method: 'GET',
      path: RECORD,
      query: { taskId },
      schema: envelope(where, recordDataSchema),
      kind: 'idempotent',
      signal: options.signal,
    });
    return recordToUpdate(data);
  }

  /**
   * Parses a callback. Its `resultUrls` are plain strings (record-info's are `{resultUrl}` objects);
   * a failure carries only `code` and `msg`. See https://docs.kie.ai/mj-api/generate-mj-image-callbacks
   */
  parseCallback(body: unknown): TaskUpdate {
    return callbackToUpdate(parseCallbackBody(body));
  }

  private async create(path: string, body: Record<string, unknown>, options: CallOptions): Promise<TaskUpdate> {
    const where = `kie POST ${path}`;
    const data = await this.http.send({
      method: 'POST',
      path,
      json: body,
      schema: envelope(where, submitDataSchema),
      kind: 'submit',
      signal: options.signal,
    });
    (options.logger ?? this.logger).debug({ provider: 'kie', taskId: data.taskId, path }, 'kie task created');
    return { taskId: data.taskId, state: 'queued' };
  }
}
