import { randomUUID } from 'node:crypto';
import { INVITE_TTL_SECONDS, type InviteCreated } from '../../shared/identity/members';
import type { TenantRole } from '../../shared/identity/roles';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { Db } from '../db/db';
import { ApiError } from '../http/api-error';
import { passwordProblems, type PasswordHasher } from '../identity/passwords';
import { newBearerToken, sha256Hex } from '../sessions/session-tokens';
import type { AccessTx } from './member-access';
import { getMember } from './member-repository';

export const INVITE_PREFIX = 'atst_inv_';

/**
 * Invites `email` with `role`: a membership in status 'invited' (and, for a new
 * address, a user without credentials, who cannot sign in), and a single-use
 * token of which only the SHA-256 is kept. A newer invite replaces an older one.
 */
export const createInvite = async (
  tx: AccessTx,
  input: { email: string; role: TenantRole },
  c: { actor: Actor; requestId: string; now: Date },
): Promise<InviteCreated | ApiError> => {
  const existing = await tx.platform.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = lower($1)', [input.email]);
  let userId = existing[0]?.id;
  const newAccount = !userId;
  if (!userId) {
    userId = randomUUID();
    const name = input.email.split('@')[0] || input.email;
    await tx.platform.query('INSERT INTO users (id, email, display_name, created_at) VALUES ($1, $2, $3, $4)', [
      userId,
      input.email,
      name.slice(0, 200),
      c.now.toISOString(),
    ]);
  }
  const member = await getMember(tx.tenant, userId, true);
  if (member && member.status !== 'invited') {
    return new ApiError(409, 'already_member', member.status === 'deactivated' ? 'This person is a deactivated member; reactivate them instead.' : 'This person is already a member.');
  }
  if (member) {
    await tx.tenant.query('UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2', [tx.tenant.tenantId, userId, input.role]);
    await tx.tenant.query('UPDATE member_invites SET superseded_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND accepted_at IS NULL AND superseded_at IS NULL', [
      tx.tenant.tenantId,
      userId,
      c.now.toISOString(),
    ]);
  } else {
    // In platform scope: the new membership copies fields of the user's row, which the tenant can't see yet.
    await tx.platform.query("INSERT INTO memberships (tenant_id, user_id, role, status, status_changed_at) VALUES ($1, $2, $3, 'invited', $4)", [
      tx.tenant.tenantId,
      userId,
      input.role,
      c.now.toISOString(),
    ]);
  }
  const token = newBearerToken(INVITE_PREFIX);
  const inviteId = randomUUID();
  const expiresAt = new Date(c.now.getTime() + INVITE_TTL_SECONDS * 1000).toISOString();
  await tx.tenant.query('INSERT INTO member_invites (tenant_id, id, user_id, token_sha256, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    tx.tenant.tenantId,
    inviteId,
    userId,
    sha256Hex(token),
    c.now.toISOString(),
    expiresAt,
  ]);
  await appendAuditEvent(tx.tenant, {
    actor: c.actor,
    action: 'member.invited',
    target: `user:${userId}`,
    requestId: c.requestId,
    details: { role: input.role, inviteId, expiresAt, newAccount, replacedPending: member !== null },
  });
  const invited = await getMember(tx.tenant, userId);
  if (!invited) throw new Error('invited member vanished inside its own transaction');
  return { inviteId, member: invited, token, expiresAt };
};

interface InviteRow extends Record<string, unknown> {
  tenant_id: TenantId;
  id: string;
  user_id: string;
  email: string;
  expires_at: Date | string;
  accepted_at: Date | string | null;
  superseded_at: Date | string | null;
  password_hash: string | null;
}

const INVITE_INVALID = () => new ApiError(404, 'invite_invalid', 'This invite is not valid; ask for a new one.');

/** The reason an invite can't be used now, or null. */
const unusable = (r: InviteRow, now: Date): ApiError | null => {
  if (r.accepted_at !== null) return new ApiError(409, 'invite_used', 'This invite was already used; sign in instead.');
  if (r.superseded_at !== null || new Date(r.expires_at) <= now) return new ApiError(410, 'invite_expired', 'This invite has expired; ask for a new one.');
  return null;
};

