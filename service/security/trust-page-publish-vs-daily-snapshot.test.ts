/**
 * Threat: a trust page is published while the daily posture snapshots run (the
 * timer of this instance, and of other instances on the same database, all at the
 * same moment). Every publication must stay whole: its snapshot's event in the
 * live log, provable under the tree head the page carries; no scope may get two
 * daily snapshots for one day; nobody gets a 500.
 */
import { describe, expect, it } from 'vitest';
import { InclusionProofSchema } from '../../shared/audit/api';
import { auditLeafBytes, fromHex, type AuditEvent } from '../../shared/audit/event';
import { leafHash, verifyInclusion } from '../../shared/audit/merkle';
import { TrustPagePublicationSchema, type TrustPagePublication } from '../../shared/trust-page/api';
import type { TenantId } from '../../shared/tenants/tenant';
import type { TrustPageBundle } from '../../shared/trust-page/bundle';
import { verifyTrustPage } from '../../shared/trust-page/verify';
import { PLATFORM_TENANT_ID } from '../db/db';
import { takeDueSnapshots } from '../posture/daily-snapshots';
import { postureRuntimeOf } from '../posture/posture-handlers';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

const DAY_MS = 24 * 3600_000;
const isDaily = (e: AuditEvent) => e.action === 'posture.snapshot' && e.actor.type === 'system' && e.actor.id === 'posture';

describe.each(TEST_ENGINES)('publishing a trust page while the daily snapshots run, on %s', (kind) => {
  let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, audit, platformAudit } = membersKit(svc, () => clock);
  const runtime = () => postureRuntimeOf({ hasher: svc.hasher, transport: { tls: null, hstsMaxAgeSeconds: null } });

  /** The stored page verifies, and the live log holds its snapshot's event under the page's tree head. */
  const provable = async (tenant: TenantId, pub: TrustPagePublication, token: string) => {
    const [row] = await svc.t.engine.query<{ html: string; bundle: string }>('SELECT html, bundle FROM trust_page_publications WHERE tenant_id = $1 AND id = $2', [tenant, pub.id]);
    expect(verifyTrustPage(row!.html)).toMatchObject({ ok: true, snapshotId: pub.snapshotId, treeSize: pub.treeSize });
    const bundle = JSON.parse(row!.bundle) as TrustPageBundle;
    const event = (await audit(tenant)).find((e) => e.seq === bundle.snapshot.auditSeq)!;
    expect(event).toMatchObject({ action: 'posture.snapshot', target: `posture_snapshot:${pub.snapshotId}` });
    const res = await call('GET', `/v1/tenants/${tenant}/audit/proof/inclusion?seq=${event.seq}&treeSize=${pub.treeSize}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    const proof = InclusionProofSchema.parse(res.json());
    const root = fromHex(bundle.treeHead.rootHash);
    expect(verifyInclusion(leafHash(auditLeafBytes(event)), event.seq - 1, pub.treeSize, proof.path.map(fromHex), root)).toEqual({ ok: true });
  };

  it('each publication is provable in the live log, and each scope gets one daily snapshot a day at most', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    for (let day = 1; day <= 3; day += 1) {
      // A day later every scope is due; three instances' timers and three publications meet.
      clock = new Date(clock.getTime() + DAY_MS + 60_000);
      const tokens = await Promise.all([1, 2, 3].map(async () => (await svc.steppedUp(owner)).accessToken));
      const [published, taken] = await Promise.all([
        Promise.all(tokens.map((token) => call('POST', `/v1/tenants/${tenant}/trust-page/publications`, { token }))),
        Promise.all([1, 2, 3].map(() => takeDueSnapshots(svc.t.db, runtime(), clock))),
      ]);
      expect(published.map((r) => r.statusCode), published.map((r) => r.body).join('\n')).toEqual([201, 201, 201]);
      const pubs = published.map((r) => TrustPagePublicationSchema.parse(r.json()));
      const reader = (await svc.session(owner)).accessToken;
      for (const pub of pubs) await provable(tenant, pub, reader);
      expect(new Set(pubs.map((p) => p.treeSize)).size).toBe(3);

      // Today's snapshots per scope, and which of them the daily timer took (its event's actor).
      const stored = await svc.t.engine.query<{ tenant_id: string; id: string }>('SELECT tenant_id, id FROM posture_snapshots WHERE taken_at = $1', [clock.toISOString()]);
      const daily = new Set([...(await audit(tenant)), ...(await platformAudit())].filter(isDaily).map((e) => e.target));
      const dailyOf = (scope: string) => stored.filter((s) => s.tenant_id === scope && daily.has(`posture_snapshot:${s.id}`));
      // The platform is always due; the tenant only if no publication's snapshot came first.
      expect(dailyOf(PLATFORM_TENANT_ID)).toHaveLength(1);
      expect(dailyOf(tenant).length).toBeLessThanOrEqual(1);
      expect(stored.filter((s) => s.tenant_id === tenant)).toHaveLength(3 + dailyOf(tenant).length);
      const scopes = 1 + (await svc.t.engine.query('SELECT id FROM tenants')).length;
      expect(taken.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(scopes);
      for (const scope of new Set(stored.map((s) => s.tenant_id))) {
        if (scope !== tenant) expect(stored.filter((s) => s.tenant_id === scope), scope).toHaveLength(1);
      }
    }
  });
});
