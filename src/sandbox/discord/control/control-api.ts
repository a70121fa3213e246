import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { DiscordEmulator } from '../emulator.js';
import { DiscordApiError, EmulatorUsageError } from '../errors.js';
import { sendBytes, sendEmpty, sendJson } from '../http/respond.js';
import { matchRoute } from '../http/router.js';
import { readRaw } from '../multipart.js';
import { controlRoutes } from './routes.js';

const MAX_CONTROL_BODY = 64 * 1024 * 1024;
const CORS = { 'Access-Control-Allow-Origin': '*' };

export interface ControlContext {
  emulator: DiscordEmulator;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  request: IncomingMessage;
  response: ServerResponse;
}

/** What a control route answers: JSON, raw bytes, or "already streamed" (SSE). */
export type ControlResult =
  { status: number; json: unknown } | { status: number; bytes: Buffer; contentType: string } | { streamed: true };

export interface ControlRoute {
  method: 'GET' | 'POST' | 'DELETE';
  template: string;
  handle(context: ControlContext): ControlResult | Promise<ControlResult>;
}

/**
 * The control API boundary under `/__emulator`: routing, JSON bodies, CORS for the playground,
 * and the one place where errors become `{error: {code, message}}` answers.
 */
export async function handleControl(
  emulator: DiscordEmulator,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  if (request.method === 'OPTIONS') {
    sendEmpty(response, 204, {
      ...CORS,
      'Access-Control-Allow-Methods': 'GET, POST, DELETE',
      'Access-Control-Allow-Headers': 'content-type',
    });
    return;
  }
  try {
    const found = matchRoute(controlRoutes, request.method ?? 'GET', path);
    if (found.kind !== 'found') {
      throw new EmulatorUsageError(
        found.kind === 'none' ? 404 : 405,
        'not_found',
        `No control route ${request.method ?? ''} ${path}`,
      );
    }
    const body = await readJson(request);
    const result = await found.match.route.handle({
      emulator,
      params: found.match.params,
      query,
      body,
      request,
      response,
    });
    if ('streamed' in result) return;
    if ('bytes' in result) sendBytes(response, result.status, result.bytes, result.contentType);
    else sendJson(response, result.status, result.json, CORS);
  } catch (error) {
    const { status, code, message, issues } = describeError(error);
    if (status === 500) emulator.core.log.error({ err: error, path }, 'control API handler failed');
    if (!response.headersSent)
      sendJson(response, status, { error: { code, message, ...(issues ? { issues } : {}) } }, CORS);
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const { raw, tooLarge } = await readRaw(request, MAX_CONTROL_BODY);
  if (tooLarge) throw new EmulatorUsageError(413, 'too_large', 'Control request body is too large');
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new EmulatorUsageError(400, 'invalid_json', 'The body is not valid JSON');
  }
}

function describeError(error: unknown): { status: number; code: string; message: string; issues?: unknown } {
  if (error instanceof z.ZodError)
    return { status: 400, code: 'invalid_body', message: z.prettifyError(error), issues: error.issues };
  if (error instanceof EmulatorUsageError) return { status: error.status, code: error.code, message: error.message };
  // Lookups shared with the REST side throw Discord errors (Unknown Channel, …); keep their code.
  if (error instanceof DiscordApiError)
    return { status: error.status, code: `discord_${error.code}`, message: error.message };
  return { status: 500, code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
