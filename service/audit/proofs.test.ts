import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../shared/audit/event';
import { consistencyProof, inclusionProof, rootOfLeafHashes, verifyConsistency, verifyInclusion } from '../../shared/audit/merkle';
import type { TenantId } from '../../shared/tenants/tenant';
import { createTestTenant } from '../testing/identity-fixtures';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { appendAuditEvent } from './audit-log';
import { proveConsistency, proveInclusion } from './proofs';

const actor = { type: 'system', id: 'test' } as const;
const N = 1100;

describe.each(TEST_ENGINES)('proofs from stored subtrees on %s', (kind) => {
  let t: TestDatabase;
  let tenant: TenantId;
  let leaves: Uint8Array[];
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    tenant = await createTestTenant(t.db, 'Proofs');
    // Several transactions, so that both the fast path and the locked path of the append store subtrees.
    for (let from = 1; from <= N; from += 300) {
      await t.db.tenant(tenant, async (tx) => {
        for (let i = from; i < Math.min(N + 1, from + 300); i++) await appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}` });
      });
    }
    const rows = await t.engine.query<{ leaf_hash: Uint8Array }>('SELECT leaf_hash FROM audit_events WHERE tenant_id = $1 ORDER BY seq', [tenant]);
    leaves = rows.map((r) => Uint8Array.from(r.leaf_hash));
  }, 120_000);
  afterAll(() => t.dispose());

  const subtrees = async () =>
    (
      await t.engine.query<{ level: number; idx: string | number; hash: Uint8Array }>(
        'SELECT level, idx, hash FROM audit_subtrees WHERE tenant_id = $1 ORDER BY level, idx',
        [tenant],
      )
    ).map((r) => [r.level, Number(r.idx), toHex(r.hash)]);

  const expected = (): Array<[number, number, string]> => {
    const out: Array<[number, number, string]> = [];
    for (let level = 8; 2 ** level <= N; level++) {
      for (let idx = 0; (idx + 1) * 2 ** level <= N; idx++) out.push([level, idx, toHex(rootOfLeafHashes(leaves, idx * 2 ** level, (idx + 1) * 2 ** level))]);
    }
    return out;
  };

  it('stores the root of every complete aligned subtree of 256 leaves or more as the append completes it', async () => {
    expect(await subtrees()).toEqual(expected());
    expect((await subtrees()).map(([level, idx]) => `${level}/${idx}`)).toEqual(['8/0', '8/1', '8/2', '8/3', '9/0', '9/1', '10/0']);
  });

  const sizes = [1, 2, 255, 256, 257, 511, 512, 513, 767, 768, 1000, 1024, 1025, 1099, 1100];

  it('serves the RFC 9162 inclusion proofs the full leaf list gives, for trees of every shape', async () => {
    for (const size of sizes) {
      for (const seq of new Set([1, 2, 129, 256, 257, 300, 512, 600, 1024, 1025, size].filter((s) => s <= size))) {
        const proof = await t.db.tenant(tenant, (tx) => proveInclusion(tx, seq, size));
        expect([size, seq, proof.path]).toEqual([size, seq, inclusionProof(leaves, seq - 1, size).map(toHex)]);
        const root = rootOfLeafHashes(leaves, 0, size);
        expect(verifyInclusion(leaves[seq - 1]!, seq - 1, size, proof.path.map(fromHex), root)).toEqual({ ok: true });
      }
    }
  });

  it('serves the RFC 9162 consistency proofs the full leaf list gives', async () => {
    for (const to of sizes) {
      for (const from of sizes.filter((s) => s <= to)) {
        const proof = await t.db.tenant(tenant, (tx) => proveConsistency(tx, from, to));
        expect([from, to, proof.path]).toEqual([from, to, consistencyProof(leaves, from, to).map(toHex)]);
        const ok = verifyConsistency(from, to, proof.path.map(fromHex), rootOfLeafHashes(leaves, 0, from), rootOfLeafHashes(leaves, 0, to));
        expect([from, to, ok]).toEqual([from, to, { ok: true }]);
      }
    }
  });

  it('hashes and stores the subtrees of a log older than the table the first time a proof needs them', async () => {
    await t.engine.query('DELETE FROM audit_subtrees WHERE tenant_id = $1', [tenant]);
    const proof = await t.db.tenant(tenant, (tx) => proveInclusion(tx, 3, 1100));
    expect(proof.path).toEqual(inclusionProof(leaves, 2, 1100).map(toHex));
    // Leaf 3's path holds [256, 512) and [512, 1024) (with the blocks inside it), not [0, 256) nor [0, 1024).
    const filled = ['8/1', '8/2', '8/3', '9/1'];
    expect((await subtrees()).map(([level, idx]) => `${level}/${idx}`)).toEqual(filled);
    expect(await subtrees()).toEqual(expected().filter(([level, idx]) => filled.includes(`${level}/${idx}`)));
    // And a proof that needs them all fills in the rest; nothing stored twice, nothing wrong.
    await t.db.tenant(tenant, (tx) => proveConsistency(tx, 1, 1100));
    await t.db.tenant(tenant, (tx) => proveInclusion(tx, 1100, 1100));
    expect(await subtrees()).toEqual(expected());
  });
});
