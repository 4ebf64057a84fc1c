import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../../shared/ipc/contract';
import { describeConnection, describeSyncProgress } from './connectionModel';

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

describe('describeSyncProgress', () => {
  it('counts a pull with a known total as a share of it, in the user’s number format', () => {
    expect(describeSyncProgress({ phase: 'audit', done: 40_000, total: 100_000 }, 'en-US')).toEqual({ text: 'Pulling audit events 40,000 / 100,000', value: 0.4 });
    expect(describeSyncProgress({ phase: 'audit', done: 40_000, total: 100_000 }, 'de-DE')?.text).toBe('Pulling audit events 40.000 / 100.000');
    expect(describeSyncProgress({ phase: 'push', done: 3, total: 12 }, 'en-US')).toEqual({ text: 'Sending offline edits 3 / 12', value: 0.25 });
    expect(describeSyncProgress({ phase: 'audit', done: 0, total: 0 }, 'en-US')?.value).toBe(1);
  });

  it('is indeterminate while the total is unknown, and absent between syncs', () => {
    expect(describeSyncProgress({ phase: 'incidents', done: 1500, total: null }, 'en-US')).toEqual({ text: 'Pulling incident changes 1,500…', value: undefined });
    expect(describeSyncProgress({ phase: 'audit', done: 0, total: null }, 'en-US')?.value).toBeUndefined();
    expect(describeSyncProgress(null)).toBeNull();
  });
});
