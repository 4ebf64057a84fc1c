import { describe, expect, it, vi } from 'vitest';
import { takeBridgeSecret } from './bridgeSecret';

const at = (hash: string) => ({ hash, pathname: '/index.html', search: '?v=1' });

describe('takeBridgeSecret', () => {
  it('reads the secret from the fragment and removes the fragment from the address bar', () => {
    const history = { state: { keep: true }, replaceState: vi.fn() };
    expect(takeBridgeSecret(at('#bridge=s3cr3t%2Bkey'), history)).toBe('s3cr3t+key');
    expect(history.replaceState).toHaveBeenCalledWith({ keep: true }, '', '/index.html?v=1');
  });

  it('returns null and leaves the address alone without a secret', () => {
    const history = { state: null, replaceState: vi.fn() };
    expect(takeBridgeSecret(at(''), history)).toBeNull();
    expect(takeBridgeSecret(at('#section=tenants'), history)).toBeNull();
    expect(history.replaceState).not.toHaveBeenCalled();
  });

  it('treats an empty secret as none but still clears it from view', () => {
    const history = { state: null, replaceState: vi.fn() };
    expect(takeBridgeSecret(at('#bridge='), history)).toBeNull();
    expect(history.replaceState).toHaveBeenCalledOnce();
  });
});
