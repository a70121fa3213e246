import { randomBytes, randomInt } from 'node:crypto';
import type { z } from 'zod';
import { errorResponse, describeIssue, gatewayPage, type ErrorFormat, type SimError } from './cloudsway/errors.js';
import { readDiffusionText } from './cloudsway/mj-flags.js';
import { COMMENTS, isFinished, jobPhase, type SimJob } from './cloudsway/mj-jobs.js';
import { PAN_DIRECTIONS, panLayout, reducedAspect, zoomLayout, type Layout } from './cloudsway/mj-outpaint.js';
import {
  diffusionSchema,
  inpaintSchema,
  outpaintSchema,
  panSchema,
  rerollSchema,
  upscaleSchema,
  variationSchema,
} from './cloudsway/mj-schemas.js';
import type { Fault } from './kit/faults.js';
import {
  polygonMaskSvg,
  renderImage,
  renderOutpaint,
  renderRegionEdit,
  shapeArea,
  sizeForAspect,
} from './kit/images.js';
import {
  ProviderSimulator,
  type RouteKind,
  type SimRequest,
  type SimResponse,
  type SimulatorOptions,
} from './kit/simulator.js';

export interface CloudswayMjSimulatorOptions extends SimulatorOptions {
  /** The random endpoint segment after `/v1/ai/`. Default: a random one, as Cloudsway issues. */
  endpointPath?: string;
  /** Serve Youchuan's `/tob/variation`, `/tob/reroll`, `/tob/pan`, `/tob/outpaint` (UNKNOWN on Cloudsway). Default false: 404. */
  upstreamRoutes?: boolean;
  /** Add the undocumented `progress: "30%"` while running. Default false. */
  emitProgress?: boolean;
  /** Simulated seconds a finished job reads status 2 with `urls` still empty. Default 3. */
  urlsLagSeconds?: number;
  /** Status comments: localised like Cloudsway's examples ("执行中"), or Youchuan's enum words. Default localised. */
  comments?: 'localised' | 'enum';
  /** Error body format (UNKNOWN for Cloudsway's gateway). Default youchuan. */
  errorFormat?: ErrorFormat;
  /** How long result URLs stay valid, in simulated seconds (UNKNOWN). Default one day. */
  urlLifetimeSeconds?: number;
  /** Running jobs allowed at once before `429 Max_Concurrent_Limited`. Default 10. */
  maxConcurrentJobs?: number;
  /** Words that make the text moderation answer `403 Msg_Sensitive`. Default none. */
  sensitiveWords?: string[];
}

/** Typical Midjourney durations per speed, in seconds. */
const TYPICAL_SECONDS = { fast: 40, relax: 120, turbo: 20 };
type MjOptions = Required<Omit<CloudswayMjSimulatorOptions, keyof SimulatorOptions | 'endpointPath'>>;
const MJ_DEFAULTS: MjOptions = {
  upstreamRoutes: false,
  emitProgress: false,
  urlsLagSeconds: 3,
  comments: 'localised',
  errorFormat: 'youchuan',
  urlLifetimeSeconds: 86_400,
  maxConcurrentJobs: 10,
  sensitiveWords: [],
};

type JobSpec = Omit<SimJob, 'id' | 'createdAt' | 'durationMs' | 'rejectedImages' | 'expireUrls'>;
type Outcome<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

/**
 * Cloudsway MaaS-MJ on loopback: Youchuan's "tob" job API under `/v1/ai/{endpointPath}`, with its
 * quirks (status 2 before `urls`, per-image audits, localised comments) and `{code, message, reason}` errors.
 */
export class CloudswayMjSimulator extends ProviderSimulator {
  readonly provider = 'cloudsway-mj';
  readonly basePath: string;
  /** Every accepted or refused submit body, for tests to inspect what the adapter sent. */
  readonly submissions: { path: string; body: unknown }[] = [];
  private readonly jobs = new Map<string, SimJob>();
  private readonly mj: MjOptions;

