import { promptOf } from './submit-request.js';
import { imageSize } from '../images/outpaint-canvas.js';
import { outpaintLayout, type Size } from '../images/outpaint.js';
import type { Logger } from '../logger.js';
import type { ParsedPrompt } from '../prompt/types.js';
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
import { APIXO_CAPABILITIES, APIXO_PARAMETERS } from './apixo/capabilities.js';
import { apixoErrorMapper } from './apixo/failures.js';
import { toUpdate } from './apixo/response.js';
import { envelope, parseEnvelope, statusDataSchema, submitDataSchema } from './apixo/schemas.js';
import {
  fieldFallback,
  followUpTarget,
  imagineInput,
  outpaintInput,
  regionInput,
  UPSCALE_TYPES,
  VARY_TYPES,
  type FieldNames,
} from './apixo/request.js';

const SUBMIT_PATH = '/generateTask/midjourney';
const STATUS_PATH = '/statusTask/midjourney';

/**
 * Settings for what CONTRACTS.md §C leaves UNKNOWN. The defaults follow the newest reading; each
 * can be flipped once the live API has been seen.
 */
export interface ApixoSettings {
  /** Which generation of field names to send (`aspect_ratio/variety/…` = new, `aspect/chaos/…` = old). */
  fieldNames: FieldNames;
  /** When a submit is refused with a message naming a field we sent, resend once with the other generation and keep it. */
  fieldFallback: boolean;
  /** The base of `imageIndex`: the doc says "(0-3)"; 1 is there in case the live API counts from 1. */
  imageIndexBase: 0 | 1;
  /** 🔄 as a new task with the parent's prompt (works everywhere) or APIXO's own `reroll` mode (newer revision). */
  reroll: 'resubmit' | 'native';
  /** APIXO's routing strategy, `provider` in the body. */
  routing: 'auto' | 'value' | 'official';
  /** `enableTranslation` for prompts written in non-Latin scripts. */
  translation: 'auto' | 'off';
}

export const DEFAULT_APIXO_SETTINGS: ApixoSettings = {
  fieldNames: 'new',
  fieldFallback: true,
  imageIndexBase: 0,
  reroll: 'resubmit',
  routing: 'auto',
  translation: 'auto',
};

/** APIXO's Midjourney API: async tasks, polled or called back, structured parameters only. */
export class ApixoAdapter implements ProviderAdapter {
  readonly id = 'apixo' as const;
  readonly capabilities = APIXO_CAPABILITIES;
  readonly parameters = APIXO_PARAMETERS;
  private readonly http: ProviderHttp;
  private readonly logger: Logger;
  private readonly settings: ApixoSettings;
  /** The field-name generation in use; a refusal naming a field switches it for this process. */
  private fieldNames: FieldNames;

  constructor(options: AdapterOptions, settings: Partial<ApixoSettings> = {}) {
    this.logger = options.logger;
    this.settings = { ...DEFAULT_APIXO_SETTINGS, ...settings };
    this.fieldNames = this.settings.fieldNames;
    this.http = bearerHttp('apixo', options, apixoErrorMapper);
  }

  /** Checks a prompt against APIXO's fields and limits. See https://apixo.ai/docs/models/image/midjourney */
  checkPrompt(prompt: ParsedPrompt): PromptCheck {
    const check = checkPromptSupport(prompt, this.parameters, this.capabilities, 'APIXO');
    const errors = check.ok ? [] : [...check.errors];
    if (prompt.text.trim() === '') errors.push({ message: 'APIXO needs some prompt text besides image URLs.' });
    if (errors.length > 0) return { ok: false, errors };
    const notices = check.ok ? [...check.notices] : [];
    if (prompt.params.speed === 'relax') {
      notices.push('--relax is not offered by APIXO; the image is made at --fast speed.');
      return { ok: true, notices, speed: 'fast' };
    }
    return { ok: true, notices };
  }

