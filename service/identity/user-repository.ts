import { randomUUID } from 'node:crypto';
import type { Grants } from '../../shared/identity/permissions';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { PlatformTx } from '../db/db';

export interface UserProfile {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly status: 'active' | 'deactivated';
  readonly mfaEnrolled: boolean;
  readonly lastSignInAt: string | null;
}

/** What sign-in needs: the profile and the secrets (platform scope only). */
export interface UserCredentials extends UserProfile {
  readonly passwordHash: string;
  readonly totpSecretSealed: string | null;
  readonly totpLastStep: number | null;
  /** Set by an MFA reset: the next sign-in must enrol an authenticator. */
  readonly mfaEnrolmentRequired: boolean;
}

interface CredentialRow extends Record<string, unknown> {
  id: string;
  email: string;
  display_name: string;
  status: 'active' | 'deactivated';
  mfa_enrolled_at: Date | string | null;
  last_sign_in_at: Date | string | null;
  password_hash: string;
  totp_secret_sealed: string | null;
  totp_last_step: string | number | null;
  mfa_enrolment_required: boolean;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

const toCredentials = (r: CredentialRow): UserCredentials => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  status: r.status,
  mfaEnrolled: r.mfa_enrolled_at !== null,
  lastSignInAt: iso(r.last_sign_in_at),
  passwordHash: r.password_hash,
  totpSecretSealed: r.totp_secret_sealed,
  totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
  mfaEnrolmentRequired: r.mfa_enrolment_required,
});

const SELECT_CREDENTIALS = `SELECT u.id, u.email, u.display_name, u.status, u.mfa_enrolled_at, u.last_sign_in_at,
       c.password_hash, c.totp_secret_sealed, c.totp_last_step, c.mfa_enrolment_required
  FROM users u JOIN user_credentials c ON c.user_id = u.id`;

export const findCredentialsByEmail = async (tx: PlatformTx, email: string): Promise<UserCredentials | null> => {
  const rows = await tx.query<CredentialRow>(`${SELECT_CREDENTIALS} WHERE lower(u.email) = lower($1)`, [email]);
  return rows[0] ? toCredentials(rows[0]) : null;
};

export const findCredentialsById = async (tx: PlatformTx, userId: string, forUpdate = false): Promise<UserCredentials | null> => {
  const rows = await tx.query<CredentialRow>(`${SELECT_CREDENTIALS} WHERE u.id = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`, [userId]);
  return rows[0] ? toCredentials(rows[0]) : null;
};

export interface NewUser {
  readonly email: string;
  readonly displayName: string;
  readonly passwordHash: string;
  readonly createdAt?: Date;
}

export class EmailTakenError extends Error {
  override readonly name = 'EmailTakenError';
}

export const createUser = async (tx: PlatformTx, input: NewUser, actor: Actor, requestId?: string): Promise<UserProfile> => {
  const existing = await tx.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [input.email]);
  if (existing.length > 0) throw new EmailTakenError(`a user with email ${input.email} already exists`);
  const id = randomUUID();
  const at = (input.createdAt ?? new Date()).toISOString();
  await tx.query('INSERT INTO users (id, email, display_name, created_at) VALUES ($1, $2, $3, $4)', [id, input.email, input.displayName, at]);
  await tx.query('INSERT INTO user_credentials (user_id, password_hash, password_changed_at) VALUES ($1, $2, $3)', [id, input.passwordHash, at]);
  await appendAuditEvent(tx, {
    actor,
    action: 'user.created',
    target: `user:${id}`,
    requestId: requestId ?? null,
    personal: { email: input.email, name: input.displayName },
  });
  return { id, email: input.email, displayName: input.displayName, status: 'active', mfaEnrolled: false, lastSignInAt: null };
};

export const updatePasswordHash = async (tx: PlatformTx, userId: string, passwordHash: string): Promise<void> => {
  await tx.query('UPDATE user_credentials SET password_hash = $2 WHERE user_id = $1', [userId, passwordHash]);
};

/** Stores a confirmed TOTP secret (sealed) and the step of the code that confirmed it. */
export const setTotpSecret = async (tx: PlatformTx, userId: string, sealed: string, acceptedStep: number | null, at: Date): Promise<void> => {
  await tx.query('UPDATE user_credentials SET totp_secret_sealed = $2, totp_last_step = $3, mfa_enrolment_required = false WHERE user_id = $1', [
    userId,
    sealed,
    acceptedStep,
  ]);
  await tx.query('UPDATE users SET mfa_enrolled_at = $2 WHERE id = $1', [userId, at.toISOString()]);
};

/**
 * Records `step` as the last accepted time step, only if it is later than the
 * recorded one; false means the code was already used (a replay), also when two
 * requests race with the same code.
 */
export const acceptTotpStep = async (tx: PlatformTx, userId: string, step: number): Promise<boolean> => {
  const rows = await tx.query(
    'UPDATE user_credentials SET totp_last_step = $2 WHERE user_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING user_id',
    [userId, step],
  );
  return rows.length === 1;
};

export const recordSignIn = async (tx: PlatformTx, userId: string, at: Date): Promise<void> => {
  await tx.query('UPDATE users SET last_sign_in_at = $2 WHERE id = $1', [userId, at.toISOString()]);
};

