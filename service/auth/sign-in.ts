import { randomUUID } from 'node:crypto';
import type { EnrolComplete, EnrolStart, LoginResponse, SessionTokens } from '../../shared/identity/schemas';
import { effectiveSessionLimits, SESSION_POLICY, SIGN_IN_POLICY } from '../../shared/policy/identity';
import { appendAuditEvent, type Actor } from '../audit/audit-log';
import type { KeyRing } from '../crypto/key-ring';
import type { Db, PlatformTx } from '../db/db';
import { ApiError } from '../http/api-error';
import type { PasswordHasher } from '../identity/passwords';
import { enrolTotp, totpAad } from '../identity/mfa';
import { hashRecoveryCode, normaliseRecoveryCode } from '../identity/recovery-codes';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from '../identity/totp';
import {
  acceptTotpStep,
  countUnusedRecoveryCodes,
  findCredentialsByEmail,
  findCredentialsById,
  isDeactivated,
  loadGrants,
  recordSignIn,
  tenantPoliciesOf,
  updatePasswordHash,
  useRecoveryCode,
  type UserCredentials,
} from '../identity/user-repository';
import { signInAnomalies } from '../sessions/anomaly';
import { createSession } from '../sessions/session-repository';
import { activeTenantsOf, recordInTenants } from '../members/account-reach';
import { auditLocks } from './throttle-audit';
import {
  accountSeenRule,
  accountSourceRule,
  clearFailures,
  isRefusal,
  lockedBy,
  lockedFor,
  pruneThrottles,
  recentFailures,
  refusalError,
  releaseAttempt,
  reserveAttempt,
  signInRules,
  type Reservation,
} from './throttle';

export interface SignInDeps {
  readonly db: Db;
  readonly now: () => Date;
  readonly keys: KeyRing;
  readonly hasher: PasswordHasher;
}

export interface ClientInfo {
  readonly ip: string;
  readonly userAgent: string | null;
  readonly requestId: string;
}

const INVALID_CREDENTIALS = 'The email or password is not correct.';
/** The share of sign-ins that also delete throttle rows which no longer count. */
const PRUNE_SHARE = 1 / 100;

/** Runs fn in a platform transaction that commits even when fn decides the request fails (failures are recorded), then throws. */
const commitThenThrow = async <T>(db: Db, fn: (tx: PlatformTx) => Promise<T | ApiError>): Promise<T> => {
  const result = await db.platform(fn);
  if (result instanceof ApiError) throw result;
  return result;
};

/** A failed attempt: its reservation stays counted; the failure and any lock it set are audited. */
const recordSignInFailure = async (
  tx: PlatformTx,
  reservation: Reservation,
  input: { email: string; actor: Actor; target: string; action: string; reason: string },
  client: ClientInfo,
  now: Date,
): Promise<void> => {
  await appendAuditEvent(tx, {
    actor: input.actor,
    action: input.action,
    target: input.target,
    outcome: 'failure',
    requestId: client.requestId,
    details: { reason: input.reason },
    // Personal: kept beside the leaf, erasable. An unknown email is also kept only there.
    personal: input.actor.type === 'anonymous' ? { ip: client.ip, email: input.email } : { ip: client.ip },
  });
  await auditLocks(tx, reservation, input.target, client, now);
  // A lock on the account (from this source) is seen by each of the person's tenants in its own log.
  const accountLock = lockedBy(reservation, now).find((l) => l.rule.kind === 'account');
  if (accountLock && input.actor.type === 'user') {
    await recordInTenants(tx.tenantOf, await activeTenantsOf(tx, input.actor.id), {
      actor: { type: 'system', id: 'sign-in' },
      action: 'account.locked',
      outcome: 'denied',
      requestId: client.requestId,
      details: { lockoutSeconds: accountLock.seconds },
      userId: input.actor.id,
    });
  }
};

