/**
 * The retry rules of the one HTTP client every adapter uses, in the manner of discord.js's
 * RequestHandler tests. Answers come from undici's MockAgent with the network disabled; what an
 * answer cannot show (a connection refused, a request taken and never answered, an answer too slow)
 * comes from real servers on loopback.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../src/logger.js';
import { ProviderError } from '../../src/providers/errors.js';
import { ProviderHttp, type ProviderHttpOptions } from '../../src/providers/http.js';

const ORIGIN = 'http://provider.test';
const schema = z.object({ state: z.string() });
const logger = createLogger({ level: 'warn', destination: { write: () => undefined } });

/** A client as an adapter builds one, with backoff shortened so three attempts take milliseconds. */
function client(dispatcher: Dispatcher, options: Partial<ProviderHttpOptions> = {}): ProviderHttp {
  return new ProviderHttp({
    provider: 'acme',
    baseUrl: ORIGIN,
    headers: { authorization: 'Bearer k-test' },
    dispatcher,
    logger,
    backoffMs: 1,
    ...options,
  });
}

const statusQuery = (http: ProviderHttp, signal = AbortSignal.timeout(10_000)) =>
  http.send({ method: 'GET', path: '/tasks/t-1', kind: 'idempotent', schema, signal });
const submit = (http: ProviderHttp, signal = AbortSignal.timeout(10_000)) =>
  http.send({ method: 'POST', path: '/tasks', json: { prompt: 'a red bird' }, kind: 'submit', schema, signal });