export const getUserProfile = async (tx: PlatformTx, userId: string): Promise<UserProfile | null> => {
  const rows = await tx.query<CredentialRow>(`${SELECT_CREDENTIALS} WHERE u.id = $1`, [userId]);
  if (!rows[0]) return null;
  const { passwordHash: _p, totpSecretSealed: _t, totpLastStep: _s, mfaEnrolmentRequired: _r, ...profile } = toCredentials(rows[0]);
  return profile;
};

// Roles

export interface UserGrants extends Grants {
  readonly memberships: readonly { readonly tenantId: TenantId; readonly tenantName: string; readonly role: TenantRole }[];
}

/** The user's roles in force at `at` (default: the database's clock): a time-bounded platform role past its expiry is not one. */
export const loadGrants = async (tx: PlatformTx, userId: string, at?: Date): Promise<UserGrants> => {
  const roles = await tx.query<{ role: PlatformRole }>(
    'SELECT role FROM platform_role_grants WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > coalesce($2::timestamptz, now())) ORDER BY role',
    [userId, at?.toISOString() ?? null],
  );
  const memberships = await tx.query<{ tenant_id: TenantId; name: string; role: TenantRole }>(
    `SELECT m.tenant_id, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id
      WHERE m.user_id = $1 AND m.status = 'active' ORDER BY t.name, t.id`,
    [userId],
  );
  return {
    platformRoles: roles.map((r) => r.role),
    memberships: memberships.map((m) => ({ tenantId: m.tenant_id, tenantName: m.name, role: m.role })),
  };
};

export const grantPlatformRole = async (tx: PlatformTx, userId: string, role: PlatformRole, actor: Actor): Promise<void> => {
  await tx.query('INSERT INTO platform_role_grants (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, role]);
  await appendAuditEvent(tx, { actor, action: 'platform_role.granted', target: `user:${userId}`, details: { role } });
};

/** Provisioning (CLI, demo seed): adds a membership from platform scope. */
export const addMembership = async (tx: PlatformTx, tenantId: TenantId, userId: string, role: TenantRole, actor: Actor): Promise<void> => {
  await tx.query('INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)', [tenantId, userId, role]);
  await appendAuditEvent(tx, { actor, action: 'membership.added', target: `user:${userId}`, details: { tenantId, role } });
};

export interface TenantPolicy {
  readonly mfaRequired: boolean;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
}

/** The security policies of the user's tenants (defaults where a tenant has none). */
export const tenantPoliciesOf = async (tx: PlatformTx, userId: string, defaults: TenantPolicy): Promise<TenantPolicy[]> => {
  const rows = await tx.query<{ mfa_required: boolean | null; idle: number | null; absolute: number | null }>(
    `SELECT p.mfa_required, p.idle_timeout_seconds AS idle, p.absolute_timeout_seconds AS absolute
       FROM memberships m LEFT JOIN tenant_security_policies p ON p.tenant_id = m.tenant_id
      WHERE m.user_id = $1 AND m.status = 'active'`,
    [userId],
  );
  return rows.map((r) => ({
    mfaRequired: r.mfa_required ?? defaults.mfaRequired,
    idleTimeout: r.idle ?? defaults.idleTimeout,
    absoluteTimeout: r.absolute ?? defaults.absoluteTimeout,
  }));
};

export const setTenantPolicy = async (tx: PlatformTx, tenantId: TenantId, policy: TenantPolicy): Promise<void> => {
  await tx.query(
    `INSERT INTO tenant_security_policies (tenant_id, mfa_required, idle_timeout_seconds, absolute_timeout_seconds) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id) DO UPDATE SET mfa_required = $2, idle_timeout_seconds = $3, absolute_timeout_seconds = $4`,
    [tenantId, policy.mfaRequired, policy.idleTimeout, policy.absoluteTimeout],
  );
};

/**
 * Deactivated: every tenant that knew them has deactivated them (or the account
 * itself is), and no platform role keeps them in. Invited-only accounts are not.
 */
export const isDeactivated = async (tx: PlatformTx, user: UserProfile): Promise<boolean> => {
  if (user.status !== 'active') return true;
  const rows = await tx.query<{ active: number | string; deactivated: number | string; staff: boolean }>(
    `SELECT count(*) FILTER (WHERE status = 'active') AS active, count(*) FILTER (WHERE status = 'deactivated') AS deactivated,
            EXISTS (SELECT 1 FROM platform_role_grants WHERE user_id = $1) AS staff
       FROM memberships WHERE user_id = $1`,
    [user.id],
  );
  const r = rows[0];
  return !!r && !r.staff && Number(r.active) === 0 && Number(r.deactivated) > 0;
};

// Recovery codes

export const replaceRecoveryCodes = async (tx: PlatformTx, userId: string, hashes: readonly string[]): Promise<void> => {
  await tx.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  for (const h of hashes) await tx.query('INSERT INTO recovery_codes (user_id, code_sha256) VALUES ($1, $2)', [userId, h]);
};

/** Marks an unused code used; false when there is no such unused code. */
export const useRecoveryCode = async (tx: PlatformTx, userId: string, hash: string, at: Date): Promise<boolean> => {
  const rows = await tx.query(
    'UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_sha256 = $2 AND used_at IS NULL RETURNING user_id',
    [userId, hash, at.toISOString()],
  );
  return rows.length === 1;
};

export const countUnusedRecoveryCodes = async (tx: PlatformTx, userId: string): Promise<number> => {
  const rows = await tx.query<{ n: number | string }>('SELECT count(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return Number(rows[0]?.n ?? 0);
};
