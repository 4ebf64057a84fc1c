import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { z } from 'zod';
import { endpoints, type EndpointName, type Endpoints, type ResponseOf } from '../../../shared/api/endpoints';
import { ApiErrorBodySchema } from '../../../shared/errors/codes';
import { normalizeFingerprint, SpkiFingerprintSchema } from '../../../shared/tls/fingerprint';
import { CoreError, describeCause, isCoreError } from '../core-error';
import type { Vault } from '../vault/vault';
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

export interface ServiceClient {
  readonly serviceUrl: string;
  readonly fingerprint: string;
  /**
   * Calls an endpoint of shared/api/endpoints.ts over the pinned connection and
   * returns its response parsed with the endpoint's schema. Fails with a CoreError
   * (certificate_mismatch, service_unreachable, unexpected_response, not_signed_in,
   * keychain_unavailable) or a ServiceError carrying the service's own code.
   */
  call<N extends EndpointName>(name: N, ...args: CallArgs<N>): Promise<ResponseOf<N>>;
  close(): Promise<void>;
}

export interface ServiceClientOptions {
  serviceUrl: string;
  fingerprint: string;
  vault: Vault;
  /** Budget of one call, connection included. */
  timeoutMs?: number;
  /** Largest response body accepted. */
  maxResponseBytes?: number;
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

  async function call<N extends EndpointName>(name: N, ...args: CallArgs<N>): Promise<ResponseOf<N>> {
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

    const headers: Record<string, string> = { accept: 'application/json' };
    if (endpoint.auth === 'operator') {
      const token = await options.vault.get('operator-token');
      if (!token) {
        throw new CoreError(
          'not_signed_in',
          'Not signed in: no operator token is stored in this computer\'s keychain. Store one (for example with --token-stdin) and try again.',
        );
      }
      headers.authorization = `Bearer ${token}`;
    }
    let body: string | undefined;
    if (input.body !== undefined) {
      body = JSON.stringify(input.body);
      headers['content-type'] = 'application/json';
    }

    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method: endpoint.method,
        headers,
        body,
        dispatcher: agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await readBody(response, maxResponseBytes, where);
    } catch (error) {
      throw isCoreError(error) ? error : unreachable(error, where, timeoutMs);
    }

    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw serviceError(response.statusCode, text, where);
    }
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
      throw new CoreError('unexpected_response', `The service at ${where} sent a response larger than ${limit} bytes.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function serviceError(status: number, text: string, where: string): CoreError | ServiceError {
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
  const { code, message, requestId } = parsed.data.error;
  return new ServiceError(code, message, status, requestId);
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
