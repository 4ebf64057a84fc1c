import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { z } from 'zod';
import {
  endpoints,
  type Endpoint,
  type EndpointName,
  type Endpoints,
  type HttpMethod,
  type ResponseOf,
  type StreamedBody,
} from '../../../shared/api/endpoints';
import { ApiErrorBodySchema } from '../../../shared/errors/codes';
import { normalizeFingerprint, SpkiFingerprintSchema } from '../../../shared/tls/fingerprint';
import { CoreError, describeCause, isCoreError } from '../core-error';
import { createPinnedAgent } from './pinned-agent';
import { ServiceError } from './service-error';

type Part = 'params' | 'query' | 'body';
type SchemaInput<S> = [S] extends [z.ZodNever] ? never : S extends z.ZodType ? z.input<S> : never;
type PartInput<N extends EndpointName, K extends Part> = SchemaInput<NonNullable<Endpoints[N][K & keyof Endpoints[N]]>>;

/** What a call to endpoint N takes: exactly the parts that endpoint declares. */
export type CallInput<N extends EndpointName> = {
  [K in Part as [PartInput<N, K>] extends [never] ? never : K]: PartInput<N, K>;
} & {
  [K in Part as [PartInput<N, K>] extends [never] ? K : never]?: never;
};
type CallArgs<N extends EndpointName> = Record<string, never> extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>];

/** Endpoints whose body is streamed (exports). */
export type StreamedEndpointName = { [N in EndpointName]: [NonNullable<Endpoints[N]['stream']>] extends [never] ? never : N }[EndpointName];

export interface StreamedResponse {
  /** One of the endpoint's declared content types (parameters stripped). */
  readonly contentType: string;
  /** The attachment file name the service suggests, if any. */
  readonly filename: string | null;
  /** The body as it arrives, unparsed; a stalled body fails after the call budget. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. */
  cancel(): void;
}

export interface ServiceClient {
  readonly serviceUrl: string;
  readonly fingerprint: string;
  /**
   * Calls an endpoint of shared/api/endpoints.ts over the pinned connection and
   * returns its response parsed with the endpoint's schema. Fails with a CoreError
   * (certificate_mismatch, service_unreachable, unexpected_response, not_signed_in,
   * keychain_unavailable) or a ServiceError carrying the service's own code.
   * Endpoints that are not public carry the access token from `credentials`; a 401
   * renews it once (see Credentials.renew) and retries.
   */
  call<N extends EndpointName>(name: N, ...args: CallArgs<N>): Promise<ResponseOf<N>>;
  /**
   * Opens a streamed endpoint (one with `stream` in shared/api/endpoints.ts) and hands
   * its body over as bytes while it arrives: nothing is buffered or parsed, so memory
   * stays flat whatever the size. Errors, renewal and the pin are as for `call`.
   */
  stream<N extends StreamedEndpointName>(name: N, ...args: CallArgs<N>): Promise<StreamedResponse>;
  close(): Promise<void>;
}

/** Where the client gets the bearer token for endpoints that are not public. */
export interface Credentials {
  /** The access token to send; fails with not_signed_in (or keychain_unavailable) without a session. */
  accessToken(): Promise<string>;
  /**
   * The service refused `refused` with 401 `error`: resolve with a fresh token to retry
   * the call once, or reject (the session has ended, or cannot be renewed now).
   */
  renew(refused: string, error: ServiceError): Promise<string>;
}

const noCredentials: Credentials = {
  accessToken: () => Promise.reject(new CoreError('not_signed_in', 'Not signed in. Sign in to the console and try again.')),
  renew: (_refused, error) => Promise.reject(error),
};

