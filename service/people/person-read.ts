import type { ApiTokenSummary } from '../../shared/api-tokens/schemas';
import type { Person, PersonAuditEntry, PersonMembership, PersonSession } from '../../shared/people/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { EVENT_COLUMNS, EVENT_FROM, toEvent, type AuditRow } from '../audit/audit-log';
import type { Db, PlatformTx, TenantTx } from '../db/db';
import { PLATFORM_TENANT_ID } from '../db/db';
import { listAccountSessions, listTenantSessions, currentLimitsOf, withCurrentLimits, type ListedSession } from '../sessions/session-admin-repository';
import { toSummary, type ApiTokenRow } from '../api-tokens/api-token-repository';
import { platformStaffAmong } from '../members/account-reach';
import type { PersonScope } from './person-scope';

/** Recent audit events shown on a person page, per log read. */
const RECENT_EVENTS = 20;

type UserRow = {
  id: string;
  email: string;
  display_name: string;
  status: string;
  mfa_enrolled_at: Date | string | null;
};

type MembershipRow = {
  tenant_id: TenantId;
  tenant_name: string;
  role: PersonMembership['role'];
  status: PersonMembership['status'];
  mfa_enrolled: boolean;
  last_sign_in_at: Date | string | null;
};

const toMembership = (r: MembershipRow): PersonMembership => ({
  tenantId: r.tenant_id,
  tenantName: r.tenant_name,
  role: r.role,
  status: r.status,
  mfaEnrolled: r.mfa_enrolled,
  lastSignInAt: r.last_sign_in_at === null ? null : new Date(r.last_sign_in_at).toISOString(),
});

const TOKEN_COLUMNS = `t.tenant_id, t.id, t.user_id, u.email, t.name, t.scopes, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`;

/** Events whose target is the person, newest first, with the actor's name where this scope may see it. */
const recentAuditOf = async (tx: TenantTx | PlatformTx, logId: string, userId: string, tenantName: string): Promise<PersonAuditEntry[]> => {
  const rows = await tx.query<AuditRow & { actor_name: string | null }>(
    `SELECT ${EVENT_COLUMNS}, au.display_name AS actor_name FROM ${EVENT_FROM}
       LEFT JOIN users au ON e.actor_type = 'user' AND au.id::text = e.actor_id
      WHERE e.tenant_id = $1 AND e.target = $2 ORDER BY e.seq DESC LIMIT ${RECENT_EVENTS}`,
    [logId, `user:${userId}`],
  );
  return rows.map((r) => ({ event: toEvent(r), actorName: r.actor_name, tenantName }));
};