/** The ProviderError a call fails with; a call that succeeds fails the test. */
async function failureOf(call: Promise<unknown>): Promise<ProviderError> {
  const error = await call.then(
    () => new Error('expected the call to fail'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A provider that gives these answers in turn (the last one from then on), and counts what it was sent. */
function scripted(...answers: Answer[]) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  let sent = 0;
  agent
    .get(ORIGIN)
    .intercept({ path: /^\//, method: /^(GET|POST)$/ })
    .reply(() => {
      const answer = answers[Math.min(sent, answers.length - 1)]!;
      sent += 1;
      return {
        statusCode: answer.status,
        data: JSON.stringify(answer.body ?? {}),
        responseOptions: { headers: { 'content-type': 'application/json', ...answer.headers } },
      };
    })
    .persist();
  return { agent, sent: () => sent };
}

const done: Answer = { status: 200, body: { state: 'done' } };

describe('ProviderHttp: a status query is safe to send again', () => {
  it('GIVEN a temporary server outage (500, then 502) THEN the query is sent again and succeeds on the third attempt', async () => {
    const provider = scripted({ status: 500 }, { status: 502 }, done);
    await expect(statusQuery(client(provider.agent))).resolves.toEqual({ state: 'done' });
    expect(provider.sent()).toBe(3);
  });

  it('GIVEN an outage longer than the attempts THEN it stops after 3 with the last failure, transient', async () => {
    const provider = scripted({ status: 500 });
    const failure = await failureOf(statusQuery(client(provider.agent)));
    expect(failure).toMatchObject({ code: 'transient', status: 500, message: 'acme GET /tasks/t-1: HTTP 500' });
    expect(provider.sent()).toBe(3);
  });

  it('GIVEN 429 with a Retry-After THEN the query waits that long, not the backoff, and is sent again', async () => {
    const provider = scripted({ status: 429, headers: { 'retry-after': '0.3' } }, done);
    const started = performance.now();
    await expect(statusQuery(client(provider.agent))).resolves.toEqual({ state: 'done' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(provider.sent()).toBe(2);
  });

  it('GIVEN 401 Unauthorized THEN it fails as auth at once: a wrong key stays wrong', async () => {
    const provider = scripted({ status: 401, body: { message: 'invalid key' } });
    const failure = await failureOf(statusQuery(client(provider.agent)));
    expect(failure).toMatchObject({ code: 'auth', status: 401, retryable: false });
    expect(provider.sent()).toBe(1);
  });
});

describe('ProviderHttp: a submit is sent again only when the provider certainly did not take it', () => {
  it('GIVEN 500 on a submit THEN it is not sent again: the job may exist, and a second one would be paid for', async () => {
    const provider = scripted({ status: 500 }, done);
    const failure = await failureOf(submit(client(provider.agent)));
    expect(failure).toMatchObject({ code: 'transient', status: 500, message: 'acme POST /tasks: HTTP 500' });
    expect(provider.sent()).toBe(1);
  });

  it('GIVEN 503 Service Unavailable on a submit THEN it is sent again: the provider refused it', async () => {
    const provider = scripted({ status: 503 }, done);
    await expect(submit(client(provider.agent))).resolves.toEqual({ state: 'done' });
    expect(provider.sent()).toBe(2);
  });

  it('GIVEN 429 that is a rate limit (busy) THEN the submit is sent again', async () => {
    const provider = scripted({ status: 429, body: { error: 'slow down' } }, done);
    await expect(submit(client(provider.agent))).resolves.toEqual({ state: 'done' });
    expect(provider.sent()).toBe(2);
  });

  it('GIVEN 429 that the provider means as out of quota THEN neither a submit nor a query is sent again', async () => {
    // OpenAI-style: an empty balance comes back as 429; the adapter's mapper says so, waiting would not help.
    const mapError = (status: number, body: unknown) =>
      status === 429 && (body as { error?: string }).error === 'insufficient_quota'
        ? new ProviderError('credits', 'acme: insufficient_quota', { status })
        : undefined;
    for (const call of [submit, statusQuery]) {
      const provider = scripted({ status: 429, body: { error: 'insufficient_quota' } }, done);
      const failure = await failureOf(call(client(provider.agent, { mapError })));
      expect(failure.code).toBe('credits');
      expect(failure.message).toMatch(/^acme (POST \/tasks|GET \/tasks\/t-1): insufficient_quota$/);
      expect(provider.sent()).toBe(1);
    }
  });

  it('GIVEN 401 Unauthorized on a submit THEN it fails as auth at once', async () => {
    const provider = scripted({ status: 401 }, done);
    expect((await failureOf(submit(client(provider.agent)))).code).toBe('auth');
    expect(provider.sent()).toBe(1);
  });
});

describe('ProviderHttp: waiting and giving up', () => {
  it('GIVEN a Retry-After longer than maxWaitMs THEN it is not waited out here: the error carries it to the caller', async () => {
    const provider = scripted({ status: 429, headers: { 'retry-after': '1' } }, done);
    const failure = await failureOf(statusQuery(client(provider.agent, { maxWaitMs: 100 })));
    expect(failure).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
    expect(provider.sent()).toBe(1);
  });

  it('GIVEN the caller aborts while a retry waits THEN the wait ends and nothing more is sent', async () => {
    const provider = scripted({ status: 503 }, done);
    const controller = new AbortController();
    // A backoff of 2.5 to 7.5 s (under maxWaitMs, so it is waited out): only the abort ends it sooner.
    const call = statusQuery(client(provider.agent, { backoffMs: 5_000 }), controller.signal);
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    expect((await failureOf(call)).status).toBe(503);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(provider.sent()).toBe(1);
  });
});

/** Counts every attempt handed to the network, including those that never reach a server. */
class CountingAgent extends Agent {
  attempts = 0;
  override dispatch(options: Agent.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.attempts += 1;
    return super.dispatch(options, handler);
  }
}

describe('ProviderHttp: over a real connection', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A loopback server that counts requests and handles each as `handle` says. */
  async function server(handle: (request: IncomingMessage, response: ServerResponse) => void) {
    let received = 0;
    const http: Server = createServer((request, response) => {
      received += 1;
      handle(request, response);
    });
    await new Promise<void>((listening) => http.listen(0, '127.0.0.1', listening));
    cleanups.push(async () => {
      http.closeAllConnections();
      await new Promise((closed) => http.close(closed));
    });
    return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, received: () => received };
  }

  function agent(): CountingAgent {
    const counting = new CountingAgent();
    cleanups.push(() => counting.destroy());
    return counting;
  }

  it('GIVEN a connection that is never established (refused) THEN even a submit is sent again: it never left', async () => {
    // A port that was free a moment ago: nothing listens there.
    const gone = await server(() => undefined);
    await cleanups.pop()!();
    const network = agent();
    const failure = await failureOf(submit(client(network, { baseUrl: gone.url })));
    expect(failure).toMatchObject({ code: 'transient', message: 'acme POST /tasks: could not connect' });
    expect((failure.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(network.attempts).toBe(3);
  });

  it('GIVEN the provider takes the request and closes without answering THEN a submit is not sent again, a status query is', async () => {
    const provider = await server((request) => request.socket.destroy());
    const submitted = await failureOf(submit(client(agent(), { baseUrl: provider.url })));
    expect(submitted.code).toBe('transient');
    expect(provider.received()).toBe(1);

    const queried = await failureOf(statusQuery(client(agent(), { baseUrl: provider.url })));
    expect(queried.code).toBe('transient');
    expect(provider.received()).toBe(1 + 3);
  });

  it('GIVEN a provider responding too slowly (no headers within the timeout) THEN it is a transient timeout; a submit is not sent again, a status query is', async () => {
    const provider = await server(() => undefined);
    // undici checks this timeout on a half-second tick, so each attempt takes up to a second.
    const timeouts = { headers: 100 };
    const submitted = await failureOf(submit(client(agent(), { baseUrl: provider.url, timeouts })));
    expect(submitted).toMatchObject({
      code: 'transient',
      message: 'acme POST /tasks: timed out waiting for the provider',
    });
    expect(provider.received()).toBe(1);

    const queried = await failureOf(statusQuery(client(agent(), { baseUrl: provider.url, timeouts })));
    expect(queried.message).toBe('acme GET /tasks/t-1: timed out waiting for the provider');
    expect(provider.received()).toBe(1 + 3);
  });
});
