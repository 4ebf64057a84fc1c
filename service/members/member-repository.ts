import type { MemberQuery, MemberSort, MfaCounts } from '../../shared/identity/members';
import type { Member, MemberStatus } from '../../shared/identity/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { TenantId } from '../../shared/tenants/tenant';
import type { PlatformTx, TenantTx } from '../db/db';

interface MemberRow extends Record<string, unknown> {
  user_id: string;
  email: string;
  display_name: string;
  role: TenantRole;
  mfa_enrolled: boolean;
  status: MemberStatus;
  last_sign_in_at: Date | string | null;
}

const toMember = (r: MemberRow): Member => ({
  userId: r.user_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  mfaEnrolled: r.mfa_enrolled,
  status: r.status,
  lastSignInAt: r.last_sign_in_at === null ? null : new Date(r.last_sign_in_at).toISOString(),
});

// Until they accept, an invited person's profile (name, MFA, last sign-in: perhaps
// from another tenant) is not this tenant's to see, only the address it typed: RLS
// hides their user row (migration 0017). MFA state and last sign-in are the
// membership's copies, which follow the person only while the membership is active.
const SELECT = `SELECT m.user_id, COALESCE(u.email, m.email_lower) AS email,
       CASE WHEN m.status = 'invited' OR u.id IS NULL THEN split_part(m.email_lower, '@', 1) ELSE u.display_name END AS display_name,
       m.role, m.mfa_enrolled, m.status, m.last_sign_in_at
  FROM memberships m LEFT JOIN users u ON u.id = m.user_id AND m.status <> 'invited'`;

const ROLE_RANK = "CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'editor' THEN 2 WHEN 'reviewer' THEN 3 ELSE 4 END";
const STATUS_RANK = "CASE m.status WHEN 'active' THEN 0 WHEN 'invited' THEN 1 ELSE 2 END";

const ORDER: Readonly<Record<MemberSort, (dir: 'ASC' | 'DESC') => string>> = {
  email: (dir) => `m.email_lower ${dir}`,
  role: (dir) => `${ROLE_RANK} ${dir}`,
  status: (dir) => `${STATUS_RANK} ${dir}`,
  mfa: (dir) => `m.mfa_enrolled ${dir}`,
  // Never signed in counts as the oldest sign-in.
  last_sign_in: (dir) => `m.last_sign_in_at ${dir} ${dir === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST'}`,
};

export interface ListedMembers {
  readonly items: Member[];
  readonly hasMore: boolean;
  readonly counts: MfaCounts;
}

/**
 * The filters as SQL over the membership's own columns (its copies of the user's
 * fields: migration 0011), with their parameters from $2 on ($1 is the tenant).
 */
