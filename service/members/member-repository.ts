import type { Member } from '../../shared/identity/schemas';
import type { TenantRole } from '../../shared/identity/roles';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { TenantTx } from '../db/db';

interface MemberRow extends Record<string, unknown> {
  user_id: string;
  email: string;
  display_name: string;
  role: TenantRole;
  mfa_enrolled_at: Date | string | null;
  status: 'active' | 'deactivated';
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

const SELECT = `SELECT m.user_id, u.email, u.display_name, m.role, u.mfa_enrolled_at, u.status, u.last_sign_in_at
  FROM memberships m JOIN users u ON u.id = m.user_id`;

/** The transaction's tenant's members (RLS shows no other tenant's memberships or users). */
export const listMembers = async (tx: TenantTx): Promise<Member[]> =>
  (await tx.query<MemberRow>(`${SELECT} WHERE m.tenant_id = $1 ORDER BY lower(u.email)`, [tx.tenantId])).map(toMember);

export const getMember = async (tx: TenantTx, userId: string, forUpdate = false): Promise<Member | null> => {
  const rows = await tx.query<MemberRow>(`${SELECT} WHERE m.tenant_id = $1 AND m.user_id = $2${forUpdate ? ' FOR UPDATE OF m' : ''}`, [tx.tenantId, userId]);
  return rows[0] ? toMember(rows[0]) : null;
};

export const countOwners = async (tx: TenantTx): Promise<number> => {
  // Locks the owner rows so two concurrent demotions can't both see "another owner remains".
  const rows = await tx.query<{ user_id: string }>("SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'owner' FOR UPDATE", [tx.tenantId]);
  return rows.length;
};

export const setMemberRole = async (tx: TenantTx, userId: string, from: TenantRole, to: TenantRole, actor: Actor, requestId: string): Promise<void> => {
  await tx.query('UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2', [tx.tenantId, userId, to]);
  await appendAuditEvent(tx, { actor, action: 'member.role_changed', target: `user:${userId}`, requestId, details: { from, to } });
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
  const rows = await tx.query<{ user_id: string; role: TenantRole }>(
    'SELECT user_id, role FROM memberships WHERE tenant_id = $1 AND user_id = ANY($2::uuid[]) ORDER BY user_id FOR UPDATE',
    [tx.tenantId, [...new Set(userIds)]],
  );
  if (owners - rows.filter((r) => r.role === 'owner').length < 1) return 'last_owner';
  for (const r of rows) await deleteMembership(tx, r.user_id, r.role, actor, requestId, details);
  return { removed: rows.length };
};

/** Removes one membership with its audit event (the caller has checked the last-owner rule). */
export const deleteMembership = async (tx: TenantTx, userId: string, role: TenantRole, actor: Actor, requestId: string, details: Record<string, unknown>): Promise<void> => {
  await tx.query('DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2', [tx.tenantId, userId]);
  await appendAuditEvent(tx, { actor, action: 'member.removed', target: `user:${userId}`, requestId, details: { role, ...details } });
};