/** Starts a session for a user whose sign-in is complete: limits from the strictest of their tenants. */
const startSession = async (tx: PlatformTx, user: UserCredentials, method: string, client: ClientInfo, now: Date): Promise<SessionTokens> => {
  const policies = await tenantPoliciesOf(tx, user.id, defaultTenantPolicy);
  const limits = effectiveSessionLimits(policies);
  const flags = await signInAnomalies(tx, {
    userId: user.id,
    ip: client.ip,
    userAgent: client.userAgent,
    recentFailures: await recentFailures(tx, accountSeenRule(user.email), now),
  });
  const { session, tokens } = await createSession(
    tx,
    { userId: user.id, idleTimeout: limits.idleTimeout, absoluteTimeout: limits.absoluteTimeout, ip: client.ip, userAgent: client.userAgent, flags },
    now,
  );
  // This source's count for the account starts over; other sources' counts (a stranger's guesses) stay.
  await clearFailures(tx, [accountSourceRule(user.email, client.ip), accountSeenRule(user.email)]);
  await recordSignIn(tx, user.id, now);
  await appendAuditEvent(tx, {
    actor: { type: 'user', id: user.id },
    action: 'auth.login',
    target: `user:${user.id}`,
    requestId: client.requestId,
    details: { method, sessionId: session.id, ...(flags.length > 0 ? { anomalies: flags } : {}) },
    personal: { ip: client.ip },
  });
  return tokens;
};

export const defaultTenantPolicy = {
  mfaRequired: true,
  idleTimeout: SESSION_POLICY.defaultIdleTimeout,
  absoluteTimeout: SESSION_POLICY.defaultAbsoluteTimeout,
} as const;

/** MFA is required for platform staff and for members of any tenant that requires it. */
const mfaRequired = async (tx: PlatformTx, userId: string): Promise<boolean> => {
  const grants = await loadGrants(tx, userId);
  if (grants.platformRoles.length > 0) return true;
  return (await tenantPoliciesOf(tx, userId, defaultTenantPolicy)).some((p) => p.mfaRequired);
};

/** POST /v1/auth/login */
export const login = async (deps: SignInDeps, input: { email: string; password: string }, client: ClientInfo): Promise<LoginResponse> => {
  const started = deps.now();
  // The attempt is counted (and refused when over a limit) before the password is checked: a burst checks no more than the limit.
  const { user, reservation } = await commitThenThrow(deps.db, async (tx) => {
    const reserved = await reserveAttempt(tx, signInRules(input.email, client.ip), started);
    if (isRefusal(reserved)) return refusalError(reserved);
    // Now and then, not on every sign-in: the sweep scans the table.
    if (Math.random() < PRUNE_SHARE) await pruneThrottles(tx, started);
    return { user: await findCredentialsByEmail(tx, input.email), reservation: reserved };
  });
  // Unknown accounts verify against a dummy hash: the same work, the same timing.
  const passwordOk = await deps.hasher.verify(user?.passwordHash ?? deps.hasher.dummyHash, input.password);
  const now = deps.now();
  return commitThenThrow(deps.db, async (tx): Promise<LoginResponse | ApiError> => {
    if (!user || !passwordOk) {
      await recordSignInFailure(
        tx,
        reservation,
        {
          email: input.email,
          actor: user ? { type: 'user', id: user.id } : { type: 'anonymous', id: 'sign-in' },
          target: user ? `user:${user.id}` : 'user:unknown',
          action: 'auth.login_failed',
          reason: !user ? 'unknown_email' : 'wrong_password',
        },
        client,
        now,
      );
      return new ApiError(401, 'invalid_credentials', INVALID_CREDENTIALS);
    }
    // Only someone who knows the password hears that the account is deactivated; the failure still counts.
    if (await isDeactivated(tx, user)) {
      await recordSignInFailure(
        tx,
        reservation,
        { email: input.email, actor: { type: 'user', id: user.id }, target: `user:${user.id}`, action: 'auth.login_failed', reason: 'deactivated' },
        client,
        now,
      );
      return new ApiError(403, 'account_deactivated', 'This account has been deactivated; ask an administrator of your organisation.');
    }
    await releaseAttempt(tx, reservation);
    if (deps.hasher.needsRehash(user.passwordHash)) await updatePasswordHash(tx, user.id, await deps.hasher.hash(input.password));
    const kind = user.mfaEnrolled ? 'mfa' : user.mfaEnrolmentRequired || (await mfaRequired(tx, user.id)) ? 'enrol' : null;
    if (kind === null) return { next: 'done', tokens: await startSession(tx, user, 'password', client, now) };
    const challengeId = randomUUID();
    const expiresAt = new Date(now.getTime() + SIGN_IN_POLICY.challengeTtl * 1000);
    await tx.query('INSERT INTO sign_in_challenges (id, user_id, kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      challengeId,
      user.id,
      kind,
      now.toISOString(),
      expiresAt.toISOString(),
    ]);
    return { next: kind, challengeId, expiresAt: expiresAt.toISOString() };
  });
};

