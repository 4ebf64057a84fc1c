import type { SessionFlag } from '../../shared/sessions/schemas';
import { SIGN_IN_POLICY } from '../../shared/policy/identity';
import type { PlatformTx } from '../db/db';
import { storedUserAgent } from './session-repository';

/**
 * Why a sign-in that just succeeded looks unusual for this user: a device (user
 * agent) or an address none of their earlier sessions had, or several failed
 * attempts just before. A user's very first session has nothing to compare with
 * and is not flagged as new.
 */
export const signInAnomalies = async (
  tx: PlatformTx,
  input: { userId: string; ip: string | null; userAgent: string | null; recentFailures: number },
): Promise<SessionFlag[]> => {
  const seen = (
    await tx.query<{ any: boolean; ua_seen: boolean | null; ip_seen: boolean | null }>(
      `SELECT count(*) > 0 AS any, bool_or(user_agent IS NOT DISTINCT FROM $2) AS ua_seen, bool_or(ip IS NOT DISTINCT FROM $3) AS ip_seen
         FROM sessions WHERE user_id = $1`,
      [input.userId, storedUserAgent(input.userAgent), input.ip],
    )
  )[0];
  const flags: SessionFlag[] = [];
  if (seen?.any && !seen.ua_seen) flags.push('new_device');
  if (seen?.any && !seen.ip_seen) flags.push('new_ip');
  if (input.recentFailures >= SIGN_IN_POLICY.anomalousFailures) flags.push('after_failures');
  return flags;
};
