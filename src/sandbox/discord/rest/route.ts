import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorCore } from '../core.js';
import type { RequestBody } from '../multipart.js';
import type { BucketCheck } from '../rate-limit.js';

export interface RestContext {
  core: EmulatorCore;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: RequestBody;
}

export interface RestResult {
  status: number;
  body?: unknown;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One Discord REST endpoint under `/api/v10`. */
export interface RestRoute {
  method: HttpMethod;
  /** Path template; `:name` segments become `params.name`. Recorded as the request's route. */
  template: string;
  /** `bot` routes need `Authorization: Bot <token>`; interaction and webhook routes need none. */
  auth: 'bot' | 'none';
  /**
   * Rate-limit buckets beyond the global one, the route's own first (its state goes into the
   * headers). Omitted: one default bucket per route and major parameter. Empty: not limited.
   */
  buckets?: (core: EmulatorCore, params: Record<string, string>) => BucketCheck[];
  handle(context: RestContext): RestResult | Promise<RestResult>;
}

export const ok = (body: unknown): RestResult => ({ status: 200, body });
export const noContent = (): RestResult => ({ status: 204 });

/** The parameter Discord buckets a route by: channel, guild, or webhook id + token. */
export function majorParameter(params: Record<string, string>): string {
  if (params.channel) return `channel:${params.channel}`;
  if (params.guild) return `guild:${params.guild}`;
  if (params.webhook) return `webhook:${params.webhook}/${params.token ?? ''}`;
  return 'none';
}

/** The per-channel edit bucket, shared by channel edits and webhook edits of messages in that channel. */
export function messageEditBucket(core: EmulatorCore, channelId: string): BucketCheck {
  return { name: 'message-edit', major: `channel:${channelId}`, window: core.limits.messageEdit, scope: 'user' };
}