  /**
   * Creates a task: POST /generateTask/midjourney. Follow-ups use `mode` vary/upscale (parent task
   * id + `imageIndex`); 🔄 resubmits the parent prompt unless `reroll: native`. See https://apixo.ai/docs/models/image/midjourney
   */
  async submit(request: SubmitRequest, options: CallOptions): Promise<TaskUpdate> {
    const { imageIndexBase: base } = this.settings;
    if (!request.followUp)
      return this.create((names) => this.imagine(request.prompt, names, options.translate), options);
    const { followUp, parent } = request;
    switch (followUp.action) {
      case 'reroll':
        // APIXO's own reroll takes no prompt: an edited one (Remix) is always a new task.
        if (this.settings.reroll === 'native' && !request.remix)
          return this.create(() => ({ mode: 'reroll', taskId: parent.taskId }), options);
        return this.create((names) => this.imagine(promptOf(request), names, options.translate), options);
      case 'upscale': {
        const target = followUpTarget(parent, followUp.index, base);
        return this.create(() => ({ mode: 'upscale', ...target, type: UPSCALE_TYPES[followUp.type] }), options);
      }
      case 'vary': {
        const target = followUpTarget(parent, followUp.index, base);
        // `vary` takes its own `prompt` (the Remix edit), as plain text: APIXO cuts it at the first "--".
        const prompt = request.remix ? { prompt: request.remix.text } : {};
        return this.create(
          () => ({ mode: 'vary', ...target, type: VARY_TYPES[followUp.strength], ...prompt }),
          options,
        );
      }
      case 'zoom':
      case 'pan':
      case 'square': {
        // Outpainting is "contact us to enable" on APIXO; upload-paint with a canvas larger than
        // the image is the documented way to it (see capabilities.emulated).
        const { imageUrl, size } = await this.singleImage(parent, followUp.action);
        const layout = outpaintLayout(size, followUp);
        // A Remix edit is the outpaint's prompt; Make Square takes none (it is not in `capabilities.remix`).
        return this.create(() => outpaintInput(promptOf(request), imageUrl, layout), options);
      }
      case 'region': {
        const { imageUrl, size } = await this.singleImage(parent, followUp.action);
        return this.create(() => regionInput(parent.prompt, imageUrl, size, followUp), options);
      }
      case 'animate':
      case 'extend':
        throw new ProviderError('unsupported', `apixo: ${followUp.action} is not offered by APIXO`);
    }
  }

  /** Reads a task: GET /statusTask/midjourney?taskId=. See https://apixo.ai/docs/api-reference/status-task */
  async status(taskId: string, options: CallOptions): Promise<TaskUpdate> {
    const where = `apixo GET ${STATUS_PATH}`;
    const data = await this.http.send({
      method: 'GET',
      path: STATUS_PATH,
      query: { taskId },
      schema: envelope(where, statusDataSchema),
      kind: 'idempotent',
      signal: options.signal,
    });
    return toUpdate(data);
  }

  /** Parses a callback: the body is the status envelope. See https://apixo.ai/docs/api-reference/webhooks */
  parseCallback(body: unknown): TaskUpdate {
    return toUpdate(parseEnvelope('apixo callback', statusDataSchema, body));
  }

  /** The upscaled image an upload-paint works on: its URL at APIXO and its size. */
  private async singleImage(parent: ParentTask, action: string): Promise<{ imageUrl: string; size: Size }> {
    if (parent.imageCount !== 1)
      throw new ProviderError('unsupported', `apixo: ${action} acts on an upscaled image, not a grid`, {
        userMessage: 'Upscale an image first: zoom, pan, Make Square and Vary (Region) act on one image.',
      });
    const imageUrl = parent.imageUrl?.(1);
    if (!imageUrl)
      throw new ProviderError('invalid_input', `apixo: ${action} needs the upscaled image's URL`, {
        userMessage: 'That image is not available any more.',
      });
    return { imageUrl, size: await imageSize((await parent.loadImage(1)).bytes) };
  }

  private imagine(prompt: ParsedPrompt, fieldNames: FieldNames, translate?: boolean): Record<string, unknown> {
    return imagineInput(prompt, { fieldNames, translation: translate === false ? 'off' : this.settings.translation });
  }

  /** Posts a task; on a refusal naming a field of the generation sent, resends once with the other. */
  private async create(
    build: (names: FieldNames) => Record<string, unknown>,
    options: CallOptions,
  ): Promise<TaskUpdate> {
    const logger = options.logger ?? this.logger;
    const sent = this.fieldNames;
    const input = build(sent);
    try {
      return await this.post(input, options);
    } catch (error) {
      const other = this.settings.fieldFallback ? fieldFallback(error, sent, input) : undefined;
      if (other === undefined) throw error;
      logger.warn(
        { provider: 'apixo', from: sent, to: other, providerMessage: (error as ProviderError).providerMessage },
        'apixo refused a field name; switching field-name generation',
      );
      this.fieldNames = other;
      return this.post(build(other), options);
    }
  }

  private async post(input: Record<string, unknown>, options: CallOptions): Promise<TaskUpdate> {
    const where = `apixo POST ${SUBMIT_PATH}`;
    const body = {
      request_type: options.callbackUrl ? 'callback' : 'async',
      ...(options.callbackUrl ? { callback_url: options.callbackUrl } : {}),
      provider: this.settings.routing,
      input,
    };
    const data = await this.http.send({
      method: 'POST',
      path: SUBMIT_PATH,
      json: body,
      schema: envelope(where, submitDataSchema),
      kind: 'submit',
      signal: options.signal,
    });
    (options.logger ?? this.logger).debug(
      { provider: 'apixo', taskId: data.taskId, mode: input.mode },
      'apixo task created',
    );
    return { taskId: data.taskId, state: 'queued' };
  }
}
