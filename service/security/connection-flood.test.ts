import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORT_LIMITS } from '../http/transport-limits';
import { startRealService, type RealService } from '../testing/real-service';
import { endingOf, getStatus } from '../testing/slow-client';

/**
 * One address opens connections until the service has no sockets left for
 * anyone else. Past the cap its connections are closed on accept; other
 * addresses (127.0.0.2 on the loopback) are served throughout, and the flooding
 * address is served again once its connections close.
 */
describe('one address opening connections without end', () => {
  let service: RealService;
  const flood: Socket[] = [];
  beforeAll(async () => {
    service = await startRealService();
  });
  afterAll(async () => {
    for (const socket of flood) socket.destroy();
    await service.close();
  });

  const open = async (): Promise<Socket> => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(service.url).port) });
    await once(socket, 'connect');
    return socket;
  };

  it('is cut off past the cap while another address is served', async () => {
    const max = TRANSPORT_LIMITS.maxConnectionsPerAddress;
    for (let i = 0; i < max; i += 1) flood.push(await open());
    const refused = await open();
    const ending = await endingOf(refused, Date.now());
    expect(ending.afterMs).toBeLessThan(1_000);
    // The ones within the cap are still open.
    expect(flood.every((s) => !s.destroyed && s.readyState === 'open')).toBe(true);

    const fromElsewhere = connect({ host: '127.0.0.1', port: Number(new URL(service.url).port), localAddress: '127.0.0.2' });
    expect(await getStatus(service.url, service.fingerprint, '/v1/health', { socket: fromElsewhere })).toBe(200);

    for (const socket of flood.splice(0)) socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(await getStatus(service.url, service.fingerprint, '/v1/health')).toBe(200);
  });
});
