import type { MemberQuery, MemberSort, MfaCounts } from '../../shared/identity/members';
import type { Member, MemberStatus } from '../../shared/identity/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { TenantTx } from '../db/db';

interface MemberRow extends Record<string, unknown> {
  user_id: string;
  email: string;
  display_name: string;
  role: TenantRole;
  mfa_enrolled_at: Date | string | null;
  status: MemberStatus;
  last_sign_in_at: Date | string | null;
}

const toMember = (r: MemberRow): Member => ({
  userId: r.user_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  mfaEnrolled: r.mfa_enrolled_at !== null,
  status: r.status,
  lastSignInAt: r.last_sign_in_at === null ? null : new Date(r.last_sign_in_at).toISOString(),
});

const SELECT = `SELECT m.user_id, u.email, u.display_name, m.role, u.mfa_enrolled_at, m.status, u.last_sign_in_at
  FROM memberships m JOIN users u ON u.id = m.user_id`;

const ROLE_RANK = "CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'editor' THEN 2 WHEN 'reviewer' THEN 3 ELSE 4 END";
const STATUS_RANK = "CASE m.status WHEN 'active' THEN 0 WHEN 'invited' THEN 1 ELSE 2 END";

const ORDER: Readonly<Record<MemberSort, (dir: 'ASC' | 'DESC') => string>> = {
  email: (dir) => `lower(u.email) ${dir}`,
  role: (dir) => `${ROLE_RANK} ${dir}`,
  status: (dir) => `${STATUS_RANK} ${dir}`,
  mfa: (dir) => `(u.mfa_enrolled_at IS NOT NULL) ${dir}`,
  // Never signed in counts as the oldest sign-in.
  last_sign_in: (dir) => `u.last_sign_in_at ${dir} ${dir === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST'}`,
};

export interface ListedMembers {
  readonly items: Member[];
  readonly total: number;
  readonly counts: MfaCounts;
}

/** The filters as SQL over memberships m JOIN users u, with their parameters from $2 on ($1 is the tenant). */
const filterSql = (q: MemberQuery): { where: string; params: unknown[] } => {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length + 1}`));
  };
  if (q.role) add((n) => `m.role = ${n}`, q.role);
  if (q.status) add((n) => `m.status = ${n}`, q.status);
  if (q.mfa) where.push(q.mfa === 'enrolled' ? 'u.mfa_enrolled_at IS NOT NULL' : 'u.mfa_enrolled_at IS NULL');
  if (q.signedInBefore) add((n) => `(u.last_sign_in_at IS NULL OR u.last_sign_in_at < ${n})`, q.signedInBefore);
  return { where: where.length ? where.join(' AND ') : 'true', params };
};

/**
 * One page of the transaction's tenant's members (RLS shows no other tenant's
 * memberships or users), the number matching the filters, and the tenant's MFA
 * counts, computed in the same pass over the tenant's memberships.
 */
export const listMembers = async (tx: TenantTx, q: MemberQuery = {}): Promise<ListedMembers> => {
  const { where, params } = filterSql(q);
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  const limit = q.limit ?? 200;
  const offset = q.offset ?? 0;
  const rows = await tx.query<MemberRow>(
    `${SELECT} WHERE m.tenant_id = $1 AND ${where}
      ORDER BY ${ORDER[q.sort ?? 'email'](dir)}, lower(u.email) ${dir}, m.user_id LIMIT $${params.length + 2} OFFSET $${params.length + 3}`,
    [tx.tenantId, ...params, limit, offset],
  );
  const totals = await tx.query<{ total: string | number; enrolled: string | number; not_enrolled: string | number; invited: string | number }>(
    `SELECT count(*) FILTER (WHERE ${where}) AS total, ${COUNT_COLUMNS}
       FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1`,
    [tx.tenantId, ...params],
  );
  const t = totals[0];
  return { items: rows.map(toMember), total: Number(t?.total ?? 0), counts: toCounts(t) };
};

const COUNT_COLUMNS = `count(*) FILTER (WHERE m.status = 'active' AND u.mfa_enrolled_at IS NOT NULL) AS enrolled,
       count(*) FILTER (WHERE m.status = 'active' AND u.mfa_enrolled_at IS NULL) AS not_enrolled,
       count(*) FILTER (WHERE m.status = 'invited') AS invited`;

const toCounts = (r: { enrolled: string | number; not_enrolled: string | number; invited: string | number } | undefined): MfaCounts => ({
  enrolled: Number(r?.enrolled ?? 0),
  notEnrolled: Number(r?.not_enrolled ?? 0),
  invited: Number(r?.invited ?? 0),
});

/** MFA enrolment among the tenant's active members: what the users view shows and the posture evaluates. */
export const mfaEnrolmentCounts = async (tx: TenantTx): Promise<MfaCounts> => {
  const rows = await tx.query<{ enrolled: string | number; not_enrolled: string | number; invited: string | number }>(
    `SELECT ${COUNT_COLUMNS} FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1`,
    [tx.tenantId],
  );
  return toCounts(rows[0]);
};

export const getMember = async (tx: TenantTx, userId: string, forUpdate = false): Promise<Member | null> => {
  const rows = await tx.query<MemberRow>(`${SELECT} WHERE m.tenant_id = $1 AND m.user_id = $2${forUpdate ? ' FOR UPDATE OF m' : ''}`, [tx.tenantId, userId]);
  return rows[0] ? toMember(rows[0]) : null;
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
