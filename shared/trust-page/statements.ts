import type { ControlId } from '../posture/catalogue';

/**
 * What a trust page says of a control that does not pass: what is not in place,
 * from its evidence ({placeholders} are evidence keys, as in the catalogue's
 * sentences). A control without an entry here gets the generic statement, so
 * adding a control to the catalogue never needs this file, but reads better with it.
 */
export const HONEST_STATEMENTS: Partial<Record<ControlId, { readonly warn?: string; readonly fail: string }>> = {
  'auth.mfa': {
    warn: 'A second factor is enforced, but only {enrolledPercent}% of active members are enrolled so far.',
    fail: 'A second factor is not enforced for every member: {enrolledPercent}% of active members are enrolled.',
  },
  'auth.password_hashing': {
    fail: 'Password hashing is below the OWASP minimum for argon2id ({algorithm}, memory {memoryKiB} KiB, {timeCost} passes).',
  },
  'sessions.limits': {
    fail: 'Sessions last longer than policy allows: {idleHours} hours without activity and {absoluteHours} hours in all.',
  },
  'sessions.refresh_rotation': {
    fail: 'Destructive actions that do not ask for a fresh second factor: {destructiveWithoutStepUp} of {destructiveActions}.',
  },
  'access.least_privilege': {
    warn: '{privilegedPercent}% of active members are owners or admins, more than half.',
    fail: 'Owners or admins who have gone {dormantDays} days without signing in: {dormantPrivileged}.',
  },
  'access.reviews': {
    fail: 'Access is not reviewed on schedule (every {periodDays} days); overdue reviews: {overdueCampaigns}.',
  },
  'access.no_break_glass': {
    warn: 'Actions that need a second person which ran without an approval in the last year: {guardedWithoutApproval365}.',
    fail: 'Platform roles held without an expiry: {standingGrants}; actions that need a second person which ran without an approval in the last 90 days: {guardedWithoutApproval90}.',
  },
  'access.api_tokens': {
    fail: 'Live API tokens: {liveTokens}; without an expiry: {withoutExpiry}; older than {maxAgeDays} days: {olderThanMaxAge}.',
  },
  'audit.integrity': {
    warn: 'The audit log is verified and signed on schedule, but its signing key is {keyAgeDays} days old and due for rotation.',
    fail: 'The audit log ({treeSize} events in all) was not verified against its signed tree head, or its heads were not signed, on schedule; events awaiting a head: {unsignedEvents}.',
  },
  'incidents.deadlines': {
    warn: 'Incident deadlines missed in the last 365 days: {missed365} ({met365} met), none in the last 90.',
    fail: 'Incident deadlines missed in the last 90 days: {missed90} ({met90} met).',
  },
  'transport.tls': {
    fail: 'Transport security is below policy: the service accepts {minVersion} and sends HSTS for {hstsDays} days.',
  },
};

/** When a statement cannot be filled from the evidence (a figure is missing). */
export const genericStatement = (title: string, status: 'warn' | 'fail'): string =>
  status === 'warn' ? `${title}: partly in place; see the evidence.` : `${title}: not in place.`;
