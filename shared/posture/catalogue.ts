import { API_TOKEN_POLICY } from '../policy/api-tokens';
import { SESSION_POLICY } from '../policy/identity';
import type { Control } from './control';

const DAY = 24 * 60 * 60;

/**
 * The controls Attest runs. Adding one is an entry here plus its evaluator in
 * service/posture/evaluators (the evaluator table is typed by these ids, so a
 * control without an evaluator does not compile).
 */
export const CONTROLS = [
  {
    id: 'auth.mfa',
    title: 'Multi-factor authentication enforced',
    section: 'Authentication',
    scope: 'tenant',
    sentence: 'Every member signs in with a second factor: enforcement is on and {enrolledPercent}% of active members are enrolled.',
    thresholds: { enrolledShareForPass: 1 },
    mappings: { soc2: ['CC6.1', 'CC6.2'], iso27001: ['A.5.17', 'A.8.5'], gdpr: ['32'] },
  },
  {
    id: 'auth.password_hashing',
    title: 'Passwords hashed with argon2id at or above the OWASP minimum',
    section: 'Authentication',
    scope: 'both',
    sentence: 'Passwords are stored only as argon2id hashes (memory {memoryKiB} KiB, {timeCost} passes, {parallelism} lane).',
    // OWASP Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2, p=1.
    thresholds: { minMemoryKiB: 19_456, minTimeCost: 2, minParallelism: 1 },
    mappings: { soc2: ['CC6.1'], iso27001: ['A.5.17', 'A.8.24'], gdpr: ['32'] },
  },
  {
    id: 'auth.anomalous_sign_ins',
    title: 'Unusual sign-ins flagged and reviewed',
    section: 'Authentication',
    scope: 'both',
    sentence:
      'Sign-ins from a new device or address, or after failed attempts, are flagged and reviewed within {reviewWithinDays} days: {flagged90} flagged in the last 90 days, {reviewed90} reviewed, none left waiting longer.',
    // Waiting under reviewWithinDays warns (in hand); longer fails.
    thresholds: { windowDays: 90, reviewWithinDays: 7 },
    mappings: { soc2: ['CC7.2', 'CC6.1'], iso27001: ['A.8.16', 'A.5.26'], gdpr: ['32', '33'] },
  },
  {
    id: 'sessions.limits',
    title: 'Session limits in force',
    section: 'Sessions',
    scope: 'tenant',
    sentence: 'Sessions end after {idleHours} hours without activity and {absoluteHours} hours in all.',
    thresholds: { maxIdleSeconds: SESSION_POLICY.defaultIdleTimeout, maxAbsoluteSeconds: SESSION_POLICY.defaultAbsoluteTimeout },
    mappings: { soc2: ['CC6.1'], iso27001: ['A.8.5'], gdpr: ['32'] },
  },
  {
    id: 'sessions.refresh_rotation',
    title: 'Refresh tokens rotate, reuse ends the session, destructive actions need step-up',
    section: 'Sessions',
    scope: 'both',
    sentence:
      'Each refresh token works once and a reused one ends its session ({reuseRevocations} ended so in the last 90 days); all {destructiveActions} destructive actions ask for a fresh second factor.',
    thresholds: { stepUpWindowSeconds: SESSION_POLICY.stepUpWindow },
    mappings: { soc2: ['CC6.1', 'CC6.8'], iso27001: ['A.8.5'], gdpr: ['32'] },
  },
  {
    id: 'access.least_privilege',
    title: 'Least privilege: few owners and admins, none dormant',
    section: 'Authorization and access governance',
    scope: 'tenant',
    sentence: '{privilegedPercent}% of active members are owners or admins, and none of them has gone {dormantDays} days without signing in.',
    thresholds: { maxPrivilegedShareForPass: 0.5, dormantDays: 90 },
    mappings: { soc2: ['CC6.2', 'CC6.3'], iso27001: ['A.5.15', 'A.5.18', 'A.8.2'], gdpr: ['25', '32'] },
  },
  {
    id: 'access.reviews',
    title: 'Access reviewed every period',
    section: 'Authorization and access governance',
    scope: 'tenant',
    sentence: 'Access is reviewed every {periodDays} days; the last review was completed {daysSinceLastReview} days ago.',
    thresholds: { periodDays: 90 },
    mappings: { soc2: ['CC6.2', 'CC6.3'], iso27001: ['A.5.18'], gdpr: ['32'] },
  },
  {
    id: 'access.no_break_glass',
    title: 'No standing platform access',
    section: 'Authorization and access governance',
    scope: 'both',
    sentence: 'No one holds a platform role without an expiry ({grantsWithExpiry} grants, all time-bounded), and the actions that need a second person ran only with an approval ({guardedWithoutApproval365} without one in a year).',
    thresholds: { standingGrantsAllowed: 0 },
    mappings: { soc2: ['CC6.2', 'CC6.3'], iso27001: ['A.8.2', 'A.5.18'], gdpr: ['32'] },
  },
  {
    id: 'access.api_tokens',
    title: 'API tokens expire and are rotated',
    section: 'Authorization and access governance',
    scope: 'tenant',
    sentence: 'All {liveTokens} live API tokens expire, and none is older than {maxAgeDays} days.',
    thresholds: { maxAgeDays: API_TOKEN_POLICY.staleAfter / DAY },
    mappings: { soc2: ['CC6.1', 'CC6.6'], iso27001: ['A.5.17', 'A.8.5'], gdpr: ['32'] },
  },
  {
    id: 'audit.integrity',
    title: 'Audit log verified and signed on schedule',
    section: 'Audit log',
    scope: 'both',
    sentence:
      'The audit log ({treeSize} events) was recomputed from storage and matched its signed tree head {hoursSinceVerified} hours ago; heads are signed at least every {headIntervalHours} hours.',
    thresholds: { maxHoursSinceVerified: 24, headIntervalHours: 24, maxKeyAgeDays: 365 },
    mappings: { soc2: ['CC7.2', 'CC4.1'], iso27001: ['A.8.15', 'A.8.16'], gdpr: ['5(2)', '32'] },
  },
  {
    id: 'incidents.deadlines',
    title: 'Incident deadlines met',
    section: 'Incident response',
    scope: 'both',
    sentence: 'Every incident deadline of the last 365 days was met ({met365} met, {missed365} missed), counted by the service\'s receipt time.',
    thresholds: { missedAllowed90: 0, missedAllowed365: 0 },
    mappings: { soc2: ['CC7.3', 'CC7.4', 'CC7.5'], iso27001: ['A.5.24', 'A.5.25', 'A.5.26'], gdpr: ['33', '34'] },
  },
  {
    id: 'transport.tls',
    title: 'TLS 1.2 minimum and HSTS',
    section: 'Encryption',
    scope: 'platform',
    sentence: 'The service accepts only {minVersion} or later and sends HSTS for {hstsDays} days.',
    thresholds: { minHstsDays: 365 },
    mappings: { soc2: ['CC6.7'], iso27001: ['A.8.24', 'A.8.20'], gdpr: ['32'] },
  },
] as const satisfies readonly Control[];

export type ControlId = (typeof CONTROLS)[number]['id'];

/** Bumped whenever a control, its sentence, thresholds or mappings change. */
export const CATALOGUE_VERSION = 2;