const recoveryCodesLeft = async (tx: PlatformTx, userId: string): Promise<number> =>
  Number((await tx.query<{ n: number | string }>('SELECT count(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]))[0]?.n ?? 0);

const byRecent = (a: PersonAuditEntry, b: PersonAuditEntry) => b.event.at.localeCompare(a.event.at);

const live = (listed: readonly ListedSession[], limits: Awaited<ReturnType<typeof currentLimitsOf>>, current: string | null, at: Date, tenantIds: TenantId[]): PersonSession[] =>
  listed.flatMap((l) => {
    const s = withCurrentLimits(l, limits.get(l.record.userId), current, at);
    return s ? [{ ...s, tenantIds }] : [];
  });

/** The whole account, for platform staff. */
const readAsPlatform = async (db: Db, userId: string, current: string | null, at: Date): Promise<Person | null> =>
  db.platform(async (tx) => {
    const user = (await tx.query<UserRow>('SELECT id, email, display_name, status, mfa_enrolled_at FROM users WHERE id = $1', [userId]))[0];
    if (!user) return null;
    const memberships = (
      await tx.query<MembershipRow>(
        `SELECT m.tenant_id, t.name AS tenant_name, m.role, m.status, m.mfa_enrolled, m.last_sign_in_at
           FROM memberships m JOIN tenants t ON t.id = m.tenant_id WHERE m.user_id = $1 ORDER BY t.name, t.id`,
        [userId],
      )
    ).map(toMembership);
    const activeTenants = memberships.filter((m) => m.status === 'active').map((m) => m.tenantId);
    const limits = await currentLimitsOf(tx, [userId]);
    const tokens = await tx.query<ApiTokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.user_id = $1 ORDER BY t.created_at DESC, t.id`,
      [userId],
    );
    const names = new Map(memberships.map((m) => [m.tenantId as string, m.tenantName]));
    const logs = [PLATFORM_TENANT_ID, ...names.keys()];
    // Each tenant's log through that tenant's scope (RLS), the platform's through the platform's.
    const scopeOf = (id: string) => (id === PLATFORM_TENANT_ID ? tx : tx.tenantOf(id as TenantId));
    // One after the other: the scopes share this transaction (and its tenant setting).
    const audit: PersonAuditEntry[] = [];
    for (const id of logs) audit.push(...(await recentAuditOf(scopeOf(id), id, userId, names.get(id) ?? 'Platform')));
    audit.sort(byRecent);
    return {
      userId,
      email: user.email,
      displayName: user.display_name,
      accountStatus: user.status === 'active' ? 'active' : 'locked',
      mfaEnrolled: user.mfa_enrolled_at !== null,
      recoveryCodesLeft: await recoveryCodesLeft(tx, userId),
      platformStaff: (await platformStaffAmong(tx, [userId], at)).size > 0,
      memberships,
      sessions: live(await listAccountSessions(tx, userId), limits, current, at, activeTenants),
      apiTokens: tokens.map((r) => toSummary(r, at)),
      recentAudit: audit.slice(0, RECENT_EVENTS * 2),
    } satisfies Person;
  });

interface TenantPart {
  readonly membership: PersonMembership;
  readonly user: { readonly email: string; readonly display_name: string };
  readonly sessions: ListedSession[];
  readonly tokens: ApiTokenSummary[];
  readonly audit: PersonAuditEntry[];
}

/** What one tenant's scope shows of the person (null: not a member it may see). RLS confines every read to the tenant. */
const readInTenant = async (db: Db, tenantId: TenantId, userId: string, at: Date): Promise<TenantPart | null> =>
  db.tenant(tenantId, async (tx) => {
    const row = (
      await tx.query<MembershipRow & { email: string; display_name: string }>(
        `SELECT m.tenant_id, t.name AS tenant_name, m.role, m.status, m.mfa_enrolled, m.last_sign_in_at, u.email, u.display_name
           FROM memberships m JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id
          WHERE m.tenant_id = $1 AND m.user_id = $2 AND m.status <> 'invited'`,
        [tenantId, userId],
      )
    )[0];
    if (!row) return null;
    const membership = toMembership(row);
    const tokens = await tx.query<ApiTokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.tenant_id = $1 AND t.user_id = $2 ORDER BY t.created_at DESC, t.id`,
      [tenantId, userId],
    );
    return {
      membership,
      user: row,
      sessions: membership.status === 'active' ? await listTenantSessions(tx, { userId }) : [],
      tokens: tokens.map((r) => toSummary(r, at)),
      audit: await recentAuditOf(tx, tenantId, userId, membership.tenantName),
    };
  });

/**
 * The person in the caller's tenants: only what those tenants hold. The account's
 * state (locked, recovery codes left) is shown only to a tenant the person is an
 * active member of (it decides whether they can work there); platform staff's
 * sessions are never shown to a tenant.
 */
const readAsTenants = async (db: Db, tenantIds: readonly TenantId[], userId: string, current: string | null, at: Date): Promise<Person | null> => {
  const parts = (await Promise.all(tenantIds.map((t) => readInTenant(db, t, userId, at)))).filter((p): p is TenantPart => p !== null);
  const first = parts[0];
  if (!first) return null;
  const activeIn = parts.filter((p) => p.membership.status === 'active').map((p) => p.membership.tenantId);
  const account = await db.platform(async (tx) => ({
    staff: (await platformStaffAmong(tx, [userId], at)).size > 0,
    limits: await currentLimitsOf(tx, [userId]),
    codes: activeIn.length > 0 ? await recoveryCodesLeft(tx, userId) : null,
    locked: (await tx.query<{ status: string }>('SELECT status FROM users WHERE id = $1', [userId]))[0]?.status !== 'active',
  }));
  const sessions = new Map<string, PersonSession>();
  for (const part of account.staff ? [] : parts) {
    for (const s of live(part.sessions, account.limits, current, at, [part.membership.tenantId])) {
      const seen = sessions.get(s.id);
      sessions.set(s.id, seen ? { ...seen, tenantIds: [...seen.tenantIds, ...s.tenantIds] } : s);
    }
  }
  return {
    userId,
    email: first.user.email,
    displayName: first.user.display_name,
    accountStatus: activeIn.length > 0 && account.locked ? 'locked' : 'active',
    mfaEnrolled: parts.some((p) => p.membership.status === 'active' && p.membership.mfaEnrolled),
    recoveryCodesLeft: account.codes,
    platformStaff: false,
    memberships: parts.map((p) => p.membership),
    sessions: [...sessions.values()],
    apiTokens: parts.flatMap((p) => p.tokens),
    recentAudit: parts.flatMap((p) => p.audit).sort(byRecent).slice(0, RECENT_EVENTS * 2),
  };
};

export const readPerson = (db: Db, scope: PersonScope, userId: string, current: string | null, at: Date): Promise<Person | null> =>
  scope.kind === 'platform' ? readAsPlatform(db, userId, current, at) : readAsTenants(db, scope.tenantIds, userId, current, at);