  constructor(options: CloudswayMjSimulatorOptions = {}) {
    super(options);
    this.mj = { ...MJ_DEFAULTS, ...definedOnly(options) };
    const segment = options.endpointPath ?? randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16);
    this.basePath = `/v1/ai/${segment}`;
  }

  /** A job as the simulator holds it (tests read what a submit created). */
  job(id: string): SimJob | undefined {
    return this.jobs.get(id);
  }

  protected classify(method: string, path: string): RouteKind {
    const route = this.routeOf(path);
    if (route === undefined) return 'other';
    if (method === 'GET' && route.startsWith('/tob/job/')) return 'status';
    return method === 'POST' ? 'submit' : 'other';
  }

  protected faultResponse(fault: Fault): SimResponse {
    switch (fault.kind) {
      case 'rate_limited': {
        const headers =
          fault.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(fault.retryAfterSeconds) };
        return this.error(
          { status: 429, reason: 'Max_Concurrent_Limited', message: '超过最大并发数', code: 'rate_limit_exceeded' },
          headers,
        );
      }
      case 'credits':
        return this.error({
          status: 402,
          reason: 'Account_Fee_Not_Enough',
          message: '账户余额不足',
          code: 'insufficient_quota',
        });
      case 'auth':
        return this.error({
          status: 401,
          reason: 'Invalid_App_Identifier',
          message: 'invalid access key',
          code: 'invalid_api_key',
        });
      default: {
        const status = fault.status ?? 500;
        if (status === 500)
          return this.error({
            status,
            reason: 'Internal_Server_Error',
            message: '服务内部错误',
            type: 'server_error',
            code: null,
          });
        if (status === 503)
          return this.error({ status, reason: 'Server_Busy', message: '服务繁忙', type: 'server_error', code: null });
        return gatewayPage(status);
      }
    }
  }

  protected handle(request: SimRequest): Promise<SimResponse | undefined> {
    return Promise.resolve(this.answer(request));
  }

  private answer(request: SimRequest): SimResponse | undefined {
    const route = this.routeOf(request.path);
    if (route === undefined) return undefined;
    const jobMatch = request.method === 'GET' ? /^\/tob\/job\/([^/]+)$/.exec(route) : null;
    const submit = request.method === 'POST' ? this.submitRoute(route) : undefined;
    if (!jobMatch && !submit) return undefined;
    if (!this.isAuthorised(request)) return this.faultResponse({ kind: 'auth', on: 'any', count: 1, target: 'next' });
    if (jobMatch) return this.status(decodeURIComponent(jobMatch[1] ?? ''), request.fault);
    if (!submit) return undefined;

    const body = this.parseJsonBody(request);
    this.submissions.push({ path: route, body: body.ok ? body.value : request.body.toString('utf8') });
    if (!body.ok) return this.invalid('Invalid_Argument', 'request body is not valid JSON');
    const created = submit(body.value);
    if (!created.ok) return created.response;
    const running = [...this.jobs.values()].filter((job) => !isFinished(job, this.clock.now())).length;
    if (running >= this.mj.maxConcurrentJobs)
      return this.faultResponse({ kind: 'rate_limited', on: 'any', count: 1, target: 'next' });
    const job = this.createJob(created.value, request.fault);
    return { status: 200, json: this.jobBody(job) };
  }

  private routeOf(path: string): string | undefined {
    return path.startsWith(`${this.basePath}/`) ? path.slice(this.basePath.length) : undefined;
  }

  private submitRoute(route: string): ((body: unknown) => Outcome<JobSpec>) | undefined {
    switch (route) {
      case '/tob/diffusion':
        return (body) => this.diffusion(body);
      case '/tob/upscale':
        return (body) => this.upscale(body);
      case '/tob/inpaint':
        return (body) => this.followUp(body, inpaintSchema, 'redraw');
    }
    if (!this.mj.upstreamRoutes) return undefined;
    switch (route) {
      case '/tob/variation':
        return (body) => this.followUp(body, variationSchema, 'vary');
      case '/tob/reroll':
        return (body) => this.followUp(body, rerollSchema, 'reroll');
      case '/tob/pan':
        return (body) => this.pan(body);
      case '/tob/outpaint':
        return (body) => this.zoomOut(body);
      default:
        return undefined;
    }
  }

  private diffusion(body: unknown): Outcome<JobSpec> {
    const parsed = diffusionSchema.safeParse(body);
    if (!parsed.success)
      return { ok: false, response: this.invalid('Invalid_Argument', describeIssue(parsed.error, body).message) };
    const read = readDiffusionText(parsed.data.text);
    if (!read.ok) return { ok: false, response: this.invalid('Invalid_Prompt_Parameter', read.message) };
    const sensitive = this.sensitive(parsed.data.text);
    if (sensitive) return { ok: false, response: sensitive };
    const { flags } = read;
    return {
      ok: true,
      value: {
        kind: 'diffusion',
        text: parsed.data.text,
        speed: flags.speed,
        version: flags.version,
        seed: flags.seed ?? randomInt(1, 2 ** 31),
        aspect: flags.aspect,
        edge: this.options.imageEdge,
        imageCount: 4,
        label: 'grid',
      },
    };
  }

  private upscale(body: unknown): Outcome<JobSpec> {
    const parsed = upscaleSchema.safeParse(body);
    if (!parsed.success)
      return { ok: false, response: this.invalid('Invalid_Argument', describeIssue(parsed.error, body).message) };
    const { jobId, imageNo, type } = parsed.data;
    if (type > 1)
      return {
        ok: false,
        response: this.invalid('Invalid_Argument', `type must be 0 (subtle) or 1 (creative), got ${type}`),
      };
    const parent = this.parent(jobId, imageNo);
    if (!parent.ok) return parent;
    if (parent.value.kind === 'upscale')
      return {
        ok: false,
        response: this.invalid('Job_ReUpscale_Not_Support', 'an upscaled image cannot be upscaled again'),
      };
    if (parent.value.version.startsWith('5') || parent.value.version === 'niji 5') {
      return {
        ok: false,
        response: this.error({
          status: 403,
          reason: 'Upscale_Not_Support',
          message: `upscale type ${type} is for v6/niji6/v6.1/v7 only`,
        }),
      };
    }
    const source = parent.value;
    return {
      ok: true,
      value: {
        ...pick(source),
        kind: 'upscale',
        seed: source.seed,
        edge: source.edge * 2,
        ...(source.size ? { size: { width: source.size.width * 2, height: source.size.height * 2 } } : {}),
        imageCount: 1,
        label: `U${imageNo + 1} ${type === 0 ? 'subtle' : 'creative'}`,
        sourceIndex: imageNo + 1,
      },
    };
  }

  /** Youchuan's `/tob/outpaint`: zoom out by `scale` (1.1–2.0), the image centred on the larger canvas. */
  private zoomOut(body: unknown): Outcome<JobSpec> {
    const parsed = outpaintSchema.safeParse(body);
    if (!parsed.success)
      return { ok: false, response: this.invalid('Invalid_Argument', describeIssue(parsed.error, body).message) };
    const { scale, ...request } = parsed.data;
    return this.outpaint(request, 'outpaint', (source) => zoomLayout(source, scale), `zoom ${scale}x`);
  }

  /** Youchuan's `/tob/pan`: the canvas `scale` (1.1–3.0) times longer in `direction`, the image at the far edge. */
  private pan(body: unknown): Outcome<JobSpec> {
    const parsed = panSchema.safeParse(body);
    if (!parsed.success)
      return { ok: false, response: this.invalid('Invalid_Argument', describeIssue(parsed.error, body).message) };
    const { direction: code, scale, ...request } = parsed.data;
    const direction = PAN_DIRECTIONS[code];
    if (direction === undefined)
      return { ok: false, response: this.invalid('Invalid_Argument', `direction must be 0 to 3, got ${code}`) };
    return this.outpaint(request, 'pan', (source) => panLayout(source, direction, scale), `pan ${direction}`);
  }

  /** A new grid on a larger canvas around one image of a finished job, which it keeps unchanged. */
  private outpaint(
    request: { jobId: string; imageNo: number; remixPrompt?: string },
    kind: 'outpaint' | 'pan',
    layoutFor: (source: { width: number; height: number }) => Layout,
    label: string,
  ): Outcome<JobSpec> {
    const { jobId, imageNo, remixPrompt } = request;
    const parent = this.parent(jobId, imageNo);
    if (!parent.ok) return parent;
    const sensitive = remixPrompt === undefined ? undefined : this.sensitive(remixPrompt);
    if (sensitive) return { ok: false, response: sensitive };
    const layout = layoutFor(sizeOf(parent.value));
    return {
      ok: true,
      value: {
        ...pick(parent.value),
        kind,
        text: remixPrompt ?? parent.value.text,
        seed: randomInt(1, 2 ** 31),
        aspect: reducedAspect(layout.canvas.width, layout.canvas.height),
        size: layout.canvas,
        imageCount: 4,
        label: `${label} ${imageNo + 1}`,
        outpaint: { parentId: jobId, imageNo, image: layout.image },
      },
    };
  }

  /** Inpaint and the upstream-only variation and reroll: a new grid made from one image of a finished job. */
  private followUp(
    body: unknown,
    schema: z.ZodType<{ jobId: string; imageNo?: number; remixPrompt?: string }>,
    label: string,
  ): Outcome<JobSpec> {
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      return { ok: false, response: this.invalid('Invalid_Argument', describeIssue(parsed.error, body).message) };
    const { jobId, imageNo, remixPrompt } = parsed.data;
    const parent = this.parent(jobId, imageNo);
    if (!parent.ok) return parent;
    const sensitive = remixPrompt === undefined ? undefined : this.sensitive(remixPrompt);
    if (sensitive) return { ok: false, response: sensitive };
    const text = remixPrompt ?? parent.value.text;
    const caption = imageNo === undefined ? label : `${label} ${imageNo + 1}`;
    const region = label === 'redraw' && imageNo !== undefined ? regionOf(body, jobId, imageNo) : undefined;
    if (region && !region.ok) return { ok: false, response: this.invalid('Invalid_Argument', region.message) };
    return {
      ok: true,
      value: {
        ...pick(parent.value),
        kind: kindFor(label),
        text,
        seed: randomInt(1, 2 ** 31),
        imageCount: 4,
        label: caption,
        ...(region?.ok ? { region: region.value } : {}),
      },
    };
  }

  /** The finished job a follow-up acts on; `imageNo` absent (reroll) means the whole job. */
  private parent(jobId: string, imageNo: number | undefined): Outcome<SimJob> {
    const job = this.jobs.get(jobId);
    if (!job)
      return { ok: false, response: this.error({ status: 404, reason: 'Not_Found', message: 'job not found' }) };
    const phase = jobPhase(job, this.clock.now(), this.mj.urlsLagSeconds * 1000);
    if (phase.status !== 2)
      return { ok: false, response: this.invalid('Invalid_Argument', `job ${jobId} is not finished successfully`) };
    if (imageNo === undefined) return { ok: true, value: job };
    if (imageNo >= job.imageCount)
      return {
        ok: false,
        response: this.invalid(
          'Invalid_Argument',
          `imageNo ${imageNo} is out of range for a job of ${job.imageCount} image(s)`,
        ),
      };
    if (job.rejectedImages.has(imageNo))
      return { ok: false, response: this.invalid('Invalid_Argument', `image ${imageNo} was rejected by moderation`) };
    return { ok: true, value: job };
  }

  private sensitive(text: string): SimResponse | undefined {
    const hit = this.mj.sensitiveWords.find((word) => text.toLowerCase().includes(word.toLowerCase()));
    return hit === undefined
      ? undefined
      : this.error({ status: 403, reason: 'Msg_Sensitive', message: '提示词包含敏感内容', code: 'moderation_blocked' });
  }

  private createJob(spec: JobSpec, fault: Fault | undefined): SimJob {
    const job: SimJob = {
      ...spec,
      id: this.newId(12),
      createdAt: this.clock.now(),
      durationMs: this.durationMs(spec.speed, TYPICAL_SECONDS),
      rejectedImages: new Set(),
      expireUrls: false,
    };
    this.applyJobFault(job, fault);
    this.jobs.set(job.id, job);
    return job;
  }

  /** content_rejected and expired_urls act on the job the request concerns. */
  private applyJobFault(job: SimJob, fault: Fault | undefined): void {
    if (fault?.kind === 'content_rejected') {
      if (fault.images)
        for (const image of fault.images) if (image <= job.imageCount) job.rejectedImages.add(image - 1);
      if (!fault.images) job.failure = 'JobStatusReject';
    } else if (fault?.kind === 'expired_urls') {
      job.expireUrls = true;
      if (job.urls) this.expireFiles(`${job.id}-`);
    }
  }

  private status(id: string, fault: Fault | undefined): SimResponse {
    const job = this.jobs.get(id);
    if (!job) return this.error({ status: 404, reason: 'Not_Found', message: 'job not found' });
    this.applyJobFault(job, fault);
    return { status: 200, json: this.jobBody(job) };
  }

  private jobBody(job: SimJob): Record<string, unknown> {
    const phase = jobPhase(job, this.clock.now(), this.mj.urlsLagSeconds * 1000);
    const comment = phase.status === 3 ? (job.failure ?? COMMENTS.enum[3]) : COMMENTS[this.mj.comments][phase.status];
    const body: Record<string, unknown> = {
      audits: [],
      comment,
      id: job.id,
      seed: 0,
      status: phase.status,
      text: job.text,
      urls: [],
    };
    if (this.mj.emitProgress && phase.status === 1) {
      const steps = Math.max(1, this.options.progressSteps);
      body.progress = `${Math.floor(Math.min(0.999, phase.fraction) * steps) * Math.floor(100 / steps)}%`;
    }
    if (phase.status === 2) {
      body.seed = job.seed;
      if (this.mj.emitProgress) body.progress = '100%';
      if (phase.urlsReady) {
        const urls = this.urlsFor(job);
        body.urls = urls;
        body.audits = urls.map((url) => (url === '' ? 'rejected: sensitive content' : 'approved'));
      }
    }
    return body;
  }

  private urlsFor(job: SimJob): string[] {
    const lifetime = job.expireUrls ? -1 : this.mj.urlLifetimeSeconds * 1000;
    const size = sizeOf(job);
    job.urls ??= Array.from({ length: job.imageCount }, (_, image) => {
      if (job.rejectedImages.has(image)) return '';
      const index = job.sourceIndex ?? image + 1;
      const label = job.imageCount === 1 ? job.label : `${job.label} #${image + 1}`;
      return this.serveFile(
        `${job.id}-${image + 1}.png`,
        () =>
          this.renderRegion(job, image) ??
          this.renderOutpaint(job, image) ??
          renderImage({ ...size, seed: job.seed, index, label }),
        'image/png',
        lifetime,
      );
    });
    return job.urls;
  }

  /** A region redraw's image: its parent's image, repainted inside the mask only. */
  private renderRegion(job: SimJob, image: number): Promise<Buffer> | undefined {
    const parent = job.region && this.jobs.get(job.region.parentId);
    if (!job.region || !parent) return undefined;
    const { imageNo, shapes } = job.region;
    const size = sizeOf(parent);
    const parentLabel = parent.imageCount === 1 ? parent.label : `${parent.label} #${imageNo + 1}`;
    return (async () =>
      renderRegionEdit(
        await renderImage({ ...size, seed: parent.seed, index: parent.sourceIndex ?? imageNo + 1, label: parentLabel }),
        await renderImage({ ...size, seed: job.seed, index: image + 1, label: `${job.label} #${image + 1}` }),
        polygonMaskSvg(shapes, size.width, size.height),
      ))();
  }

  /** An outpaint's image: its parent's image, unchanged where the layout puts it, on a new render of the canvas. */
  private renderOutpaint(job: SimJob, image: number): Promise<Buffer> | undefined {
    const outpaint = job.outpaint;
    const parent = outpaint && this.jobs.get(outpaint.parentId);
    if (!outpaint || !parent) return undefined;
    // The parent's own image, as it was served (a region edit or an outpaint included); registered here if nobody asked yet.
    this.urlsFor(parent);
    const source = this.fileBytes(`${parent.id}-${outpaint.imageNo + 1}.png`);
    if (!source) return undefined;
    const fill = renderImage({ ...sizeOf(job), seed: job.seed, index: image + 1, label: `${job.label} #${image + 1}` });
    return (async () => renderOutpaint(await source, await fill, outpaint.image))();
  }

  private invalid(reason: string, message: string): SimResponse {
    return this.error({ status: 400, reason, message, code: 'invalid_value' });
  }

  private error(error: SimError, headers?: Record<string, string>): SimResponse {
    return errorResponse(this.mj.errorFormat, error, headers);
  }
}

