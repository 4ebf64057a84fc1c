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
import { lockPerson } from './account-reach';
import { getMember, refreshMembershipCopies } from './member-repository';
import type { Principal } from '../auth/principal';

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
    details: { role: input.role, inviteId, expiresAt, replacedPending: member !== null },
  });
  // Whether the address already had an account is not the tenant's to learn (it would
  // let an admin test any address): only the platform's log keeps it.
  await appendAuditEvent(tx.platform, {
    actor: c.actor,
    action: 'member.invited',
    target: `user:${userId}`,
    requestId: c.requestId,
    details: { tenantId: tx.tenant.tenantId, inviteId, newAccount },
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
  mfa_enrolled_at: Date | string | null;
  tenant_status: string;
}

const INVITE_INVALID = () => new ApiError(404, 'invite_invalid', 'This invite is not valid; ask for a new one.');

/** The reason an invite can't be used now, or null. */
const unusable = (r: InviteRow, now: Date): ApiError | null => {
  // Joining a suspended tenant is using it: refused like every route in it, until it is reinstated.
  if (r.tenant_status === 'suspended') return new ApiError(403, 'tenant_suspended', 'This tenant is suspended; accept the invite once it is reinstated.');
  if (r.accepted_at !== null) return new ApiError(409, 'invite_used', 'This invite was already used; sign in instead.');
  if (r.superseded_at !== null || new Date(r.expires_at) <= now) return new ApiError(410, 'invite_expired', 'This invite has expired; ask for a new one.');
  return null;
};

const SELECT_INVITE = `SELECT i.tenant_id, i.id, i.user_id, u.email, i.expires_at, i.accepted_at, i.superseded_at, c.password_hash, u.mfa_enrolled_at,
       t.status AS tenant_status
  FROM member_invites i JOIN users u ON u.id = i.user_id JOIN tenants t ON t.id = i.tenant_id LEFT JOIN user_credentials c ON c.user_id = i.user_id`;

export interface AcceptDeps {
  readonly db: Db;
  readonly hasher: PasswordHasher;
  readonly now: () => Date;
}

/**
 * Whether `principal` may accept an invite for an account that already exists:
 * only that person, in a session begun with their second factor (after their
 * enrolment). Their password is never asked here, so an invite link is no way
 * to guess it.
 */
const refuseForExistingAccount = (r: InviteRow, principal: Principal | null): ApiError | null => {
  if (!principal) {
    return new ApiError(401, 'auth_required', 'This invite is for an existing account: sign in as that person (password and authenticator code), then accept it.', undefined, {
      'www-authenticate': 'Bearer realm="attest"',
    });
  }
  if (principal.kind !== 'user' || principal.userId !== r.user_id) return OTHER_ACCOUNT();
  const enrolledAt = r.mfa_enrolled_at === null ? null : new Date(r.mfa_enrolled_at);
  if (!enrolledAt || principal.session.createdAt < enrolledAt) {
    return new ApiError(403, 'enrolment_required', 'Accepting an invite needs a session begun with your authenticator code; set one up and sign in again.');
  }
  return null;
};

const OTHER_ACCOUNT = () => new ApiError(403, 'invite_other_account', 'This invite is for another account; sign out, and accept it as the person it was sent to.');

/**
 * Accepts an invite. A new account sets its password here (the password policy
 * applies); an existing account accepts only signed in as itself
 * (refuseForExistingAccount). The membership becomes active.
 */
export const acceptInvite = async (
  deps: AcceptDeps,
  input: { token: string; password?: string | undefined; displayName?: string | undefined },
  principal: Principal | null,
  requestId: string,
): Promise<{ tenantId: TenantId; userId: string; role: TenantRole }> => {
  const hash = sha256Hex(input.token);
  const found = (await deps.db.platform((tx) => tx.query<InviteRow>(`${SELECT_INVITE} WHERE i.token_sha256 = $1`, [hash])))[0];
  if (!found) throw INVITE_INVALID();
  const early = unusable(found, deps.now());
  if (early) throw early;
  let newHash: string | null = null;
  if (found.password_hash !== null) {
    const refused = refuseForExistingAccount(found, principal);
    if (refused) throw refused;
  } else {
    if (principal && (principal.kind !== 'user' || principal.userId !== found.user_id)) throw OTHER_ACCOUNT();
    const password = input.password ?? '';
    const problems = password === '' ? ['A new account sets its password when accepting.'] : passwordProblems(password, found.email);
    if (problems.length > 0) {
      throw new ApiError(400, 'password_policy', 'The password does not meet the policy.', problems.map((p) => ({ path: 'body.password', message: p })));
    }
    newHash = await deps.hasher.hash(password);
  }
  const now = deps.now();
  const result = await deps.db.tenantAndPlatform(found.tenant_id, async (tx) => {
    const r = (await tx.platform.query<InviteRow>(`${SELECT_INVITE} WHERE i.tenant_id = $1 AND i.id = $2 FOR UPDATE OF i`, [found.tenant_id, found.id]))[0];
    if (!r) return INVITE_INVALID();
    const refused = unusable(r, now);
    if (refused) return refused;
    const member = await getMember(tx.tenant, r.user_id, true);
    if (!member || member.status !== 'invited') return INVITE_INVALID();
    await lockPerson(tx.platform, r.user_id);
    if (newHash !== null) {
      // Another invite of the same person (another tenant) may have set a password meanwhile.
      const creds = await tx.platform.query('SELECT 1 FROM user_credentials WHERE user_id = $1 FOR UPDATE', [r.user_id]);
      if (creds.length > 0) return new ApiError(409, 'conflict', 'This account was set up meanwhile; sign in as it and accept again.');
      await tx.platform.query('INSERT INTO user_credentials (user_id, password_hash, password_changed_at) VALUES ($1, $2, $3)', [r.user_id, newHash, now.toISOString()]);
      if (input.displayName) await tx.platform.query('UPDATE users SET display_name = $2 WHERE id = $1', [r.user_id, input.displayName]);
    }
    await tx.tenant.query('UPDATE member_invites SET accepted_at = $3 WHERE tenant_id = $1 AND id = $2', [r.tenant_id, r.id, now.toISOString()]);
    await tx.tenant.query("UPDATE memberships SET status = 'active', status_changed_at = $3 WHERE tenant_id = $1 AND user_id = $2", [
      r.tenant_id,
      r.user_id,
      now.toISOString(),
    ]);
    await refreshMembershipCopies(tx.platform, r.tenant_id, r.user_id);
    await appendAuditEvent(tx.tenant, {
      actor: { type: 'user', id: r.user_id },
      action: 'member.invite_accepted',
      target: `user:${r.user_id}`,
      requestId,
      details: { inviteId: r.id, role: member.role },
    });
    await appendAuditEvent(tx.platform, {
      actor: { type: 'user', id: r.user_id },
      action: 'member.invite_accepted',
      target: `user:${r.user_id}`,
      requestId,
      details: { tenantId: r.tenant_id, inviteId: r.id, newAccount: newHash !== null },
    });
    return { tenantId: r.tenant_id, userId: r.user_id, role: member.role };
  });
  if (result instanceof ApiError) throw result;
  return result;
};
