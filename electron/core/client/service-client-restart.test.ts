import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealService, type RealService } from '../../../service/testing/real-service';
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

  it('retries a GET once when the kept-alive connection was closed by the restart', async () => {
    const client = connect();
    expect((await client.call('health')).status).toBe('ok');
    await service.restart();
    const before = served('/v1/health');
    expect((await client.call('health')).status).toBe('ok');
    expect(served('/v1/health')).toBe(before + 1);
  });
});
