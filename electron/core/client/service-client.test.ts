import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CertificateMismatchError } from './certificate-mismatch-error';
import { makeSelfSignedCertificate, sendJson, startHttpsServer, type SelfSignedCertificate, type TestHttpsServer } from './self-signed.fixture';
import { createServiceClient, type ServiceClient } from './service-client';
import { ServiceError } from './service-error';

const TOKEN = 'op_test_token_never_logged';
const tenant = {
  id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d',
  name: 'Acme GmbH',
  slug: 'acme-gmbh',
  status: 'active',
  region: 'eu',
  plan: 'enterprise',
  createdAt: '2024-05-01T09:30:00.000Z',
};
const health = { status: 'ok', version: '0.1.0', storage: 'pglite', time: '2024-05-01T09:30:00.000Z' };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('service client', () => {
  let certificate: SelfSignedCertificate;
  let other: SelfSignedCertificate;
  let server: TestHttpsServer;
  let handler: Handler;
  let requests: IncomingMessage[];
  const clients: ServiceClient[] = [];

  beforeAll(async () => {
    [certificate, other] = await Promise.all([makeSelfSignedCertificate(), makeSelfSignedCertificate()]);
    server = await startHttpsServer(certificate, (req, res) => {
      requests.push(req);
      handler(req, res);
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    requests = [];
  });
  afterAll(() => server.close());

  const client = (overrides: { fingerprint?: string; token?: string | null; timeoutMs?: number; serviceUrl?: string } = {}) => {
    const token = overrides.token === undefined ? TOKEN : overrides.token;
    const c = createServiceClient({
      serviceUrl: overrides.serviceUrl ?? server.url,
      fingerprint: overrides.fingerprint ?? certificate.fingerprint,
      ...(token !== null && { credentials: { accessToken: async () => token, renew: (_refused: string, error: ServiceError) => Promise.reject(error) } }),
      timeoutMs: overrides.timeoutMs ?? 5_000,
    });
    clients.push(c);
    return c;
  };
  requests = [];

  it('talks to a service that presents the pinned key', async () => {
    handler = (req, res) => sendJson(res, 200, health);
    await expect(client().call('health')).resolves.toEqual(health);
    expect(requests[0]?.headers.authorization, 'health is unauthenticated').toBeUndefined();
  });

  it('accepts the pin in the forms people paste (upper case, colons)', async () => {
    handler = (req, res) => sendJson(res, 200, health);
    const pasted = certificate.fingerprint.toUpperCase().match(/../g)?.join(':') ?? '';
    await expect(client({ fingerprint: pasted }).call('health')).resolves.toEqual(health);
  });

  it('refuses a certificate with another key before sending a single request', async () => {
    handler = (req, res) => sendJson(res, 200, health);
    let connections = 0;
    const countConnection = (): void => {
      connections += 1;
    };
    server.server.on('connection', countConnection);
    const error = await client({ fingerprint: other.fingerprint })
      .call('listTenants', { query: {} })
      .catch((e: unknown) => e);
    server.server.off('connection', countConnection);
    expect(connections, 'the server was reached and showed its certificate').toBeGreaterThan(0);
    expect(error).toBeInstanceOf(CertificateMismatchError);
    expect(error).toMatchObject({
      code: 'certificate_mismatch',
      expectedFingerprint: other.fingerprint,
      presentedFingerprint: certificate.fingerprint,
    });
    expect((error as Error).message).toContain(`expected ${other.fingerprint}, presented ${certificate.fingerprint}`);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(requests, 'the server must not have seen any request').toHaveLength(0);
  });

  it('sends the access token as Bearer and parses the response with the endpoint schema', async () => {
    handler = (req, res) => sendJson(res, 200, { items: [tenant] });
    await expect(client().call('listTenants', { query: {} })).resolves.toEqual({ items: [tenant] });
    expect(requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(requests[0]?.url).toBe('/v1/tenants');
  });

  it('fills path parameters', async () => {
    handler = (req, res) => sendJson(res, 200, tenant);
    await expect(client().call('getTenant', { params: { tenantId: tenant.id } })).resolves.toEqual(tenant);
    expect(requests[0]?.url).toBe(`/v1/tenants/${tenant.id}`);
  });

  it('validates parameters before sending', async () => {
    handler = (req, res) => sendJson(res, 200, tenant);
    await expect(client().call('getTenant', { params: { tenantId: '../../etc' } })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(requests).toHaveLength(0);
  });

  it('passes on the service error code and message', async () => {
    handler = (req, res) => sendJson(res, 401, { error: { code: 'invalid_token', message: 'The token is not valid.', requestId: 'req-1' } });
    const error = await client().call('listTenants', { query: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'invalid_token', message: 'The token is not valid.', status: 401, requestId: 'req-1' });
  });

  it('renews the token once after a 401 and retries with the new one', async () => {
    handler = (req, res) =>
      req.headers.authorization === 'Bearer fresh'
        ? sendJson(res, 200, { items: [tenant] })
        : sendJson(res, 401, { error: { code: 'invalid_token', message: 'expired', requestId: 'r' } });
    const renewed: string[] = [];
    const c = createServiceClient({
      serviceUrl: server.url,
      fingerprint: certificate.fingerprint,
      credentials: {
        accessToken: async () => 'stale',
        renew: async (refused, error) => {
          renewed.push(`${refused}:${error.code}`);
          return 'fresh';
        },
      },
    });
    clients.push(c);
    await expect(c.call('listTenants', { query: {} })).resolves.toEqual({ items: [tenant] });
    expect(renewed).toEqual(['stale:invalid_token']);
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('passes Retry-After on as seconds', async () => {
    handler = (req, res) => {
      res.setHeader('retry-after', '90');
      sendJson(res, 429, { error: { code: 'rate_limited', message: 'Slow down.', requestId: 'r' } });
    };
    await expect(client().call('health')).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 90 });
  });

  it('reports an error status without an error body as unexpected_response', async () => {
    handler = (req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway</h1>');
    };
    await expect(client().call('listTenants', { query: {} })).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('reports a response outside the schema as unexpected_response', async () => {
    handler = (req, res) => sendJson(res, 200, { items: [{ ...tenant, region: 'mars' }] });
    const error = await client().call('listTenants', { query: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unexpected_response' });
    expect((error as Error).message).toContain('items.0.region');
  });

  it('reports a body that is not JSON as unexpected_response', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{not json');
    };
    await expect(client().call('health')).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('fails with not_signed_in, without calling the service, when there are no credentials', async () => {
    handler = (req, res) => sendJson(res, 200, { items: [] });
    await expect(client({ token: null }).call('listTenants', { query: {} })).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(requests).toHaveLength(0);
  });

  it('gives up after the timeout with service_unreachable', async () => {
    handler = () => undefined;
    const started = Date.now();
    const error = await client({ timeoutMs: 300 }).call('health').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'service_unreachable' });
    expect((error as Error).message).toContain('did not answer within 0.3 s');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('reports a refused connection as service_unreachable', async () => {
    const error = await client({ serviceUrl: 'https://127.0.0.1:1' }).call('health').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'service_unreachable' });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('refuses plain http and malformed pins up front', () => {
    expect(() => client({ serviceUrl: server.url.replace('https:', 'http:') })).toThrow(/must use https/);
    expect(() => client({ fingerprint: 'abc' })).toThrow(/64 hex characters/);
  });
});