interface Challenge {
  readonly id: string;
  readonly userId: string;
  readonly kind: 'mfa' | 'enrol';
  readonly attempts: number;
  readonly pendingSecretSealed: string | null;
}

const CHALLENGE_INVALID = new ApiError(401, 'challenge_invalid', 'This sign-in has expired or was already used; start again with your password.');

/** The challenge (locked for this transaction) and whether it can still be used. */
const findChallenge = async (tx: PlatformTx, id: string, kind: Challenge['kind'], now: Date): Promise<{ challenge: Challenge; live: boolean } | null> => {
  const rows = await tx.query<{
    id: string;
    user_id: string;
    kind: Challenge['kind'];
    attempts: number;
    pending_secret_sealed: string | null;
    consumed_at: Date | string | null;
    expires_at: Date | string;
  }>('SELECT id, user_id, kind, attempts, pending_secret_sealed, consumed_at, expires_at FROM sign_in_challenges WHERE id = $1 AND kind = $2 FOR UPDATE', [
    id,
    kind,
  ]);
  const r = rows[0];
  if (!r) return null;
  const live = r.consumed_at === null && new Date(r.expires_at) > now && r.attempts < SIGN_IN_POLICY.challengeMaxAttempts;
  return { challenge: { id: r.id, userId: r.user_id, kind: r.kind, attempts: r.attempts, pendingSecretSealed: r.pending_secret_sealed }, live };
};

const consume = (tx: PlatformTx, id: string, now: Date) =>
  tx.query('UPDATE sign_in_challenges SET consumed_at = $2 WHERE id = $1', [id, now.toISOString()]);

/** A wrong second factor: spends one attempt of the challenge; its reservation stays counted against the account and source. */
const secondFactorFailed = async (tx: PlatformTx, found: ChallengeAttempt, error: ApiError, client: ClientInfo, now: Date): Promise<ApiError> => {
  const { challenge, user, reservation } = found;
  await tx.query('UPDATE sign_in_challenges SET attempts = attempts + 1 WHERE id = $1', [challenge.id]);
  await recordSignInFailure(
    tx,
    reservation,
    { email: user.email, actor: { type: 'user', id: user.id }, target: `user:${user.id}`, action: 'auth.mfa_failed', reason: error.code },
    client,
    now,
  );
  return error;
};

interface ChallengeAttempt {
  readonly challenge: Challenge;
  readonly user: UserCredentials;
  readonly reservation: Reservation;
}

/** Loads the challenge's user, refusing dead challenges and locked sources (nothing is counted). */
const challengeAndUser = async (
  tx: PlatformTx,
  challengeId: string,
  kind: Challenge['kind'],
  client: ClientInfo,
  now: Date,
): Promise<Omit<ChallengeAttempt, 'reservation'> | ApiError> => {
  const found = await findChallenge(tx, challengeId, kind, now);
  if (!found) return CHALLENGE_INVALID;
  const user = await findCredentialsById(tx, found.challenge.userId, true);
  if (!user || (await isDeactivated(tx, user))) return CHALLENGE_INVALID;
  // A locked source hears so (and when to retry) before it hears that its challenge is spent.
  const locked = await lockedFor(tx, signInRules(user.email, client.ip), now);
  if (locked) return refusalError(locked);
  return found.live ? { challenge: found.challenge, user } : CHALLENGE_INVALID;
};

/** As challengeAndUser, and the code attempt reserved (counted) before the code is checked. */
const challengeAttempt = async (
  tx: PlatformTx,
  challengeId: string,
  kind: Challenge['kind'],
  client: ClientInfo,
  now: Date,
): Promise<ChallengeAttempt | ApiError> => {
  const found = await challengeAndUser(tx, challengeId, kind, client, now);
  if (found instanceof ApiError) return found;
  const reserved = await reserveAttempt(tx, signInRules(found.user.email, client.ip), now);
  return isRefusal(reserved) ? refusalError(reserved) : { ...found, reservation: reserved };
};

