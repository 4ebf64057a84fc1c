import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { makeSelfSignedCertificate, sendJson, startHttpsServer, type SelfSignedCertificate, type TestHttpsServer } from './self-signed.fixture';
import { createServiceClient, type ServiceClient } from './service-client';

/** The real service in this process, closed and started again on the same port while the client keeps its connection. */
describe('service client across a service restart', () => {
  let service: RealService;
  const clients: ServiceClient[] = [];
  const connect = () => {
    const c = createServiceClient({ serviceUrl: service.url, fingerprint: service.fingerprint, timeoutMs: 5_000 });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    service = await startRealService();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await service.close();
  });

  const served = (path: string) => service.requests.filter((r) => r.path === path).length;

  it('answers a GET sent after the service restarted beneath a kept-alive connection', async () => {
    const client = connect();
    expect((await client.call('health')).status).toBe('ok');
    await service.restart();
    const before = served('/v1/health');
    expect((await client.call('health')).status).toBe('ok');
    expect(served('/v1/health')).toBe(before + 1);
  });
});

/**
 * A server that drops every kept-alive connection under the next request sent on it
 * (what a restart does to a pooled connection, without the race): the GET is sent again
 * on a new connection, a POST is not — the service may have received it.
 */
describe('service client on a connection closed beneath a request', () => {
  let server: TestHttpsServer;
  let certificate: SelfSignedCertificate;
  const served: string[] = [];
  // undici puts a connection back in its pool just after the response ends: let it, so the next call reuses it.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  beforeAll(async () => {
    certificate = await makeSelfSignedCertificate();
    const requestsOn = new WeakMap<object, number>();
    server = await startHttpsServer(certificate, (req, res) => {
      const n = (requestsOn.get(req.socket) ?? 0) + 1;
      requestsOn.set(req.socket, n);
      served.push(`${req.method} ${req.url} #${n}`);
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      if (req.url === '/v1/health') sendJson(res, 200, { status: 'ok', version: 'test', storage: 'pglite', time: new Date().toISOString() });
      else sendJson(res, 401, { error: { code: 'invalid_credentials', message: 'no', requestId: 'r' } });
    });
  });
  afterAll(() => server.close());

  it('sends a GET again on a new connection, once', async () => {
    const client = createServiceClient({ serviceUrl: server.url, fingerprint: certificate.fingerprint, timeoutMs: 5_000 });
    try {
      expect((await client.call('health')).status).toBe('ok');
      await settle();
      served.length = 0;
      expect((await client.call('health')).status).toBe('ok');
      // Dropped on the kept-alive connection, then answered on a new one.
      expect(served).toEqual(['GET /v1/health #2', 'GET /v1/health #1']);
    } finally {
      await client.close();
    }
  });

  it('never sends a POST twice: it fails as unreachable instead', async () => {
    const client = createServiceClient({ serviceUrl: server.url, fingerprint: certificate.fingerprint, timeoutMs: 5_000 });
    try {
      expect((await client.call('health')).status).toBe('ok');
      await settle();
      served.length = 0;
      await expect(client.call('login', { body: { email: 'a@example.com', password: 'correct horse battery' } })).rejects.toMatchObject({ code: 'service_unreachable' });
      expect(served).toEqual(['POST /v1/auth/login #2']);
    } finally {
      await client.close();
    }
  });
});