/**
 * The polygons of an inpaint's `mask.areas`, as fractions of each area's frame. The schema checked
 * counts and bounds; a polygon must also enclose some area (three points on a line repaint nothing).
 */
function regionOf(
  body: unknown,
  parentId: string,
  imageNo: number,
): { ok: true; value: NonNullable<SimJob['region']> } | { ok: false; message: string } | undefined {
  const mask = (body as { mask?: { areas?: { width: number; height: number; points: number[] }[] } }).mask;
  if (!mask?.areas) return undefined;
  const shapes = mask.areas.map((area) => {
    const pairs: [number, number][] = [];
    for (let at = 0; at + 1 < area.points.length; at += 2)
      pairs.push([area.points[at]! / area.width, area.points[at + 1]! / area.height]);
    return pairs;
  });
  const flat = shapes.findIndex((shape) => shapeArea(shape) < 1e-4);
  if (flat >= 0) return { ok: false, message: `mask.areas[${flat}].points enclose no area` };
  return { ok: true, value: { parentId, imageNo, shapes } };
}

/** What a follow-up inherits from its parent. */
function pick(parent: SimJob): Pick<SimJob, 'text' | 'speed' | 'version' | 'aspect' | 'edge' | 'size'> {
  const { text, speed, version, aspect, edge, size } = parent;
  return { text, speed, version, aspect, edge, ...(size ? { size } : {}) };
}

/** A job's image size in pixels. */
function sizeOf(job: SimJob): { width: number; height: number } {
  return job.size ?? sizeForAspect(job.aspect, job.edge);
}

function kindFor(label: string): SimJob['kind'] {
  const kinds: Record<string, SimJob['kind']> = {
    redraw: 'inpaint',
    vary: 'variation',
    reroll: 'reroll',
  };
  return kinds[label] ?? 'inpaint';
}

/** Options without undefined values, so they do not override the defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
