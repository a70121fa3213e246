import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { regionMaskPng } from '../../images/region-mask.js';
import type { StoredImage } from '../../jobs/job.js';
import { regionAreaSchema, regionPromptSchema } from '../../jobs/region.js';
import type { BotContext } from '../context.js';
import type { RegionLinks } from '../region-link.js';
import { regionText } from '../region-text.js';
import { launchFromEditor } from './launch.js';
import { editorPage, refusalPage } from './page.js';

const MAX_BODY_BYTES = 256 * 1024;
const submissionSchema = z.strictObject({
  area: regionAreaSchema,
  prompt: regionPromptSchema.optional(),
});

export interface RegionEditorOptions {
  context: BotContext;
  links: RegionLinks;
  /** Loads a stored image's bytes (downloads a provider URL, reads a blob). */
  loadImage: (image: StoredImage) => Promise<{ bytes: Uint8Array; contentType: string } | undefined>;
}

/**
 * The Vary (Region) editor on the bot's public URL: `GET /region/<token>` is the page,
 * `GET /region/<token>/image` the image it shows, `POST /region/<token>` the drawn region. The
 * token is checked on each, so an expired, altered or foreign link shows only why it is refused.
 * `GET /region-mask/<token>.png` is a region job's mask, for providers that fetch it.
 */
export function regionEditorRoutes(options: RegionEditorOptions) {
  const { context, links } = options;
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const url = URL.parse(request.url ?? '/', 'http://editor');
    const mask = url && /^\/region-mask\/([^/]+)\.png$/.exec(url.pathname);
    if (mask) {
      await serveMask(options, mask[1] ?? '', request, response);
      return true;
    }
    const match = url && /^\/region\/([^/]+)(\/image)?$/.exec(url.pathname);
    if (!match) return false;
    const [, token = '', image] = match;
    const check = links.verify(token, context.now());
    if (!check.ok) {
      const say = regionText(undefined);
      if (request.method === 'POST') json(response, 403, { error: say.linkRefused[check.refusal] });
      else html(response, 403, refusalPage(say.linkRefused[check.refusal]));
      return true;
    }
    const { grant } = check;
    const say = regionText(grant.locale);
    if (request.method === 'GET' && image) {
      const parent = await context.stores.jobs.get(grant.job);
      const stored = parent?.visibility === 'public' ? parent.images?.[grant.index - 1] : undefined;
      const loaded = stored && stored.kind !== 'rejected' ? await options.loadImage(stored) : undefined;
      if (!loaded) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(say.notAvailable);
        return true;
      }
      response
        .writeHead(200, { 'content-type': loaded.contentType, 'cache-control': 'private, max-age=600' })
        .end(loaded.bytes);
      return true;
    }
    if (request.method === 'GET') {
      const parent = await context.stores.jobs.get(grant.job);
      html(response, 200, editorPage({ token, prompt: parent?.prompt.text ?? '', locale: grant.locale }));
      return true;
    }
    if (request.method !== 'POST') {
      json(response, 405, { error: 'GET or POST only' });
      return true;
    }
    const body = await readJson(request);
    const submission = submissionSchema.safeParse(body);
    if (!submission.success) {
      const issue = submission.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      json(response, 400, { error: say.badSubmission(`${where}${issue?.message ?? 'not a region'}`) });
      return true;
    }
    const { area, prompt } = submission.data;
    const outcome = await launchFromEditor(context, grant, {
      action: 'region',
      index: grant.index,
      area,
      ...(prompt === undefined ? {} : { prompt }),
    });
    if (outcome.ok) json(response, 200, { ok: true, job: outcome.jobId, message: say.submitted });
    else json(response, outcome.status, { error: outcome.message });
    return true;
  };
}

/**
 * `GET /region-mask/<token>.png`: a region job's mask, white inside the region on black, at the
 * size the token names, for a provider that takes the mask as a URL (AceData). It is drawn from
 * the job's stored region on each fetch; a bad, expired or foreign token gets a bare 403.
 */
async function serveMask(
  options: RegionEditorOptions,
  token: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { context, links } = options;
  const text = (status: number, message: string): void => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'GET only');
  const check = links.verifyMask(token, context.now());
  if (!check.ok) return text(403, 'This mask link is not valid.');
  const { job: jobId, width, height } = check.grant;
  const job = await context.stores.jobs.get(jobId);
  if (job?.followUp?.action !== 'region') return text(404, 'No such mask.');
  const png = await regionMaskPng(job.followUp.area, { width, height }, 'white-inside');
  response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'private, no-store' });
  response.end(request.method === 'HEAD' ? undefined : png);
}

function html(response: ServerResponse, status: number, page: string): void {
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      // The page runs only its own inline script and loads only its own image.
      'content-security-policy':
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'",
      'referrer-policy': 'no-referrer',
    })
    .end(page);
}

function json(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
