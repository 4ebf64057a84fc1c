import { appendAuditEvent } from '../audit/audit-log';
import { inviteRule, ipRule, isRefusal, refusalError, releaseAttempt, reserveAttempt } from '../auth/throttle';
import { auditLocks } from '../auth/throttle-audit';
import type { Db } from '../db/db';
import { ApiError } from '../http/api-error';
import { sha256Hex } from '../sessions/session-tokens';

export interface InviteAttempt {
  readonly token: string;
  readonly ip: string;
  readonly requestId: string;
}

/** Refusals that are not guesses: a new person's too-weak password, a race with their own other invite, a suspended tenant. */
const NOT_A_GUESS = new Set(['password_policy', 'conflict', 'tenant_suspended']);
/**
 * Refusals of a caller who is not the invited person (an existing account accepts only signed in
 * as itself): nothing secret was checked, so there is nothing to guess. They are audited but not
 * counted, so whoever else holds the link cannot lock the invited person out of it.
 */
const NOT_THE_PERSON = new Set(['auth_required', 'invite_other_account', 'enrolment_required']);

/**
 * Runs an invite acceptance under the same throttle and failure audit as sign-in: the attempt is
 * reserved against the token and the caller's address before anything secret is checked, so a
 * parallel burst gets no more tries than the limits; a success gives the reservation back; a
 * failure stays counted and is audited in the platform log (with any lock it set).
 */
export const throttledAcceptance = async <T>(deps: { db: Db; now: () => Date }, attempt: InviteAttempt, accept: () => Promise<T>): Promise<T> => {
  const tokenSha256 = sha256Hex(attempt.token);
  const reservation = await deps.db.platform((tx) => reserveAttempt(tx, [inviteRule(tokenSha256), ipRule(attempt.ip)], deps.now()));
  if (isRefusal(reservation)) throw refusalError(reservation);
  let result: T;
  try {
    result = await accept();
  } catch (error) {
    const failure = error instanceof ApiError && !NOT_A_GUESS.has(error.code);
    await deps.db.platform(async (tx) => {
      if (!failure || NOT_THE_PERSON.has(error.code)) await releaseAttempt(tx, reservation);
      if (!failure) return;
      const invite = (await tx.query<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM member_invites WHERE token_sha256 = $1', [tokenSha256]))[0];
      const target = invite ? `invite:${invite.id}` : 'invite:unknown';
      const now = deps.now();
      await appendAuditEvent(tx, {
        actor: { type: 'anonymous', id: 'invite' },
        action: 'member.invite_accept_failed',
        target,
        outcome: 'failure',
        requestId: attempt.requestId,
        details: { reason: error.code, ...(invite ? { tenantId: invite.tenant_id } : {}) },
        personal: { ip: attempt.ip },
      });
      await auditLocks(tx, reservation, target, attempt, now);
    });
    throw error;
  }
  await deps.db.platform((tx) => releaseAttempt(tx, reservation));
  return result;
};
