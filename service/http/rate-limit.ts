import type { BucketSize, RateLimits } from '../../shared/policy/rate-limits';
import type { Principal } from '../auth/principal';
import { ApiError } from './api-error';
import { clientSource } from './client-source';

/** Keys kept per kind of bucket; past this the least recently used key is forgotten (its bucket starts full again). */
const MAX_KEYS = 100_000;

/**
 * Token buckets by key, in this process's memory: a limit per service instance (several instances
 * each allow their own). Sign-in guessing is limited in the database instead (auth/throttle.ts).
 * Returns a take function: 0 when a token was taken, else the whole seconds until one is available.
 */
export const tokenBuckets = (size: BucketSize, clock: () => number, maxKeys = MAX_KEYS): ((key: string) => number) => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key) => {
    const now = clock();
    const found = buckets.get(key);
    const tokens = found ? Math.min(size.burst, found.tokens + ((now - found.at) / 1000) * size.perSecond) : size.burst;
    // Delete and set again: the map's order is then least recently used first.
    if (found) buckets.delete(key);
    else if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
    const allowed = tokens >= 1;
    buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / size.perSecond));
  };
};

export interface RateLimiter {
  /** Every request, by source. */
  source(ip: string): ApiError | null;
  /** A request that authenticated, by credential. */
  principal(p: Principal): ApiError | null;
  /** A request without valid credentials, by source. */
  anonymous(ip: string): ApiError | null;
}

const credentialOf = (p: Principal): string => {
  switch (p.kind) {
    case 'user':
      return `session:${p.session.id}`;
    case 'api_token':
      return `token:${p.tokenId}`;
    default:
      return `operator-token:${p.operator.tokenId}`;
  }
};

const limited = (seconds: number): ApiError | null =>
  seconds === 0 ? null : new ApiError(429, 'rate_limited', `Too many requests; try again in ${seconds} second(s).`, undefined, { 'retry-after': String(seconds) });

const UNLIMITED: RateLimiter = { source: () => null, principal: () => null, anonymous: () => null };

/** The service's request limits; `false` turns them off (benchmarks that measure capacity, not one client's allowance). */
export const createRateLimiter = (limits: RateLimits | false, clock: () => number = () => performance.now()): RateLimiter => {
  if (limits === false) return UNLIMITED;
  const source = tokenBuckets(limits.perSource, clock);
  const principal = tokenBuckets(limits.perPrincipal, clock);
  const anonymous = tokenBuckets(limits.anonymous, clock);
  return {
    source: (ip) => limited(source(clientSource(ip))),
    principal: (p) => limited(principal(credentialOf(p))),
    anonymous: (ip) => limited(anonymous(clientSource(ip))),
  };
};
