import { isIPv4, isIPv6 } from 'node:net';

/** Expands an IPv6 address to its eight groups (no IPv4 tail: callers map those first). */
const ipv6Groups = (ip: string): string[] => {
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
};

/**
 * The source a limit counts against: an IPv4 address as it is, an IPv6 address by its /64 (one
 * subscriber's allocation: counting single IPv6 addresses would give a caller 2^64 fresh budgets).
 * IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
export const clientSource = (ip: string): string => {
  const zoneless = ip.split('%')[0] ?? ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(zoneless);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(zoneless)) return zoneless;
  if (isIPv6(zoneless) && !zoneless.includes('.')) return `${ipv6Groups(zoneless).slice(0, 4).join(':')}::/64`;
  return zoneless;
};