/** Checks a TOTP code against a sealed secret with replay protection; null when accepted. */
export const checkTotp = async (tx: PlatformTx, keys: KeyRing, user: UserCredentials, code: string, now: Date, status = 401): Promise<ApiError | null> => {
  if (!user.totpSecretSealed) return new ApiError(status, 'enrolment_required', 'No authenticator app is enrolled for this account.');
  const step = await matchTotp(keys.open(user.totpSecretSealed, totpAad(user.id)), code, now);
  if (step === null) return new ApiError(status, 'invalid_mfa_code', 'The authenticator code is not correct.');
  if (!(await acceptTotpStep(tx, user.id, step))) {
    return new ApiError(status, 'mfa_code_replayed', 'This code was already used; wait for the next one.');
  }
  return null;
};

/** POST /v1/auth/mfa */
export const completeMfa = async (
  deps: SignInDeps,
  input: { challengeId: string; code: string } | { challengeId: string; recoveryCode: string },
  client: ClientInfo,
): Promise<SessionTokens> => {
  const now = deps.now();
  return commitThenThrow(deps.db, async (tx): Promise<SessionTokens | ApiError> => {
    const found = await challengeAttempt(tx, input.challengeId, 'mfa', client, now);
    if (found instanceof ApiError) return found;
    const { challenge, user } = found;
    if ('code' in input) {
      const refused = await checkTotp(tx, deps.keys, user, input.code, now);
      if (refused) return secondFactorFailed(tx, found, refused, client, now);
      await releaseAttempt(tx, found.reservation);
      await consume(tx, challenge.id, now);
      return startSession(tx, user, 'totp', client, now);
    }
    const normalised = normaliseRecoveryCode(input.recoveryCode);
    if (!normalised || !(await useRecoveryCode(tx, user.id, hashRecoveryCode(user.id, normalised), now))) {
      const error = new ApiError(401, 'invalid_recovery_code', 'This recovery code is not valid or was already used.');
      return secondFactorFailed(tx, found, error, client, now);
    }
    await releaseAttempt(tx, found.reservation);
    await appendAuditEvent(tx, {
      actor: { type: 'user', id: user.id },
      action: 'auth.recovery_code_used',
      target: `user:${user.id}`,
      requestId: client.requestId,
      details: { remaining: await countUnusedRecoveryCodes(tx, user.id) },
    });
    await consume(tx, challenge.id, now);
    return startSession(tx, user, 'recovery_code', client, now);
  });
};

/** POST /v1/auth/enrol/start: a new secret for this challenge (a repeated start replaces it). */
export const startEnrolment = async (deps: SignInDeps, input: { challengeId: string }, client: ClientInfo): Promise<EnrolStart> => {
  const now = deps.now();
  return commitThenThrow(deps.db, async (tx): Promise<EnrolStart | ApiError> => {
    const found = await challengeAndUser(tx, input.challengeId, 'enrol', client, now);
    if (found instanceof ApiError) return found;
    const secret = newTotpSecret();
    await tx.query('UPDATE sign_in_challenges SET pending_secret_sealed = $2 WHERE id = $1', [
      found.challenge.id,
      deps.keys.seal(secret, totpAad(found.user.id)),
    ]);
    return { otpauthUri: otpauthUri(secret, found.user.email), secret: base32Encode(secret) };
  });
};

/** POST /v1/auth/enrol/complete */
export const completeEnrolment = async (deps: SignInDeps, input: { challengeId: string; code: string }, client: ClientInfo): Promise<EnrolComplete> => {
  const now = deps.now();
  return commitThenThrow(deps.db, async (tx): Promise<EnrolComplete | ApiError> => {
    const found = await challengeAttempt(tx, input.challengeId, 'enrol', client, now);
    if (found instanceof ApiError) return found;
    const { challenge, user } = found;
    if (!challenge.pendingSecretSealed) {
      await releaseAttempt(tx, found.reservation);
      return new ApiError(401, 'challenge_invalid', 'Start enrolment first (POST /v1/auth/enrol/start).');
    }
    const step = await matchTotp(deps.keys.open(challenge.pendingSecretSealed, totpAad(user.id)), input.code, now);
    if (step === null) {
      return secondFactorFailed(tx, found, new ApiError(401, 'invalid_mfa_code', 'The authenticator code is not correct.'), client, now);
    }
    await releaseAttempt(tx, found.reservation);
    const recoveryCodes = await enrolTotp(tx, user.id, challenge.pendingSecretSealed, step, now, { type: 'user', id: user.id }, client.requestId);
    await consume(tx, challenge.id, now);
    const tokens = await startSession(tx, { ...user, mfaEnrolled: true }, 'totp_enrolment', client, now);
    return { tokens, recoveryCodes };
  });
};