export interface ServiceClientOptions {
  serviceUrl: string;
  fingerprint: string;
  /** Without credentials only public endpoints can be called. */
  credentials?: Credentials;
  /** Budget of one call, connection included. */
  timeoutMs?: number;
  /** Largest response body accepted. */
  maxResponseBytes?: number;
  /** Sent as User-Agent: what the sessions view shows as this console's device. */
  userAgent?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function parseServiceUrl(serviceUrl: string): URL {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    throw new CoreError('invalid_input', `The service URL "${serviceUrl}" is not a URL; expected e.g. https://127.0.0.1:8443.`);
  }
  if (url.protocol !== 'https:') {
    throw new CoreError('invalid_input', `The service URL must use https (got ${url.protocol}); the console only talks TLS.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new CoreError('invalid_input', 'The service URL must not carry credentials, a query or a fragment.');
  }
  return url;
}

export function parseFingerprint(fingerprint: string): string {
  const parsed = SpkiFingerprintSchema.safeParse(normalizeFingerprint(fingerprint));
  if (!parsed.success) {
    throw new CoreError('invalid_input', `The pinned fingerprint is not a SHA-256 SPKI fingerprint: expected 64 hex characters.`);
  }
  return parsed.data;
}

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const base = parseServiceUrl(options.serviceUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const fingerprint = parseFingerprint(options.fingerprint);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const agent = createPinnedAgent({ fingerprint, connectTimeoutMs: timeoutMs, headersTimeoutMs: timeoutMs, bodyTimeoutMs: timeoutMs });
  const where = base.origin;

  const invalid = (name: string, part: Part, issues: readonly z.core.$ZodIssue[]): CoreError => {
    const first = issues[0];
    const field = first && first.path.length > 0 ? `${part}.${first.path.join('.')}` : part;
    return new CoreError('invalid_input', `Invalid ${field} for ${name}: ${first?.message ?? 'invalid'}.`);
  };

  const credentials = options.credentials ?? noCredentials;

  interface Sent {
    status: number;
    text: string;
    retryAfter: string | undefined;
  }
  const headerValue = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

  /**
   * Sends a request. A JSON answer is read whole (within the call budget); with
   * `streamed`, a 2xx answer is returned unread with only the headers' budget spent
   * (the agent's body timeout still ends a stalled stream).
   */
  async function send(url: URL, method: HttpMethod, body: string | undefined, token: string | undefined): Promise<Sent>;
  async function send(url: URL, method: HttpMethod, body: string | undefined, token: string | undefined, streamed: true): Promise<Sent | Dispatcher.ResponseData>;
  async function send(url: URL, method: HttpMethod, body: string | undefined, token: string | undefined, streamed = false): Promise<Sent | Dispatcher.ResponseData> {
    try {
      return await sendOnce(url, method, body, token, streamed);
    } catch (error) {
      // A kept-alive connection the service closed (it restarted) fails the first request
      // sent on it. A GET is sent again once, on a new connection; a POST never is: the
      // service may have received it, and it would apply twice.
      if (method !== 'GET' || !closedBeneath(error)) throw error;
      return sendOnce(url, method, body, token, streamed);
    }
  }

  async function sendOnce(url: URL, method: HttpMethod, body: string | undefined, token: string | undefined, streamed: boolean): Promise<Sent | Dispatcher.ResponseData> {
    const headers: Record<string, string> = { accept: streamed ? '*/*' : 'application/json' };
    if (options.userAgent !== undefined) headers['user-agent'] = options.userAgent;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new DOMException('The call took too long', 'TimeoutError')), timeoutMs);
    try {
      const response = await request(url, { method, headers, body, dispatcher: agent, signal: budget.signal });
      if (streamed && response.statusCode >= 200 && response.statusCode < 300) {
        clearTimeout(timer);
        return response;
      }
      return {
        status: response.statusCode,
        text: await readBody(response, maxResponseBytes, where),
        retryAfter: headerValue(response.headers['retry-after']),
      };
    } catch (error) {
      throw isCoreError(error) ? error : unreachable(error, where, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Validates the parts of a call and builds its URL and body. */
  function prepare(name: EndpointName, args: readonly unknown[]): { url: URL; body: string | undefined } {
    const endpoint = endpoints[name];
    const input = (args[0] ?? {}) as Partial<Record<Part, unknown>>;
    for (const part of ['params', 'query', 'body'] as const) {
      const schema: z.ZodType | undefined = (endpoint as Partial<Record<Part, z.ZodType>>)[part];
      if (schema) {
        const checked = schema.safeParse(input[part]);
        if (!checked.success) throw invalid(name, part, checked.error.issues);
      } else if (input[part] !== undefined) {
        throw new CoreError('invalid_input', `${name} takes no ${part}.`);
      }
    }

    const url = new URL(base.origin);
    url.pathname = basePath + fillPath(endpoint.path, input.params);
    appendQuery(url, input.query);

    return { url, body: input.body === undefined ? undefined : JSON.stringify(input.body) };
  }

  async function stream<N extends StreamedEndpointName>(name: N, ...args: CallArgs<N>): Promise<StreamedResponse> {
    const endpoint = endpoints[name] as Endpoint & { stream: StreamedBody };
    const { url, body } = prepare(name, args);
    const token = await credentials.accessToken();
    let response = await send(url, endpoint.method, body, token, true);
    if ('text' in response && response.status === 401) {
      const refused = serviceError(response, where);
      if (!(refused instanceof ServiceError)) throw refused;
      response = await send(url, endpoint.method, body, await credentials.renew(token, refused), true);
    }
    if ('text' in response) throw serviceError(response, where);
    const raw = response;
    const contentType = (headerValue(raw.headers['content-type']) ?? '').split(';')[0]!.trim().toLowerCase();
    if (!Object.hasOwn(endpoint.stream.contentTypes, contentType)) {
      raw.body.destroy();
      throw new CoreError('unexpected_response', `The service at ${where} answered ${name} with ${contentType || 'no content type'}, which it does not declare.`);
    }
    const disposition = headerValue(raw.headers['content-disposition']) ?? '';
    const filename = /filename="([^"\\/]+)"/.exec(disposition)?.[1] ?? null;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of raw.body) yield chunk as Uint8Array;
      } catch (error) {
        throw isCoreError(error) ? error : unreachable(error, where, timeoutMs);
      }
    }
    return { contentType, filename, body: chunks(), cancel: () => raw.body.destroy() };
  }

  const optionalToken = (): Promise<string | undefined> =>
    credentials.accessToken().catch((error: unknown) => {
      if (isCoreError(error, 'not_signed_in')) return undefined;
      throw error;
    });

  async function call<N extends EndpointName>(name: N, ...args: CallArgs<N>): Promise<ResponseOf<N>> {
    const endpoint = endpoints[name];
    const { url, body } = prepare(name, args);

    let response: Sent;
    // 'optional' endpoints (accepting an invite) carry the session when there is one (an existing
    // account accepts only as itself) and go without one when nobody is signed in (a new account).
    const token = endpoint.permission === 'public' ? undefined : endpoint.permission === 'optional' ? await optionalToken() : await credentials.accessToken();
    if (token === undefined) {
      response = await send(url, endpoint.method, body, undefined);
    } else {
      response = await send(url, endpoint.method, body, token);
      if (response.status === 401) {
        const refused = serviceError(response, where);
        if (!(refused instanceof ServiceError)) throw refused;
        response = await send(url, endpoint.method, body, await credentials.renew(token, refused));
      }
    }
    const { status, text } = response;
    if (status < 200 || status >= 300) throw serviceError(response, where);
    if (endpoint.status === 204) return undefined as ResponseOf<N>;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CoreError('unexpected_response', `The service at ${where} answered ${name} with something other than JSON.`);
    }
    const parsed = endpoint.response.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new CoreError(
        'unexpected_response',
        `The service at ${where} answered ${name} in an unexpected shape${at}: ${issue?.message ?? 'invalid'}. The console and the service may be different versions.`,
      );
    }
    return parsed.data as ResponseOf<N>;
  }

  return {
    serviceUrl: base.href.replace(/\/$/, ''),
    fingerprint,
    call,
    stream,
    close: () => agent.close(),
  };
}

function fillPath(template: string, params: unknown): string {
  const values = (params ?? {}) as Record<string, unknown>;
  return template.replace(/:([A-Za-z0-9_]+)/g, (_, key: string) => encodeURIComponent(String(values[key])));
}

function appendQuery(url: URL, query: unknown): void {
  if (query === undefined || query === null) return;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
  }
}

async function readBody(response: Dispatcher.ResponseData, limit: number, where: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      response.body.destroy();
      throw new CoreError('response_too_large', `The service at ${where} sent a response larger than ${limit} bytes; ask for less at a time.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function serviceError({ status, text, retryAfter }: { status: number; text: string; retryAfter: string | undefined }, where: string): CoreError | ServiceError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ApiErrorBodySchema.safeParse(json);
  if (!parsed.success) {
    return new CoreError('unexpected_response', `The service at ${where} answered with HTTP ${status} and no error description.`);
  }
  const { code, message, requestId, details } = parsed.data.error;
  return new ServiceError(code, message, status, requestId, parseRetryAfter(retryAfter), details);
}

/** undici's "other side closed": the connection was closed by the service while the request went out on it. */
function closedBeneath(error: unknown): boolean {
  const cause = isCoreError(error) ? (error as { cause?: unknown }).cause : error;
  return (cause as { code?: unknown } | null)?.code === 'UND_ERR_SOCKET';
}

function unreachable(error: unknown, where: string, timeoutMs: number): CoreError {
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown } | null)?.code;
  const timedOut =
    name === 'TimeoutError' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT';
  const what = timedOut ? `did not answer within ${Math.round(timeoutMs / 100) / 10} s` : `cannot be reached (${describeCause(error)})`;
  return new CoreError('service_unreachable', `The service at ${where} ${what}. Check that it is running and reachable, then retry.`, {
    cause: error,
  });
}

/** Retry-After in seconds (the service sends delta-seconds; an HTTP date is accepted too). */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
