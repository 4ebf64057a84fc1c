import { scopeTenantId } from '../db/db';
import { currentTree } from '../audit/audit-log';
import { latestTreeHead } from '../audit/tree-heads';
import { DAY_MS, hoursSince, thresholds, type Evaluator } from './evaluator';

/**
 * The log of the scope (the tenant's, or the platform's): when `audit verify` last
 * recomputed it from storage and found it matching (its audit.verified event), how
 * long since the latest signed head while events wait unsigned, and the age of the
 * key that signed it.
 */
export const auditIntegrityEvaluator: Evaluator = async ({ tenant, platform, now }) => {
  const tx = tenant ?? platform;
  const t = thresholds('audit.integrity');
  const [verified] = await tx.query<{ at: Date | string | null }>("SELECT max(at) AS at FROM audit_events WHERE tenant_id = $1 AND action = 'audit.verified'", [scopeTenantId(tx)]);
  const head = await latestTreeHead(tx);
  const treeSize = (await currentTree(tx)).size;
  const [key] = head ? await platform.query<{ created_at: Date | string }>('SELECT created_at FROM audit_signing_keys WHERE key_id = $1', [head.keyId]) : [];
  const hoursSinceVerified = hoursSince(verified?.at, now);
  const hoursSinceHead = hoursSince(head?.timestamp, now);
  const unsigned = treeSize - (head?.treeSize ?? 0);
  const keyAgeDays = key ? Math.floor((now.getTime() - new Date(key.created_at).getTime()) / DAY_MS) : null;
  const evidence = { treeSize, unsignedEvents: unsigned, hoursSinceVerified, hoursSinceHead, headIntervalHours: t.headIntervalHours, keyAgeDays };
  const verifiedRecently = hoursSinceVerified !== null && hoursSinceVerified <= t.maxHoursSinceVerified;
  // Heads on schedule: nothing waits unsigned longer than the interval (a quiet log needs no new head).
  const headsOnSchedule = unsigned === 0 || (hoursSinceHead !== null && hoursSinceHead <= t.headIntervalHours);
  if (!verifiedRecently || !headsOnSchedule) return { status: 'fail', evidence };
  return { status: keyAgeDays !== null && keyAgeDays > t.maxKeyAgeDays ? 'warn' : 'pass', evidence };
};
