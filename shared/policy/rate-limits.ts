/**
 * Request rate limits of the service, as token buckets: `burst` requests at once, refilled at
 * `perSecond`. They are sized so that the console's heaviest normal use (a first sync of a
 * large tenant, a full audit export or verification) never meets them; what meets them is a
 * flood. Sign-in guessing has its own, much tighter, limits (SIGN_IN_POLICY).
 */
export interface BucketSize {
  readonly burst: number;
  readonly perSecond: number;
}

export interface RateLimits {
  /** Per credential (a session, a tenant API token, an operator token): every request it authenticates. */
  readonly perPrincipal: BucketSize;
  /** Per source (an IPv4 address or an IPv6 /64): every request, so that many credentials can't multiply a flood. */
  readonly perSource: BucketSize;
  /** Per source: requests without valid credentials (sign-in steps, refresh, invites, health, and every 401). */
  readonly anonymous: BucketSize;
}

export const RATE_LIMIT_POLICY: RateLimits = {
  perPrincipal: { burst: 2000, perSecond: 50 },
  // Several consoles behind one office address: a few principals' worth.
  perSource: { burst: 6000, perSecond: 200 },
  anonymous: { burst: 120, perSecond: 2 },
};

/**
 * How many requests a console sends, back to back, for its heaviest normal operation on a tenant:
 * a first sync (the incidents feed, the incident list, the audit log since `auditDays` ago in the
 * largest pulls, and the directory: me, tenants, and each of the person's tenants' member pages
 * and sessions), or an audit export / verification page by page. The console sends these one at
 * a time, so this many requests must fit in a principal's burst without any refill.
 */
export const heaviestConsoleBurst = (d: {
  incidents: number;
  incidentPage: number;
  auditEvents: number;
  auditPullPage: number;
  auditExportPage: number;
  tenants: number;
  memberPages: number;
}): number => {
  const sync =
    Math.ceil(d.incidents / d.incidentPage) + 1 + 1 + Math.ceil(d.auditEvents / d.auditPullPage) + 1 + 2 + d.tenants * (d.memberPages + 1);
  const exportOrVerify = Math.ceil(d.auditEvents / d.auditExportPage) + 2;
  return Math.max(sync, exportOrVerify);
};