const SELECT_INVITE = `SELECT i.tenant_id, i.id, i.user_id, u.email, i.expires_at, i.accepted_at, i.superseded_at, c.password_hash
  FROM member_invites i JOIN users u ON u.id = i.user_id LEFT JOIN user_credentials c ON c.user_id = i.user_id`;

export interface AcceptDeps {
  readonly db: Db;
  readonly hasher: PasswordHasher;
  readonly now: () => Date;
}

/**
 * Accepts an invite: a new account sets its password (the password policy
 * applies); an existing account proves itself with its current password. The
 * membership becomes active; signing in (and MFA enrolment) is the usual flow.
 */
export const acceptInvite = async (
  deps: AcceptDeps,
  input: { token: string; password: string; displayName?: string | undefined },
  requestId: string,
): Promise<{ tenantId: TenantId; userId: string; role: TenantRole }> => {
  const hash = sha256Hex(input.token);
  const found = (await deps.db.platform((tx) => tx.query<InviteRow>(`${SELECT_INVITE} WHERE i.token_sha256 = $1`, [hash])))[0];
  if (!found) throw INVITE_INVALID();
  const early = unusable(found, deps.now());
  if (early) throw early;
  let newHash: string | null = null;
  if (found.password_hash === null) {
    const problems = passwordProblems(input.password, found.email);
    if (problems.length > 0) {
      throw new ApiError(400, 'password_policy', 'The password does not meet the policy.', problems.map((p) => ({ path: 'body.password', message: p })));
    }
    newHash = await deps.hasher.hash(input.password);
  } else if (!(await deps.hasher.verify(found.password_hash, input.password))) {
    throw new ApiError(401, 'invalid_credentials', 'The password is not correct for this account.');
  }
  const now = deps.now();
  const result = await deps.db.tenantAndPlatform(found.tenant_id, async (tx) => {
    const r = (await tx.tenant.query<InviteRow>(`${SELECT_INVITE} WHERE i.tenant_id = $1 AND i.id = $2 FOR UPDATE OF i`, [found.tenant_id, found.id]))[0];
    if (!r) return INVITE_INVALID();
    const refused = unusable(r, now);
    if (refused) return refused;
    const member = await getMember(tx.tenant, r.user_id, true);
    if (!member || member.status !== 'invited') return INVITE_INVALID();
    if (newHash !== null) {
      // Another invite of the same person (another tenant) may have set a password meanwhile.
      const creds = await tx.platform.query('SELECT 1 FROM user_credentials WHERE user_id = $1 FOR UPDATE', [r.user_id]);
      if (creds.length > 0) return new ApiError(409, 'conflict', 'This account was set up meanwhile; accept again with its password.');
      await tx.platform.query('INSERT INTO user_credentials (user_id, password_hash, password_changed_at) VALUES ($1, $2, $3)', [r.user_id, newHash, now.toISOString()]);
      if (input.displayName) await tx.platform.query('UPDATE users SET display_name = $2 WHERE id = $1', [r.user_id, input.displayName]);
    }
    await tx.tenant.query('UPDATE member_invites SET accepted_at = $3 WHERE tenant_id = $1 AND id = $2', [r.tenant_id, r.id, now.toISOString()]);
    await tx.tenant.query("UPDATE memberships SET status = 'active', status_changed_at = $3 WHERE tenant_id = $1 AND user_id = $2", [
      r.tenant_id,
      r.user_id,
      now.toISOString(),
    ]);
    await appendAuditEvent(tx.tenant, {
      actor: { type: 'user', id: r.user_id },
      action: 'member.invite_accepted',
      target: `user:${r.user_id}`,
      requestId,
      details: { inviteId: r.id, role: member.role, newAccount: newHash !== null },
    });
    return { tenantId: r.tenant_id, userId: r.user_id, role: member.role };
  });
  if (result instanceof ApiError) throw result;
  return result;
};
