import { randomBytes } from 'node:crypto';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import type { TenantId } from '../../shared/tenants/tenant';
import type { Actor } from '../audit/audit-log';
import type { KeyRing } from '../crypto/key-ring';
import type { PlatformTx } from '../db/db';
import { enrolTotp, totpAad } from './mfa';
import { base32Encode, newTotpSecret } from './totp';
import { addMembership, createUser, grantPlatformRole } from './user-repository';

export interface ProvisionedUser {
  readonly userId: string;
  readonly email: string;
  /** Shown once: the generated password and the base32 TOTP secret (null when MFA is left to enrol at first sign-in). */
  readonly password: string;
  readonly totpSecret: string | null;
  readonly recoveryCodes: readonly string[];
}

/** A generated password: 20 random characters from base64url (120 bits), never on the common list. */
export const generatePassword = (): string => randomBytes(15).toString('base64url');

export interface NewProvisionedUser {
  readonly email: string;
  readonly displayName: string;
  readonly password: string;
  readonly passwordHash: string;
  readonly platformRoles: readonly PlatformRole[];
  readonly memberships: readonly { readonly tenantId: TenantId; readonly role: TenantRole }[];
  readonly createdAt?: Date;
  /** false: no authenticator yet; where MFA is required the user can only enrol at their first sign-in. Default true. */
  readonly enrolMfa?: boolean;
}

/**
 * Creates a user with MFA already enrolled (CLI `user add`, the demo seed): the
 * caller hands the password and TOTP secret to the person once. No code has been
 * accepted yet, so the first current code works.
 */
export const provisionUser = async (tx: PlatformTx, keys: KeyRing, input: NewProvisionedUser, actor: Actor, now: Date): Promise<ProvisionedUser> => {
  const user = await createUser(
    tx,
    { email: input.email, displayName: input.displayName, passwordHash: input.passwordHash, ...(input.createdAt ? { createdAt: input.createdAt } : {}) },
    actor,
  );
  for (const role of input.platformRoles) await grantPlatformRole(tx, user.id, role, actor);
  for (const m of input.memberships) await addMembership(tx, m.tenantId, user.id, m.role, actor);
  if (input.enrolMfa === false) return { userId: user.id, email: input.email, password: input.password, totpSecret: null, recoveryCodes: [] };
  const secret = newTotpSecret();
  const recoveryCodes = await enrolTotp(tx, user.id, keys.seal(secret, totpAad(user.id)), null, now, actor, null);
  return { userId: user.id, email: input.email, password: input.password, totpSecret: base32Encode(secret), recoveryCodes };
};
