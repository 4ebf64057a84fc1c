import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { PlatformTx } from '../db/db';
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from './recovery-codes';
import { replaceRecoveryCodes, setTotpSecret } from './user-repository';

/** The associated data that binds a sealed TOTP secret to its user. */
export const totpAad = (userId: string): string => `totp:${userId}`;

/**
 * Enrols a confirmed secret: stores it sealed (with the step of the code that
 * confirmed it, or null when provisioned without one), replaces the recovery
 * codes, audits; returns the codes, to be shown once.
 */
export const enrolTotp = async (
  tx: PlatformTx,
  userId: string,
  sealed: string,
  acceptedStep: number | null,
  now: Date,
  actor: Actor,
  requestId: string | null,
): Promise<string[]> => {
  await setTotpSecret(tx, userId, sealed, acceptedStep, now);
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(
    tx,
    userId,
    codes.map((c) => hashRecoveryCode(userId, normaliseRecoveryCode(c) ?? '')),
  );
  await appendAuditEvent(tx, { actor, action: 'mfa.enrolled', target: `user:${userId}`, requestId, details: { recoveryCodes: codes.length } });
  return codes;
};
