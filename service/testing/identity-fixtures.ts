/** Test helpers: users with roles, MFA and sessions, created straight in the database. */
import { randomUUID } from 'node:crypto';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import type { SessionTokens } from '../../shared/identity/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { defaultTenantPolicy } from '../auth/sign-in';
import type { KeyRing } from '../crypto/key-ring';
import type { Db } from '../db/db';
import type { PasswordHasher } from '../identity/passwords';
import { provisionUser } from '../identity/provision';
import { base32Decode } from '../identity/totp';
import { createSession } from '../sessions/session-repository';
import { createTenant } from '../tenants/tenant-repository';

const actor = { type: 'system', id: 'test' } as const;

export interface TestUser {
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  /** Raw TOTP secret; null when MFA is not enrolled. */
  readonly secret: Uint8Array | null;
  readonly recoveryCodes: readonly string[];
}

export const createTestTenant = (db: Db, name = `T ${randomUUID().slice(0, 8)}`): Promise<TenantId> =>
  db.platform(async (tx) => (await createTenant(tx, { name, region: 'eu', plan: 'team' }, actor)).id);

export const createTestUser = async (
  db: Db,
  keys: KeyRing,
  hasher: PasswordHasher,
  opts: {
    mfa?: boolean;
    platformRoles?: readonly PlatformRole[];
    memberships?: readonly { tenantId: TenantId; role: TenantRole }[];
    email?: string;
    password?: string;
    /** When the account is made (and its MFA enrolled); tests on a fixed clock pass a time before it. */
    at?: Date;
  } = {},
): Promise<TestUser> => {
  const email = opts.email ?? `u-${randomUUID()}@example.com`;
  const password = opts.password ?? `correct horse ${randomUUID()}`;
  const passwordHash = await hasher.hash(password);
  const platformRoles = opts.platformRoles ?? [];
  const memberships = opts.memberships ?? [];
  return db.platform(async (tx) => {
    const p = await provisionUser(
      tx,
      keys,
      { email, displayName: email.split('@')[0] ?? email, password, passwordHash, platformRoles, memberships, enrolMfa: opts.mfa !== false },
      actor,
      opts.at ?? new Date(),
    );
    return { userId: p.userId, email, password, secret: p.totpSecret === null ? null : base32Decode(p.totpSecret), recoveryCodes: p.recoveryCodes };
  });
};

/** A session without going through sign-in (for authorisation tests). */
export const sessionFor = (db: Db, userId: string, now: Date): Promise<SessionTokens> =>
  db.platform(async (tx) =>
    (
      await createSession(
        tx,
        { userId, idleTimeout: defaultTenantPolicy.idleTimeout, absoluteTimeout: defaultTenantPolicy.absoluteTimeout, ip: '127.0.0.1', userAgent: 'test' },
        now,
      )
    ).tokens,
  );

/** Grants step-up to a session until `until` (as if a fresh code had been entered). */
export const grantStepUp = (db: Db, sessionId: string, until: Date): Promise<unknown> =>
  db.platform((tx) => tx.query('UPDATE sessions SET step_up_until = $2 WHERE id = $1', [sessionId, until.toISOString()]));
