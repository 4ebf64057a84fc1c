import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, listAuditEvents } from '../audit/audit-log';
import { createOperator } from '../operators/operator-repository';
import { createTenant, getTenant, listTenants } from '../tenants/tenant-repository';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { APP_ROLE, PLATFORM_TENANT_ID } from './db';

const system = { type: 'system', id: 'test' } as const;

/** PostgreSQL's SQLSTATE for "insufficient privilege", which RLS WITH CHECK violations also raise. */
const INSUFFICIENT_PRIVILEGE = '42501';
const sqlState = (err: unknown): string | undefined => (err as { code?: string }).code;

describe.each(TEST_ENGINES)('row-level security on %s', (kind) => {
  let t: TestDatabase;
  let a: TenantId;
  let b: TenantId;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    [a, b] = await t.db.platform(async (tx) => [
      (await createTenant(tx, { name: 'Tenant A', region: 'eu', plan: 'team' }, system)).id,
      (await createTenant(tx, { name: 'Tenant B', region: 'us', plan: 'free' }, system)).id,
    ]);
    await t.db.tenant(a, (tx) => appendAuditEvent(tx, { actor: system, action: 'probe.written', target: 'a' }));
    await t.db.tenant(b, (tx) => appendAuditEvent(tx, { actor: system, action: 'probe.written', target: 'b' }));
  });
  afterAll(() => t.dispose());

  it('runs every transaction as attest_app, which has no BYPASSRLS', async () => {
    const inPlatform = await t.db.platform((tx) => tx.query<{ u: string }>('SELECT current_user AS u'));
    const inTenant = await t.db.tenant(a, (tx) => tx.query<{ u: string }>('SELECT current_user AS u'));
    expect([inPlatform[0]?.u, inTenant[0]?.u]).toEqual([APP_ROLE, APP_ROLE]);
    const role = await t.engine.query<{ rolcanlogin: boolean; rolbypassrls: boolean; rolsuper: boolean }>(
      'SELECT rolcanlogin, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = $1',
      [APP_ROLE],
    );
    expect(role).toEqual([{ rolcanlogin: false, rolbypassrls: false, rolsuper: false }]);
  });

  it('enables and forces RLS on every table the service can reach', async () => {
    const tables = await t.engine.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' ORDER BY c.relname`,
    );
    expect(tables.map((r) => r.relname)).toEqual([
      'access_review_items',
      'access_reviews',
      'api_tokens',
      'approval_requests',
      'audit_events',
      'audit_personal',
      'audit_sequences',
      'audit_signing_keys',
      'audit_subtrees',
      'audit_tree_heads',
      'incident_change_counter',
      'incident_edit_holds',
      'incident_edit_requests',
      'incident_feed_pulls',
      'incident_notices',
      'incident_tenants',
      'incident_timeline',
      'incidents',
      'member_invites',
      'memberships',
      'operator_tokens',
      'operators',
      'platform_role_grants',
      'posture_remediations',
      'posture_snapshots',
      'recovery_codes',
      'session_flag_reviews',
      'session_tokens',
      'sessions',
      'sign_in_challenges',
      'sign_in_throttles',
      'tenant_member_counts',
      'tenant_security_policies',
      'tenants',
      'trust_page_publications',
      'user_credentials',
      'users',
    ]);
    for (const r of tables) expect([r.relname, r.relrowsecurity, r.relforcerowsecurity]).toEqual([r.relname, true, true]);
    // The runner's own table is not RLS'd but attest_app has no privilege on it at all.
    const err = await t.db.platform((tx) => tx.query('SELECT * FROM schema_migrations')).catch((e: unknown) => e);
    expect(sqlState(err)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it("shows a tenant only its own row, and operators every tenant", async () => {
    expect((await t.db.tenant(a, getTenant))?.name).toBe('Tenant A');
    const seenFromA = await t.db.tenant(a, (tx) => tx.query<{ id: string }>('SELECT id FROM tenants'));
    expect(seenFromA.map((r) => r.id)).toEqual([a]);
    // Even asking for B by id from A's context finds nothing.
    const bFromA = await t.db.tenant(a, (tx) => tx.query('SELECT * FROM tenants WHERE id = $1', [b]));
    expect(bFromA).toEqual([]);
    const all = (await t.db.platform(listTenants)).map((x) => x.id);
    expect(all).toEqual(expect.arrayContaining([a, b]));
  });

  it("hides tenant B's audit events from tenant A", async () => {
    const fromA = await t.db.tenant(a, (tx) => tx.query<{ tenant_id: string }>('SELECT tenant_id FROM audit_events'));
    expect(fromA.length).toBeGreaterThan(0);
    expect(new Set(fromA.map((r) => r.tenant_id))).toEqual(new Set([a]));
    const bEvents = await t.db.tenant(a, (tx) => tx.query('SELECT * FROM audit_events WHERE tenant_id = $1', [b]));
    expect(bEvents).toEqual([]);
    expect((await t.db.tenant(b, listAuditEvents)).map((e) => e.target)).toEqual(['b']);
  });

  it("refuses to insert a row for tenant B from tenant A's context (WITH CHECK)", async () => {
    const err = await t.db
      .tenant(a, (tx) =>
        tx.query(
          "INSERT INTO audit_events (tenant_id, seq, actor_type, actor_id, action, target, outcome) VALUES ($1, 999, 'system', 'x', 'probe.forged', 'x', 'success')",
          [b],
        ),
      )
      .catch((e: unknown) => e);
    expect(sqlState(err)).toBe(INSUFFICIENT_PRIVILEGE);
    expect((err as Error).message).toMatch(/row-level security/);
    const forged = await t.engine.query("SELECT 1 FROM audit_events WHERE action = 'probe.forged'");
    expect(forged).toEqual([]);
  });

  it('keeps operators and tokens out of tenant scope, and tenant creation out of tenant hands', async () => {
    await t.db.platform((tx) => createOperator(tx, 'Olive Operator', system));
    expect(await t.db.tenant(a, (tx) => tx.query('SELECT * FROM operators'))).toEqual([]);
    expect(await t.db.tenant(a, (tx) => tx.query('SELECT * FROM operator_tokens'))).toEqual([]);
    const err = await t.db
      .tenant(a, (tx) => tx.query("INSERT INTO tenants (id, name, slug, region, plan) VALUES ($1, 'Sneaky', 'sneaky', 'eu', 'free')", [randomUUID()]))
      .catch((e: unknown) => e);
    expect(sqlState(err)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('gives platform scope the platform audit log only', async () => {
    const tenantsSeen = await t.db.platform((tx) => tx.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM audit_events'));
    expect(tenantsSeen.map((r) => r.tenant_id)).toEqual([PLATFORM_TENANT_ID]);
  });

  it('lets attest_app append audit events but never change or delete them', async () => {
    for (const sql of ["UPDATE audit_events SET outcome = 'failure'", 'DELETE FROM audit_events', 'TRUNCATE audit_events']) {
      const err = await t.db.tenant(a, (tx) => tx.query(sql)).catch((e: unknown) => e);
      expect([sql, sqlState(err)]).toEqual([sql, INSUFFICIENT_PRIVILEGE]);
    }
  });

  it('lets attest_app erase personal audit data, but never change it, nor change or remove tree heads', async () => {
    for (const sql of [
      "UPDATE audit_personal SET data = '{}'::jsonb",
      "UPDATE audit_tree_heads SET root_hash = repeat('0', 64)",
      'DELETE FROM audit_tree_heads',
      'TRUNCATE audit_tree_heads',
    ]) {
      const err = await t.db.tenant(a, (tx) => tx.query(sql)).catch((e: unknown) => e);
      expect([sql, sqlState(err)]).toEqual([sql, INSUFFICIENT_PRIVILEGE]);
    }
    const erased = await t.db.tenant(a, (tx) => tx.query('DELETE FROM audit_personal RETURNING seq'));
    expect(erased.length).toBeGreaterThan(0);
  });

  it('lets only the platform scope publish or retire audit signing keys, and nobody delete or rewrite one', async () => {
    const insert = "INSERT INTO audit_signing_keys (key_id, public_key, created_at) VALUES ('00112233445566ff', decode(repeat('00', 32), 'hex'), now())";
    expect(sqlState(await t.db.tenant(a, (tx) => tx.query(insert)).catch((e: unknown) => e))).toBe(INSUFFICIENT_PRIVILEGE);
    await t.db.platform((tx) => tx.query(insert));
    for (const sql of ["UPDATE audit_signing_keys SET public_key = decode(repeat('01', 32), 'hex')", 'DELETE FROM audit_signing_keys']) {
      const err = await t.db.platform((tx) => tx.query(sql)).catch((e: unknown) => e);
      expect([sql, sqlState(err)]).toEqual([sql, INSUFFICIENT_PRIVILEGE]);
    }
    expect(await t.db.tenant(a, (tx) => tx.query("UPDATE audit_signing_keys SET retired_at = now() RETURNING key_id"))).toEqual([]);
    expect(await t.db.platform((tx) => tx.query("UPDATE audit_signing_keys SET retired_at = now() RETURNING key_id"))).toEqual([{ key_id: '00112233445566ff' }]);
  });

  it('sees nothing without a scope, and leaves no scope behind after a transaction', async () => {
    const unscoped = await t.engine.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${APP_ROLE}`);
      return tx.query('SELECT (SELECT count(*) FROM tenants) AS tenants, (SELECT count(*) FROM audit_events) AS events');
    });
    expect(unscoped.map((r) => [Number(r.tenants), Number(r.events)])).toEqual([[0, 0]]);
    await t.db.tenant(a, getTenant);
    const after = await t.engine.query<{ tenant: string | null; role: string }>(
      "SELECT coalesce(current_setting('attest.tenant_id', true), '') AS tenant, current_user AS role",
    );
    expect(after[0]?.tenant).toBe('');
    expect(after[0]?.role).not.toBe(APP_ROLE);
  });

  it('refuses a tenant transaction for the platform id or a non-uuid', async () => {
    await expect(t.db.tenant(PLATFORM_TENANT_ID as TenantId, getTenant)).rejects.toThrow(/not a tenant id/);
    await expect(t.db.tenant('nope' as TenantId, getTenant)).rejects.toThrow(/not a tenant id/);
  });
});
