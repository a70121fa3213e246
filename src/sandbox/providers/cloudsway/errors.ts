import type { z } from 'zod';
import type { SimResponse } from '../kit/simulator.js';

/**
 * Cloudsway's gateway error format is UNKNOWN (CONTRACTS.md §A, §B), so the simulators can answer
 * in each plausible one: Youchuan's `{code, message, reason}` (MaaS-MJ's default), OpenAI's
 * `{error: {message, type, param, code}}` (Image-1's default), or a plain-text gateway page.
 */
export type ErrorFormat = 'youchuan' | 'openai' | 'text';

export interface SimError {
  status: number;
  /** Youchuan's `reason`, e.g. `Account_Fee_Not_Enough`. */
  reason: string;
  message: string;
  /** OpenAI's `code` (defaults to the reason in lower case) and `type`. */
  code?: string | null;
  type?: string;
  param?: string | null;
}

export function errorResponse(format: ErrorFormat, error: SimError, headers?: Record<string, string>): SimResponse {
  const base = headers === undefined ? {} : { headers };
  switch (format) {
    case 'youchuan':
      return {
        ...base,
        status: error.status,
        json: { code: error.status, message: error.message, reason: error.reason },
      };
    case 'openai':
      return {
        ...base,
        status: error.status,
        json: {
          error: {
            message: error.message,
            type: error.type ?? 'invalid_request_error',
            param: error.param ?? null,
            code: error.code === undefined ? error.reason.toLowerCase() : error.code,
          },
        },
      };
    case 'text':
      return {
        ...base,
        status: error.status,
        raw: { body: `${error.status} ${error.reason}: ${error.message}`, contentType: 'text/plain; charset=utf-8' },
      };
  }
}

/** What a proxy in front of the service answers for 502/504: an HTML page, whatever the API's format. */
export function gatewayPage(status: number): SimResponse {
  const title = status === 504 ? 'Gateway Time-out' : status === 502 ? 'Bad Gateway' : 'Service Unavailable';
  return {
    status,
    raw: {
      body: `<html><head><title>${status} ${title}</title></head><body><h1>${status} ${title}</h1></body></html>`,
      contentType: 'text/html',
    },
  };
}

/**
 * The first zod issue in OpenAI's words: an unknown field, a missing required one, or an invalid
 * value, naming the field as `param`. `body` is what was sent, to tell "missing" from "invalid".
 */
export function describeIssue(
  error: z.ZodError,
  body: unknown,
): { message: string; param: string | null; code: string } {
  const issue = error.issues[0];
  if (!issue) return { message: 'Invalid request.', param: null, code: 'invalid_value' };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return {
      message: `Unknown parameter: '${[...issue.path.map(String), key].join('.')}'.`,
      param: key,
      code: 'unknown_parameter',
    };
  }
  const param = issue.path.length > 0 ? issue.path.map(String).join('.') : null;
  const top = issue.path[0];
  const given = typeof body === 'object' && body !== null && top !== undefined && Object.hasOwn(body, top);
  if (param !== null && issue.path.length === 1 && !given) {
    return { message: `Missing required parameter: '${param}'.`, param, code: 'missing_required_parameter' };
  }
  return {
    message: param ? `Invalid value for '${param}': ${issue.message}.` : `${issue.message}.`,
    param,
    code: 'invalid_value',
  };
}
