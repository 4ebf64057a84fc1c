import { ed25519 } from '@noble/curves/ed25519.js';
import { PERMISSIONS } from '../../shared/identity/permissions';
import { fromBase64 } from '../../shared/audit/tree-head';
import { TrustPageBundleSchema, trustSnapshotMessage } from '../../shared/trust-page/bundle';
import { unescapeHtml } from '../../shared/trust-page/escape';
import { verifyTrustPage } from '../../shared/trust-page/verify';
import { ed25519Verify } from '../../service/audit/ed25519';
import { ephemeralAuditSigner } from '../../service/audit/signing-key';
import { ephemeralKeyRing } from '../../service/crypto/key-ring';
import { HSTS_MAX_AGE_SECONDS } from '../../service/http/security-headers';
import { argon2Hasher, ARGON2_TEST_PARAMS } from '../../service/identity/passwords';
import { inPostureScope } from '../../service/posture/evaluate';
import { openTestDatabase, removeTempDirs } from '../../service/testing/databases';
import { createTestTenant, createTestUser } from '../../service/testing/identity-fixtures';
import { publishTrustPage } from '../../service/trust-page/publish';
import { TLS_PROFILE } from '../../service/tls/tls-profile';
import { median, round, type Bench, type BenchResult } from '../harness';

const MEMBERS = Number(process.env.TRUST_PAGE_MEMBERS ?? 40);
const N = 200;

const time = (fn: () => unknown, n: number): number[] =>
  Array.from({ length: n }, () => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  });

/** A page the real publishing code made: a tenant with members (MFA not enforced, with a plan) whose log holds their events. */
const publishedHtml = async (): Promise<string> => {
  const t = await openTestDatabase('pglite');
  try {
    const keys = ephemeralKeyRing();
    const hasher = await argon2Hasher(ARGON2_TEST_PARAMS);
    const tenant = await createTestTenant(t.db, 'Bench Retail');
    const owner = await createTestUser(t.db, keys, hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    for (let i = 1; i < MEMBERS; i++) await createTestUser(t.db, keys, hasher, { mfa: i % 5 !== 0, memberships: [{ tenantId: tenant, role: i % 10 === 0 ? 'admin' : 'viewer' }] });
    await t.engine.query('UPDATE tenant_security_policies SET mfa_required = false WHERE tenant_id = $1', [tenant]);
    await t.engine.query(
      "INSERT INTO posture_remediations (tenant_id, control_id, owner_user_id, target_date, compensating_controls, status, created_at, updated_at) VALUES ($1, 'auth.mfa', $2, $3, $4, 'open', now(), now())",
      [tenant, owner.userId, '2027-01-31', 'Sign-ins only from the corporate network; anomalies reviewed weekly'],
    );
    const runtime = { passwordHashSample: hasher.dummyHash, permissions: PERMISSIONS, tls: { minVersion: TLS_PROFILE.minVersion }, hstsMaxAgeSeconds: HSTS_MAX_AGE_SECONDS };
    const signer = ephemeralAuditSigner();
    await inPostureScope(t.db, tenant, { runtime, now: new Date() }, (ctx, own) =>
      publishTrustPage(ctx, own, { tenantId: tenant, signer, actor: { type: 'user', id: owner.userId }, requestId: null }),
    );
    const [row] = await t.engine.query<{ html: string }>('SELECT html FROM trust_page_publications WHERE tenant_id = $1', [tenant]);
    return row!.html;
  } finally {
    await t.dispose();
    removeTempDirs();
  }
};

/**
 * verifyTrustPage of a published HTML page (pure-JS Ed25519, as the console runs it;
 * and with node:crypto's, as the CLI does), against a baseline measured in the same
 * run: JSON.parse of the embedded bundle plus one Ed25519 verify of the signed bytes.
 */
export const trustPageVerifyBench: Bench = {
  name: 'trust_page.verify',
  description: `verify of a published trust page (${MEMBERS} members), median of ${N}; baseline JSON.parse + one Ed25519 verify`,
  run: async (): Promise<BenchResult[]> => {
    const html = await publishedHtml();
    const evidence = unescapeHtml(/<pre id="attest-evidence" hidden>([^<]*)<\/pre>/.exec(html)![1]!);
    if (!verifyTrustPage(html).ok) throw new Error('the benchmark page does not verify');
    const baselineOf = (verify: (sig: Uint8Array, msg: Uint8Array, key: Uint8Array) => boolean) =>
      median(
        time(() => {
          const b = TrustPageBundleSchema.parse(JSON.parse(evidence));
          if (!verify(fromBase64(b.signature.value), trustSnapshotMessage(b), fromBase64(b.signature.publicKey))) throw new Error('bad signature');
        }, N),
      );
    const jsBaseline = baselineOf((sig, msg, key) => ed25519.verify(sig, msg, key));
    const nodeBaseline = baselineOf((sig, msg, key) => ed25519Verify(key, msg, sig));
    const js = median(time(() => verifyTrustPage(html), N));
    const node = median(time(() => verifyTrustPage(html, { verify: ed25519Verify }), N));
    const common = { n: N, unit: 'ms', pageBytes: html.length, targetMs: 50 };
    return [
      { bench: 'trust_page.verify', value: round(js), baseline: round(jsBaseline), ratio: round(js / jsBaseline, 2), ed25519: 'noble (console)', ...common },
      { bench: 'trust_page.verify', value: round(node), baseline: round(nodeBaseline), ratio: round(node / nodeBaseline, 2), ed25519: 'node:crypto (CLI)', ...common },
    ];
  },
};
