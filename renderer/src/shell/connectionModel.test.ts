import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../../shared/ipc/contract';
import { describeConnection } from './connectionModel';

const status = (state: ConnectionStatus['state'], message?: string): ConnectionStatus => ({
  state,
  serviceUrl: 'https://127.0.0.1:8443',
  checkedAt: '2025-01-01T00:00:00.000Z',
  ...(message ? { message } : {}),
});

describe('describeConnection', () => {
  it('shows the service’s state when the page’s link is fine (or is Electron IPC)', () => {
    expect(describeConnection(status('online'), { kind: 'open' })).toMatchObject({ state: 'online', label: 'Online', source: 'service' });
    expect(describeConnection(status('signed_out'), null)).toMatchObject({ state: 'signed_out', label: 'Signed out' });
    expect(describeConnection(status('offline', 'Timed out after 5 s.'), null).message).toBe('Timed out after 5 s.');
  });

  it('is connecting until the first status arrives', () => {
    expect(describeConnection(null, { kind: 'connecting' })).toMatchObject({ state: 'connecting', label: 'Connecting…' });
    expect(describeConnection(null, null).state).toBe('connecting');
  });

  it('is offline, from the console side, when the page cannot reach the console core', () => {
    const now = 1_000_000;
    const reconnecting = describeConnection(status('online'), { kind: 'reconnecting', attempt: 2, retryAt: now + 2500 }, now);
    expect(reconnecting).toMatchObject({ state: 'offline', source: 'console' });
    expect(reconnecting.message).toContain('reconnecting in 3 s');
    expect(describeConnection(null, { kind: 'missing_secret' })).toMatchObject({ state: 'offline', source: 'console' });
    expect(describeConnection(status('online'), { kind: 'rejected', reason: 'bad_secret' }).state).toBe('offline');
  });
});