const filterSql = (q: Partial<MemberQuery>): { where: string; params: unknown[] } => {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length + 1}`));
  };
  if (q.role) add((n) => `m.role = ${n}`, q.role);
  if (q.status) add((n) => `m.status = ${n}`, q.status);
  if (q.mfa) where.push(q.mfa === 'enrolled' ? 'm.mfa_enrolled' : 'NOT m.mfa_enrolled');
  if (q.signedInBefore) add((n) => `(m.last_sign_in_at IS NULL OR m.last_sign_in_at < ${n})`, q.signedInBefore);
  return { where: where.length ? where.join(' AND ') : 'true', params };
};

/**
 * One page of the transaction's tenant's members (RLS shows no other tenant's
 * memberships or users) and the tenant's MFA counts. The sort keys are indexed
 * (email, last sign-in) or cheap to rank, so a first page reads about a page of rows.
 */
export const listMembers = async (tx: TenantTx, q: Partial<MemberQuery> = {}): Promise<ListedMembers> => {
  const { where, params } = filterSql(q);
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  const limit = q.limit ?? 200;
  const offset = q.offset ?? 0;
  const rows = await tx.query<MemberRow>(
    `${SELECT} WHERE m.tenant_id = $1 AND ${where}
      ORDER BY ${ORDER[q.sort ?? 'email'](dir)}, m.email_lower ${dir}, m.user_id ${dir} LIMIT $${params.length + 2} OFFSET $${params.length + 3}`,
    [tx.tenantId, ...params, limit + 1, offset],
  );
  return { items: rows.slice(0, limit).map(toMember), hasMore: rows.length > limit, counts: await mfaEnrolmentCounts(tx) };
};

/** MFA enrolment among the tenant's active members, and pending invites: what the users view shows and the posture evaluates. */
export const mfaEnrolmentCounts = async (tx: TenantTx): Promise<MfaCounts> => {
  const rows = await tx.query<{ enrolled: number; not_enrolled: number; invited: number }>(
    'SELECT enrolled, not_enrolled, invited FROM tenant_member_counts WHERE tenant_id = $1',
    [tx.tenantId],
  );
  const r = rows[0];
  return { enrolled: r?.enrolled ?? 0, notEnrolled: r?.not_enrolled ?? 0, invited: r?.invited ?? 0 };
};

export const getMember = async (tx: TenantTx, userId: string, forUpdate = false): Promise<Member | null> => {
  const rows = await tx.query<MemberRow>(`${SELECT} WHERE m.tenant_id = $1 AND m.user_id = $2${forUpdate ? ' FOR UPDATE OF m' : ''}`, [tx.tenantId, userId]);
  return rows[0] ? toMember(rows[0]) : null;
};

/**
 * Brings the membership's copies of the user's email, MFA state and last sign-in
 * up to date as it becomes active (they follow the user only while active: 0017).
 * Platform scope: the tenant cannot read the user's row before this.
 */
export const refreshMembershipCopies = async (tx: PlatformTx, tenantId: TenantId, userId: string): Promise<void> => {
  await tx.query(
    `UPDATE memberships m SET email_lower = lower(u.email), mfa_enrolled = u.mfa_enrolled_at IS NOT NULL, last_sign_in_at = u.last_sign_in_at
       FROM users u WHERE u.id = m.user_id AND m.tenant_id = $1 AND m.user_id = $2`,
    [tenantId, userId],
  );
};

/** Active owners; locks the owner rows so two concurrent demotions or deactivations can't both see "another owner remains". */
export const countOwners = async (tx: TenantTx): Promise<number> => {
  const rows = await tx.query<{ user_id: string; status: MemberStatus }>("SELECT user_id, status FROM memberships WHERE tenant_id = $1 AND role = 'owner' FOR UPDATE", [
    tx.tenantId,
  ]);
  return rows.filter((r) => r.status === 'active').length;
};

export const setMemberRole = async (tx: TenantTx, userId: string, from: TenantRole, to: TenantRole, actor: Actor, requestId: string): Promise<void> => {
  await tx.query('UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2', [tx.tenantId, userId, to]);
  await appendAuditEvent(tx, { actor, action: 'member.role_changed', target: `user:${userId}`, requestId, details: { from, to } });
};

export const setMemberStatus = async (tx: TenantTx, userId: string, status: MemberStatus, at: Date): Promise<void> => {
  await tx.query('UPDATE memberships SET status = $3, status_changed_at = $4 WHERE tenant_id = $1 AND user_id = $2', [
    tx.tenantId,
    userId,
    status,
    at.toISOString(),
  ]);
};

/**
 * Removes these members (those still members; the rest are skipped), one audit
 * event each. Refuses with 'last_owner' (removing nothing) when no owner would remain.
 */
export const removeMembers = async (
  tx: TenantTx,
  userIds: readonly string[],
  actor: Actor,
  requestId: string,
  details: Record<string, unknown>,
): Promise<{ removed: number } | 'last_owner'> => {
  const owners = await countOwners(tx);
  const rows = await tx.query<{ user_id: string; role: TenantRole; status: MemberStatus }>(
    'SELECT user_id, role, status FROM memberships WHERE tenant_id = $1 AND user_id = ANY($2::uuid[]) ORDER BY user_id FOR UPDATE',
    [tx.tenantId, [...new Set(userIds)]],
  );
  // countOwners counts active owners only: so must this.
  if (owners - rows.filter((r) => r.role === 'owner' && r.status === 'active').length < 1) return 'last_owner';
  for (const r of rows) await deleteMembership(tx, r.user_id, r.role, actor, requestId, details);
  return { removed: rows.length };
};

/** Removes one membership with its audit event (the caller has checked the last-owner rule). */
export const deleteMembership = async (tx: TenantTx, userId: string, role: TenantRole, actor: Actor, requestId: string, details: Record<string, unknown>): Promise<void> => {
  await tx.query('DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2', [tx.tenantId, userId]);
  await appendAuditEvent(tx, { actor, action: 'member.removed', target: `user:${userId}`, requestId, details: { role, ...details } });
};
