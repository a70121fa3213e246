import { randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { describeIssue, errorResponse, gatewayPage, type ErrorFormat, type SimError } from './cloudsway/errors.js';
import { editFieldsSchema, generationSchema, usageFor, type FORMATS } from './cloudsway/image-schemas.js';
import type { Fault } from './kit/faults.js';
import { renderImage, renderRegionEdit } from './kit/images.js';
import {
  ProviderSimulator,
  type RouteKind,
  type SimRequest,
  type SimResponse,
  type SimulatorOptions,
} from './kit/simulator.js';

export interface CloudswayImageSimulatorOptions extends SimulatorOptions {
  /** The random endpoint segment after `/v1/ai/`. Default: a random one, as Cloudsway issues. */
  endpointPath?: string;
  /** Error body format (UNKNOWN for Cloudsway's gateway). Default openai. */
  errorFormat?: ErrorFormat;
  /** Model names the endpoint serves. Default gpt-image-1. */
  models?: string[];
  /** Simulated seconds one request is held open, by quality (`auto` counts as medium). */
  qualitySeconds?: Partial<Record<'low' | 'medium' | 'high', number>>;
  /** Words the safety system blocks (`moderation_blocked`). Default none. */
  sensitiveWords?: string[];
}

type Quality = 'low' | 'medium' | 'high';
type Format = (typeof FORMATS)[number];
const QUALITY_SECONDS: Record<Quality, number> = { low: 10, medium: 20, high: 40 };
const SIZE_ASPECTS: Record<string, number> = { '1024x1024': 1, '1536x1024': 1.5, '1024x1536': 2 / 3 };
const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
const MAX_MASK_BYTES = 4 * 1024 * 1024;

interface Job {
  prompt: string;
  model: string;
  n: number;
  size: string;
  quality: Quality;
  format: Format;
  inputImages: number;
  label: string;
  /** A masked edit: the first image and the mask, repainted where the mask is fully transparent. */
  masked?: { image: Buffer; mask: Buffer };
}

/**
 * Cloudsway MaaS Image-1 on loopback: gpt-image-1's synchronous `/images/generations` and
 * multipart `/images/edits` under `/v1/ai/{endpointPath}`, holding each request for as long as the
 * quality takes (scaled), with OpenAI's error bodies and strict field validation. An edit with a
 * mask repaints the first image where the mask is fully transparent and leaves the rest as it was.
 */
export class CloudswayImageSimulator extends ProviderSimulator {
  readonly provider = 'cloudsway-image';
  readonly basePath: string;
  /** Every submit as received (JSON body, or form fields plus a description of each file). */
  readonly submissions: { path: string; body: unknown }[] = [];
  /** The last mask an edit received, as bytes, so a test can see which pixels it marks. */
  lastMask: Buffer | undefined;
  private readonly errorFormat: ErrorFormat;
  private readonly models: string[];
  private readonly qualitySeconds: Record<Quality, number>;
  private readonly sensitiveWords: string[];

  constructor(options: CloudswayImageSimulatorOptions = {}) {
    super(options);
    this.basePath = `/v1/ai/${options.endpointPath ?? randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16)}`;
    this.errorFormat = options.errorFormat ?? 'openai';
    this.models = options.models ?? ['gpt-image-1'];
    this.qualitySeconds = { ...QUALITY_SECONDS, ...options.qualitySeconds };
    this.sensitiveWords = options.sensitiveWords ?? [];
  }

  protected classify(method: string, path: string): RouteKind {
    return method === 'POST' && this.routeOf(path) !== undefined ? 'submit' : 'other';
  }

  protected faultResponse(fault: Fault): SimResponse {
    switch (fault.kind) {
      case 'rate_limited': {
        const headers =
          fault.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(fault.retryAfterSeconds) };
        return this.error(
          {
            status: 429,
            reason: 'Max_Concurrent_Limited',
            message: 'Rate limit reached for images per minute. Please try again later.',
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
          headers,
        );
      }
      case 'credits':
        return this.error({
          status: 429,
          reason: 'Account_Fee_Not_Enough',
          message: 'You exceeded your current quota, please check your plan and billing details.',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        });
      case 'auth':
        return this.error({
          status: 401,
          reason: 'Invalid_App_Identifier',
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        });
      default: {
        const status = fault.status ?? 500;
        if (status !== 500) return gatewayPage(status);
        return this.error({
          status,
          reason: 'Internal_Server_Error',
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
          code: null,
        });
      }
    }
  }

  protected async handle(request: SimRequest): Promise<SimResponse | undefined> {
    const route = this.routeOf(request.path);
    if (request.method !== 'POST' || (route !== '/images/generations' && route !== '/images/edits')) return undefined;
    if (!this.isAuthorised(request)) return this.faultResponse({ kind: 'auth', on: 'any', count: 1, target: 'next' });
    const read = route === '/images/generations' ? this.readGeneration(request) : await this.readEdit(request);
    if ('response' in read) return read.response;
    const blocked = this.moderate(read.job.prompt, request.fault);
    if (blocked) return blocked;
    await this.hold(this.qualitySeconds[read.job.quality] * 1000);
    return { status: 200, json: await this.answer(read.job) };
  }

  private routeOf(path: string): string | undefined {
    return path.startsWith(`${this.basePath}/`) ? path.slice(this.basePath.length) : undefined;
  }

  private readGeneration(request: SimRequest): { job: Job } | { response: SimResponse } {
    const body = this.parseJsonBody(request);
    this.submissions.push({ path: '/images/generations', body: body.ok ? body.value : request.body.toString('utf8') });
    if (!body.ok)
      return {
        response: this.invalid({
          message: 'We could not parse the JSON body of your request.',
          param: null,
          code: null,
        }),
      };
    const parsed = generationSchema.safeParse(body.value);
    if (!parsed.success) return { response: this.invalid(describeIssue(parsed.error, body.value)) };
    const fields = parsed.data;
    const refused = this.refuseCommon(fields.model, fields.stream === true);
    if (refused) return { response: refused };
    const size = fields.size === undefined || fields.size === 'auto' ? '1024x1024' : fields.size;
    return {
      job: {
        prompt: fields.prompt,
        model: fields.model,
        n: fields.n ?? 1,
        size,
        quality: qualityOf(fields.quality),
        format: fields.output_format ?? 'png',
        inputImages: 0,
        label: 'gen',
      },
    };
  }

  private async readEdit(request: SimRequest): Promise<{ job: Job } | { response: SimResponse }> {
    const contentType = String(request.headers['content-type'] ?? '');
    if (!contentType.startsWith('multipart/form-data')) {
      this.submissions.push({ path: '/images/edits', body: request.body.toString('utf8') });
      return {
        response: this.invalid({
          message: `Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`,
          param: null,
          code: null,
        }),
      };
    }
    let form: Awaited<ReturnType<Request['formData']>>;
    try {
      form = await new Request('http://sim', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: request.body,
      }).formData();
    } catch {
      return { response: this.invalid({ message: 'Could not parse multipart form.', param: null, code: null }) };
    }
    const fields: Record<string, string> = {};
    const files: { field: string; file: File }[] = [];
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') fields[name] = value;
      else files.push({ field: name, file: value });
    }
    const bytes = await Promise.all(files.map(async ({ file }) => Buffer.from(await file.arrayBuffer())));
    const described = await Promise.all(
      files.map(async ({ field, file }, at) => ({
        field,
        filename: file.name,
        type: file.type,
        size: file.size,
        ...(await imageFacts(bytes[at]!, field === 'mask')),
      })),
    );
    this.submissions.push({ path: '/images/edits', body: { fields, files: described } });

    const stray = described.find((file) => !['image', 'image[]', 'mask'].includes(file.field));
    if (stray)
      return {
        response: this.invalid({
          message: `Unknown parameter: '${stray.field}'.`,
          param: stray.field,
          code: 'unknown_parameter',
        }),
      };
    // OpenAI takes one image as `image` and several as `image[]`; which one Cloudsway expects is UNKNOWN, so both are read.
    const images = described.filter((file) => file.field === 'image' || file.field === 'image[]');
    if (images.length === 0)
      return {
        response: this.invalid({
          message: "Missing required parameter: 'image'.",
          param: 'image',
          code: 'missing_required_parameter',
        }),
      };
    if (images.length > 16)
      return {
        response: this.invalid({
          message: 'Too many images: at most 16 may be provided.',
          param: 'image',
          code: 'invalid_value',
        }),
      };
    const badImage = images.findIndex((image) => image.format === undefined || image.size > MAX_IMAGE_BYTES);
    if (badImage >= 0) {
      return {
        response: this.invalid({
          message: `Invalid image file or mode for image ${badImage + 1}: it must be a png, webp or jpg file under 25MB.`,
          param: 'image',
          code: 'invalid_image',
        }),
      };
    }
    const mask = described.find((file) => file.field === 'mask');
    if (mask) this.lastMask = bytes[described.indexOf(mask)];
    const first = images[0]!;
    if (
      mask &&
      (mask.format !== 'png' ||
        mask.size > MAX_MASK_BYTES ||
        !mask.hasAlpha ||
        mask.width !== first.width ||
        mask.height !== first.height)
    ) {
      return {
        response: this.invalid({
          message: 'Invalid mask: it must be a PNG under 4MB with an alpha channel and the same size as the image.',
          param: 'mask',
          code: 'invalid_value',
        }),
      };
    }
    // A mask with no fully transparent pixel marks nothing to edit.
    if (mask && mask.transparentPixels === 0) {
      return {
        response: this.invalid({
          message: 'Invalid mask: it has no fully transparent pixels, so there is nothing to edit.',
          param: 'mask',
          code: 'invalid_value',
        }),
      };
    }
    const parsed = editFieldsSchema.safeParse(fields);
    if (!parsed.success) return { response: this.invalid(describeIssue(parsed.error, fields)) };
    const refused = this.refuseCommon(parsed.data.model, parsed.data.stream === 'true');
    if (refused) return { response: refused };
    const size =
      parsed.data.size === undefined || parsed.data.size === 'auto'
        ? nearestSize((first.width ?? 1) / (first.height ?? 1))
        : parsed.data.size;
    const job: Job = {
      prompt: parsed.data.prompt,
      model: parsed.data.model,
      n: parsed.data.n ?? 1,
      size,
      quality: qualityOf(parsed.data.quality),
      format: parsed.data.output_format ?? 'png',
      inputImages: images.length,
      label: 'edit',
      ...(mask
        ? {
            masked: {
              image: bytes[described.indexOf(first)]!,
              mask: bytes[described.indexOf(mask)]!,
            },
          }
        : {}),
    };
    return { job };
  }

  private refuseCommon(model: string, stream: boolean): SimResponse | undefined {
    if (!this.models.includes(model)) {
      return this.invalid({
        message: `Invalid value: '${model}'. Supported values are: ${this.models.map((name) => `'${name}'`).join(', ')}.`,
        param: 'model',
        code: 'invalid_value',
      });
    }
    // Streaming exists on the newer page; the simulator does not stream, and says so rather than pretend.
    if (stream)
      return this.invalid({
        message: 'Streaming is not supported by this simulator.',
        param: 'stream',
        code: 'invalid_value',
      });
    return undefined;
  }

  private moderate(prompt: string, fault: Fault | undefined): SimResponse | undefined {
    const sensitive = this.sensitiveWords.some((word) => prompt.toLowerCase().includes(word.toLowerCase()));
    if (!sensitive && fault?.kind !== 'content_rejected') return undefined;
    return this.error({
      status: 400,
      reason: 'Msg_Sensitive',
      message:
        'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID.',
      type: 'image_generation_user_error',
      code: 'moderation_blocked',
    });
  }

  /** Holds the request for a simulated duration; checking the clock lets tests jump it forward. */
  private async hold(simulatedMs: number): Promise<void> {
    const until = this.clock.now() + simulatedMs;
    while (this.clock.now() < until)
      await sleep(Math.max(1, Math.min(50, this.clock.toRealMs(until - this.clock.now()))));
  }

  private async answer(job: Job): Promise<Record<string, unknown>> {
    const [width = 1024, height = 1024] = job.size.split('x').map(Number);
    const scale = this.options.imageEdge / 1024;
    const seed = randomInt(1, 2 ** 31);
    const size = { width: Math.max(8, Math.round(width * scale)), height: Math.max(8, Math.round(height * scale)) };
    const paintArea = job.masked ? await transparentArea(job.masked.mask) : undefined;
    const images = await Promise.all(
      Array.from({ length: job.n }, async (_, image) => {
        const render = (format: Format) =>
          renderImage({ ...size, seed, index: image + 1, label: `${job.label} #${image + 1}`, format });
        if (!job.masked || !paintArea) return render(job.format);
        // A masked edit repaints the first image where the mask is transparent and keeps the rest.
        const base = await sharp(job.masked.image).resize(size.width, size.height, { fit: 'fill' }).png().toBuffer();
        const edited = await renderRegionEdit(base, await render('png'), paintArea);
        return encodeAs(edited, job.format);
      }),
    );
    return {
      created: Math.floor(this.clock.now() / 1000),
      data: images.map((bytes) => ({ b64_json: bytes.toString('base64') })),
      usage: usageFor(job.prompt, job.size, job.quality, job.n, job.inputImages),
    };
  }

  private invalid(detail: { message: string; param: string | null; code: string | null }): SimResponse {
    return this.error({ status: 400, reason: 'Invalid_Argument', type: 'invalid_request_error', ...detail });
  }

  private error(error: SimError, headers?: Record<string, string>): SimResponse {
    return errorResponse(this.errorFormat, error, headers);
  }
}

