import { describe, expect, it } from 'vitest';
import { AUDIT_PULL_MAX_LIMIT } from '../audit/api';
import { heaviestConsoleBurst, RATE_LIMIT_POLICY } from './rate-limits';

/** A large tenant: a busy year of incidents, a million audit events in the sync window, people in five tenants with full directories. */
const LARGE = {
  incidents: 20_000,
  incidentPage: 500,
  auditEvents: 1_000_000,
  auditPullPage: AUDIT_PULL_MAX_LIMIT,
  auditExportPage: 1000,
  tenants: 5,
  // The console keeps at most 40 pages of 500 members per tenant (MAX_MEMBER_PAGES).
  memberPages: 40,
};

describe('RATE_LIMIT_POLICY', () => {
  it("fits the console's heaviest normal burst into one principal's bucket, with room to spare", () => {
    const burst = heaviestConsoleBurst(LARGE);
    // Export or verification of the million events, 1000 per page, is the largest: 1002 requests.
    expect(burst).toBe(1002);
    expect(burst).toBeLessThanOrEqual(RATE_LIMIT_POLICY.perPrincipal.burst / 1.5);
    // A sync alone: 40 + 1 + 1 + 200 + 1 + 2 + 5 × 41.
    expect(heaviestConsoleBurst({ ...LARGE, auditExportPage: Number.MAX_SAFE_INTEGER })).toBe(450);
  });
  it('lets several principals behind one address work at once, and keeps requests without credentials far tighter', () => {
    const { perPrincipal, perSource, anonymous } = RATE_LIMIT_POLICY;
    expect(perSource.burst).toBeGreaterThanOrEqual(3 * perPrincipal.burst);
    expect(perSource.perSecond).toBeGreaterThanOrEqual(3 * perPrincipal.perSecond);
    expect(anonymous.burst).toBeLessThan(perPrincipal.burst / 10);
    // Sign-in (password + code), a refresh each quarter hour and a health probe fit easily.
    expect(anonymous.perSecond * 60).toBeGreaterThanOrEqual(60);
  });
  it('declares positive, finite numbers', () => {
    for (const size of Object.values(RATE_LIMIT_POLICY)) {
      expect(Number.isInteger(size.burst) && size.burst > 0).toBe(true);
      expect(size.perSecond > 0 && Number.isFinite(size.perSecond)).toBe(true);
    }
  });
});
