import { describe, expect, it } from 'vitest';
import { clientSource } from './client-source';

describe('clientSource', () => {
  it('keeps IPv4 addresses and maps IPv4-mapped IPv6 to them', () => {
    expect(clientSource('192.0.2.7')).toBe('192.0.2.7');
    expect(clientSource('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientSource('::FFFF:192.0.2.7')).toBe('192.0.2.7');
  });
  it('counts every address of one IPv6 /64 as one source, however it is written', () => {
    const a = clientSource('2001:db8:1:2::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(clientSource('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a);
    expect(clientSource('2001:db8:1:2:0:0:0:99%eth0')).toBe(a);
    expect(clientSource('2001:db8:1:3::1')).not.toBe(a);
    expect(clientSource('::1')).toBe('0:0:0:0::/64');
    expect(clientSource('fe80::1')).toBe('fe80:0:0:0::/64');
  });
});
