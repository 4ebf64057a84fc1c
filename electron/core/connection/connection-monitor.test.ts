import { describe, expect, it } from 'vitest';
import type { EndpointName } from '../../../shared/api/endpoints';
import { ConnectionStatusSchema, type ConnectionStatus } from '../../../shared/ipc/contract';
import { CertificateMismatchError } from '../client/certificate-mismatch-error';
import type { ServiceClient } from '../client/service-client';
import { ServiceError } from '../client/service-error';
import { CoreError } from '../core-error';
import { createConnectionMonitor } from './connection-monitor';

const PIN = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

/** A client whose answers the test sets per endpoint: a value, or an error to throw. */
function stubClient() {
  const answers = new Map<EndpointName, unknown>();
  const calls: EndpointName[] = [];
  const client: Pick<ServiceClient, 'call' | 'serviceUrl' | 'fingerprint'> = {
    serviceUrl: 'https://127.0.0.1:8443',
    fingerprint: PIN,
    call: (async (name: EndpointName) => {
      calls.push(name);
      await new Promise((r) => setTimeout(r, 1));
      const answer = answers.get(name);
      if (answer instanceof Error) throw answer;
      return answer;
    }) as ServiceClient['call'],
  };
  answers.set('health', { status: 'ok' });
  return { client, answers, calls };
}

function monitorWith(stub: ReturnType<typeof stubClient>, intervalMs = 0) {
  const monitor = createConnectionMonitor({ client: stub.client, intervalMs });
  const events: ConnectionStatus[] = [];
  monitor.subscribe((status) => events.push(status));
  return { monitor, events };
}

describe('connection monitor', () => {
  it('is online when the service answers its health check, without credentials', async () => {
    const stub = stubClient();
    const { monitor, events } = monitorWith(stub);
    const status = await monitor.check();
    expect(ConnectionStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({ state: 'online', serviceUrl: 'https://127.0.0.1:8443' });
    expect(status.message).toBeUndefined();
    expect(stub.calls).toEqual(['health']);
    expect(events).toHaveLength(1);
    monitor.close();
  });

  it('emits connection changes only when something changed', async () => {
    const stub = stubClient();
    const { monitor, events } = monitorWith(stub);
    await monitor.check();
    await monitor.check();
    expect(events.map((e) => e.state)).toEqual(['online']);
    stub.answers.set('health', new CoreError('service_unreachable', 'The service at x cannot be reached.'));
    await monitor.check();
    await monitor.check();
    stub.answers.set('health', { status: 'ok' });
    await monitor.check();
    expect(events.map((e) => e.state)).toEqual(['online', 'offline', 'online']);
    monitor.close();
  });

  it('is offline, saying what to do, when the service cannot be reached', async () => {
    const stub = stubClient();
    stub.answers.set('health', new CoreError('service_unreachable', 'The service at x cannot be reached (ECONNREFUSED). Check that it is running.'));
    const { monitor } = monitorWith(stub);
    await expect(monitor.check()).resolves.toMatchObject({ state: 'offline', message: expect.stringContaining('Check that it is running') });
    monitor.close();
  });

  it('reports a certificate problem with both fingerprints', async () => {
    const stub = stubClient();
    stub.answers.set('health', new CertificateMismatchError(PIN, OTHER, 'https://127.0.0.1:8443'));
    const { monitor } = monitorWith(stub);
    const status = await monitor.check();
    expect(status).toMatchObject({ state: 'certificate_problem', expectedFingerprint: PIN, presentedFingerprint: OTHER });
    expect(status.message).toMatch(/pin the fingerprint/);
    expect(stub.calls).toEqual(['health']);
    monitor.close();
  });

  it('never reports signed_out: who is signed in is the auth state, not the connection', async () => {
    const stub = stubClient();
    stub.answers.set('health', new ServiceError('invalid_token', 'Token revoked.', 401, 'r1'));
    const { monitor } = monitorWith(stub);
    await expect(monitor.check()).resolves.toMatchObject({ state: 'offline' });
    monitor.close();
  });

  it('does not leak the text of an unexpected exception', async () => {
    const stub = stubClient();
    stub.answers.set('health', new TypeError('secret internals'));
    const { monitor } = monitorWith(stub);
    const status = await monitor.check();
    expect(status.state).toBe('offline');
    expect(status.message).not.toContain('secret internals');
    monitor.close();
  });

  it('shares one probe between concurrent checks and waits for it in status()', async () => {
    const stub = stubClient();
    const { monitor } = monitorWith(stub);
    const [a, b, c] = await Promise.all([monitor.status(), monitor.check(), monitor.check()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(stub.calls).toEqual(['health']);
    await expect(monitor.status()).resolves.toBe(a);
    monitor.close();
  });

  it('probes periodically until closed', async () => {
    const stub = stubClient();
    const { monitor } = monitorWith(stub, 10);
    await monitor.check();
    await expect.poll(() => stub.calls.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(3);
    monitor.close();
    await new Promise((r) => setTimeout(r, 30));
    const after = stub.calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.calls.length).toBe(after);
  });
});
