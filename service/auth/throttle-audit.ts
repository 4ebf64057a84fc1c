import { appendAuditEvent } from '../audit/audit-log';
import type { PlatformTx } from '../db/db';
import { lockedBy, type Reservation } from './throttle';

const LOCK_ACTIONS = { account: 'auth.account_locked', ip: 'auth.ip_throttled', invite: 'auth.invite_locked', step_up: 'auth.step_up_locked', account_seen: null } as const;

/** Audits, in the platform log, the locks a failed attempt set (once each, when set); the address is personal, kept beside the leaf. */
export const auditLocks = async (
  tx: PlatformTx,
  reservation: Reservation,
  target: string,
  client: { readonly ip: string; readonly requestId: string },
  now: Date,
): Promise<void> => {
  for (const { rule, seconds } of lockedBy(reservation, now)) {
    const action = LOCK_ACTIONS[rule.kind];
    if (!action) continue;
    await appendAuditEvent(tx, {
      actor: { type: 'system', id: 'sign-in' },
      action,
      target: rule.kind === 'ip' ? 'sign_in:client_ip' : target,
      outcome: 'denied',
      requestId: client.requestId,
      details: { lockoutSeconds: seconds },
      personal: { ip: client.ip },
    });
  }
};
