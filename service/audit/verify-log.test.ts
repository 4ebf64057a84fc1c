import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64, treeHeadMessage } from '../../shared/audit/tree-head';
import type { TenantId } from '../../shared/tenants/tenant';
import { createTenant } from '../tenants/tenant-repository';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { appendAuditEvent } from './audit-log';
import { ephemeralAuditSigner, publishAuditKey } from './signing-key';
import { issueTreeHead, listTreeHeads } from './tree-heads';
import { verifyAuditLogs } from './verify-log';

const actor = { type: 'operator', id: 'op-1' } as const;

describe.each(TEST_ENGINES)('audit verify on %s', (kind) => {
  let t: TestDatabase;
  const signer = ephemeralAuditSigner();

  /** A tenant with 8 events (personal data on each) and signed heads at sizes 4 and 8. */
  const loggedTenant = async (name: string): Promise<TenantId> => {
    const id = await t.db.platform(async (tx) => (await createTenant(tx, { name, region: 'eu', plan: 'team' }, actor)).id);
    for (let i = 1; i <= 8; i++) {
      await t.db.tenant(id, (tx) =>
        appendAuditEvent(tx, { actor, action: 'thing.done', target: `thing:${i}`, details: { i }, personal: { ip: `192.0.2.${i}` } }),
      );
      if (i === 4 || i === 8) await t.db.tenant(id, (tx) => issueTreeHead(tx, signer, new Date()));
    }
    return id;
  };
  const firstBad = async (id: string) => {
    const [result] = await verifyAuditLogs(t.db, id);
    return result?.problem ? { seq: result.problem.seq, message: result.problem.message } : null;
  };
  const tamper = (sql: string, params: unknown[]) => t.engine.query(sql, params);

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await t.db.platform((tx) => publishAuditKey(tx, signer, new Date()));
  });
  afterAll(() => t.dispose());

  it('verifies untouched logs, all of them or one', async () => {
    const id = await loggedTenant('Clean');
    await t.db.platform((tx) => issueTreeHead(tx, signer, new Date()));
    expect(await verifyAuditLogs(t.db, id)).toEqual([{ tenantId: id, events: 8, heads: 2, problem: null }]);
    const all = await verifyAuditLogs(t.db);
    expect(all.every((r) => r.problem === null)).toBe(true);
    expect(all.map((r) => r.tenantId)).toContain(id);
    expect(all.map((r) => r.tenantId)).toContain('00000000-0000-0000-0000-000000000000');
  });

  it('detects a changed event, naming it', async () => {
    const id = await loggedTenant('Changed');
    await tamper(`UPDATE audit_events SET details = '{"i": 50}'::jsonb WHERE tenant_id = $1 AND seq = 5`, [id]);
    expect(await firstBad(id)).toEqual({ seq: 5, message: 'event 5 was altered: its stored fields do not hash to its leaf' });
  });

  it('detects a changed event whose leaf hash was recomputed too, by the signed head it contradicts', async () => {
    const id = await loggedTenant('Rehashed');
    await tamper(`UPDATE audit_events SET outcome = 'denied', leaf_hash = sha256('forged') WHERE tenant_id = $1 AND seq = 6`, [id]);
    const bad = await firstBad(id);
    expect(bad?.seq).toBe(6);
  });

  it('detects a deleted event', async () => {
    const id = await loggedTenant('Deleted');
    await tamper('DELETE FROM audit_events WHERE tenant_id = $1 AND seq = 3', [id]);
    expect(await firstBad(id)).toEqual({ seq: 3, message: 'event 3 is missing (the next stored event is 4)' });
  });

  it('detects two swapped events', async () => {
    const id = await loggedTenant('Swapped');
    for (const [from, to] of [[2, 1000], [6, 2], [1000, 6]]) await tamper('UPDATE audit_events SET seq = $3 WHERE tenant_id = $1 AND seq = $2', [id, from, to]);
    expect((await firstBad(id))?.seq).toBe(2);
  });

  it('detects a truncated tail', async () => {
    const id = await loggedTenant('Truncated');
    await tamper('DELETE FROM audit_events WHERE tenant_id = $1 AND seq > 6', [id]);
    expect(await firstBad(id)).toEqual({ seq: 7, message: 'the log ends at event 6 but 8 events were recorded: events 7.. are missing' });
  });

  it('detects a truncated tail even with the tree state and the last head rolled back', async () => {
    const id = await loggedTenant('Rolled back');
    await tamper('DELETE FROM audit_events WHERE tenant_id = $1 AND seq > 6', [id]);
    await tamper("UPDATE audit_sequences SET next_seq = 7, frontier = '\\x'::bytea WHERE tenant_id = $1", [id]);
    // The head at 8 still says 8: the log lost events.
    expect((await firstBad(id))?.seq).toBe(7);
  });

  it('detects a tree head re-signed with another key', async () => {
    const id = await loggedTenant('Re-signed');
    const other = ephemeralAuditSigner();
    const [, head] = await t.db.tenant(id, listTreeHeads);
    const forged = { ...head!, keyId: other.keyId };
    await tamper('UPDATE audit_tree_heads SET key_id = $3, signature = $4 WHERE tenant_id = $1 AND tree_size = $2', [
      id,
      8,
      other.keyId,
      toBase64(other.sign(treeHeadMessage(forged))),
    ]);
    expect(await firstBad(id)).toEqual({ seq: 8, message: `tree head of size 8 is signed by unknown key ${other.keyId}` });
    // Keeping the published key's id does not help: the signature does not verify under it.
    await tamper('UPDATE audit_tree_heads SET key_id = $3, signature = $4 WHERE tenant_id = $1 AND tree_size = $2', [
      id,
      8,
      signer.keyId,
      toBase64(other.sign(treeHeadMessage({ ...head!, rootHash: head!.rootHash }))),
    ]);
    expect(await firstBad(id)).toEqual({ seq: 8, message: `tree head of size 8 has a bad signature (key ${signer.keyId})` });
  });

  it('detects personal data that no longer matches its commitment, and accepts erased personal data', async () => {
    const id = await loggedTenant('Personal');
    await tamper('DELETE FROM audit_personal WHERE tenant_id = $1 AND seq = 2', [id]);
    expect(await firstBad(id)).toBeNull();
    await tamper(`UPDATE audit_personal SET data = '{"ip": "203.0.113.9"}'::jsonb WHERE tenant_id = $1 AND seq = 4`, [id]);
    expect(await firstBad(id)).toEqual({ seq: 4, message: 'event 4: personal data does not match its commitment' });
  });
});