function qualityOf(quality: string | undefined): Quality {
  return quality === 'low' || quality === 'high' ? quality : 'medium';
}

function nearestSize(ratio: number): string {
  let best = '1024x1024';
  for (const [size, aspect] of Object.entries(SIZE_ASPECTS)) {
    if (Math.abs(Math.log(aspect / ratio)) < Math.abs(Math.log((SIZE_ASPECTS[best] ?? 1) / ratio))) best = size;
  }
  return best;
}

/**
 * What sharp reads from an uploaded file; `format` is undefined when it is not an image it knows.
 * For a mask, also how many of its pixels are fully transparent (alpha 0: where to edit).
 */
async function imageFacts(
  bytes: Buffer,
  isMask: boolean,
): Promise<{ format?: string; width?: number; height?: number; hasAlpha?: boolean; transparentPixels?: number }> {
  try {
    const metadata = await sharp(bytes).metadata();
    const format =
      metadata.format === 'jpeg' || metadata.format === 'png' || metadata.format === 'webp'
        ? metadata.format
        : undefined;
    const facts = { format, width: metadata.width, height: metadata.height, hasAlpha: metadata.hasAlpha };
    if (!isMask || !metadata.hasAlpha) return facts;
    const alpha = await sharp(bytes).extractChannel('alpha').raw().toBuffer();
    return { ...facts, transparentPixels: alpha.reduce((count, value) => count + (value === 0 ? 1 : 0), 0) };
  } catch {
    return {};
  }
}

/** The mask's fully transparent pixels as white on black: the area a masked edit repaints. */
async function transparentArea(mask: Buffer): Promise<Buffer> {
  return sharp(mask)
    .extractChannel('alpha')
    .raw()
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) =>
      sharp(Buffer.from(data.map((value) => (value === 0 ? 255 : 0))), {
        raw: { width: info.width, height: info.height, channels: 1 },
      })
        .png()
        .toBuffer(),
    );
}

function encodeAs(png: Buffer, format: Format): Promise<Buffer> {
  const image = sharp(png);
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 85 }).toBuffer();
    case 'webp':
      return image.webp({ quality: 85 }).toBuffer();
    case 'png':
      return Promise.resolve(png);
  }
}
