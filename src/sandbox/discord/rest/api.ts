import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EmulatorCore } from '../core.js';
import { DiscordApiError, discordErrors } from '../errors.js';
import { sendEmpty, sendJson } from '../http/respond.js';
import { matchRoute } from '../http/router.js';
import { parseBody } from '../multipart.js';
import type { BucketCheck } from '../rate-limit.js';
import type { RecordedRequest } from '../request-log.js';
import { toFormErrors } from '../validate/form-errors.js';
import { applicationRoutes } from './application.js';
import { channelRoutes } from './channels.js';
import { commandRoutes } from './commands.js';
import { guildRoutes } from './guilds.js';
import { interactionRoutes } from './interactions.js';
import { majorParameter, type RestRoute } from './route.js';
import { userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';

const ROUTES: readonly RestRoute[] = [
  ...applicationRoutes,
  ...commandRoutes,
  ...interactionRoutes,
  ...webhookRoutes,
  ...channelRoutes,
  ...guildRoutes,
  ...userRoutes,
];

export const API_PREFIX = '/api/v10';

/**
 * The REST boundary: routing, bot auth, rate limits, body parsing, and the one place where errors
 * become Discord's `{code, message, errors}` replies. Every request is recorded for the control API.
 */
export async function handleRest(
  core: EmulatorCore,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const started = performance.now();
  const entry: RecordedRequest = {
    method: request.method ?? 'GET',
    route: null,
    path,
    status: 500,
    at: core.clock.now(),
    durationMs: 0,
    rateLimited: false,
  };
  let headers: Record<string, string> = {};
  /** Every answer leaves through here, so the spec judge sees each one the bot gets. */
  const answer = (status: number, body: unknown) => {
    entry.status = status;
    if (body === undefined) sendEmpty(response, status, headers);
    else sendJson(response, status, body, headers);
    if (core.recordBodies && body !== undefined) entry.responseBody = body;
    try {
      core.spec.checkResponse(entry, status, body);
    } catch (error) {
      // A fault in the judge must not turn an answer already sent into a second one.
      core.log.error({ err: error, method: entry.method, path }, 'spec judge failed on a response');
    }
  };
  try {
    const found = matchRoute(ROUTES, entry.method, path);
    if (found.kind === 'none') throw discordErrors.notFound();
    if (found.kind === 'wrong-method') throw discordErrors.methodNotAllowed();
    const { route, params } = found.match;
    entry.route = route.template;
    if (route.auth === 'bot' && request.headers.authorization !== `Bot ${core.token}`)
      throw discordErrors.unauthorized();
    const outage = core.outages.find(
      (candidate) => candidate.count > 0 && candidate.method === entry.method && candidate.template === route.template,
    );
    if (outage) {
      outage.count -= 1;
      request.resume();
      entry.status = outage.status;
      // A failure of Discord's own infrastructure, which its published spec does not describe.
      sendJson(response, outage.status, { message: `${outage.status}: Server Error`, code: 0 }, headers);
      return;
    }
    const own = route.buckets ? route.buckets(core, params) : [defaultBucket(core, route, params)];
    const global = route.auth === 'bot' ? [globalBucket(core)] : [];
    const decision = core.rateLimiter.take([...global, ...own], own[0]);
    headers = decision.headers;
    if (!decision.allowed) {
      request.resume();
      const retryAfter = (decision.retryAfterMs ?? 0) / 1000;
      Object.assign(entry, { rateLimited: true, scope: decision.scope, retryAfterMs: decision.retryAfterMs });
      answer(429, {
        message: 'You are being rate limited.',
        retry_after: retryAfter,
        global: decision.scope === 'global',
      });
      return;
    }
    const body = await parseBody(request, {
      maxRequestBytes: core.limits.attachmentBytesPerRequest,
      maxFileBytes: core.limits.attachmentBytesPerFile,
    });
    if (core.recordBodies && body.json !== undefined) entry.requestBody = body.json;
    // The spec's judgement comes first, as Discord checks a form's shape before acting on it;
    // the handlers' own rules (lengths the spec does not know, pairing, permissions) follow.
    const refused = core.spec.checkRequest(entry, body.json);
    if (refused) throw discordErrors.invalidFormBody(toFormErrors(refused));
    const result = await route.handle({ core, params, query, headers: request.headers, body });
    answer(result.status, result.body);
  } catch (error) {
    request.resume();
    if (error instanceof DiscordApiError) {
      answer(error.status, error.toBody());
    } else {
      core.log.error({ err: error, method: entry.method, path }, 'emulator REST handler failed');
      answer(500, { message: '500: Internal Server Error', code: 0 });
    }
  } finally {
    entry.durationMs = performance.now() - started;
    core.requestLog.add(entry);
  }
}

/** Discord's global limit: requests per second per bot token, across every bot route. */
function globalBucket(core: EmulatorCore): BucketCheck {
  return {
    name: 'global',
    major: core.token,
    window: { limit: core.limits.globalPerSecond, windowMs: 1000 },
    scope: 'global',
  };
}

function defaultBucket(core: EmulatorCore, route: RestRoute, params: Record<string, string>): BucketCheck {
  return {
    name: `${route.method} ${route.template}`,
    major: majorParameter(params),
    window: core.limits.defaultRoute,
    scope: 'user',
  };
}
