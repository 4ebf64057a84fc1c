import { describe, expect, it } from 'vitest';
import type { TenantRole } from '../../shared/identity/roles';
import { SessionListSchema, type SessionList } from '../../shared/sessions/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

const MIN = 60_000;

describe.each(TEST_ENGINES)('sessions list in pages on %s', (kind) => {
  let clock = new Date('2026-03-02T09:00:05Z');
  const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const svc = inProcessService(kind, { now: () => clock });
  const member = (tenantId: TenantId, role: TenantRole) => createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId, role }] });
  const page = async (tenantId: TenantId, token: string, query: string): Promise<SessionList> => {
    const res = await svc.call('GET', `/v1/tenants/${tenantId}/sessions?${query}`, { token });
    expect(res.statusCode, res.body).toBe(200);
    return SessionListSchema.parse(res.json());
  };
  const all = async (tenantId: TenantId, token: string, query: string, between: () => Promise<void> = async () => {}) => {
    const ids: string[] = [];
    let cursor: string | null | undefined = null;
    for (let n = 0; n < 50; n += 1) {
      const got: SessionList = await page(tenantId, token, `${query}${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...got.items.map((i) => i.id));
      cursor = got.nextCursor;
      if (!cursor) return ids;
      await between();
    }
    throw new Error('paging did not end');
  };
  /** Newest start first, ties by id: the order the pages promise. */
  const inPageOrder = async (ids: readonly string[]) =>
    (await svc.t.engine.query<{ id: string }>('SELECT id FROM sessions WHERE id = ANY($1::uuid[]) ORDER BY created_at DESC, id DESC', [[...ids]])).map((r) => r.id);

  it('pages newest start first, without repeats or gaps while people sign in, use and end sessions', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const editor = await member(tenant, 'editor');
    const mine = await svc.session(admin);
    const started: string[] = [mine.session.id];
    for (let i = 0; i < 9; i += 1) {
      // Three at each instant: equal starts are ordered by id.
      if (i % 3 === 0) tick(MIN);
      started.push((await svc.session(editor)).session.id);
    }
    const expected = await inPageOrder(started);
    const ended = expected[7]!;
    let round = 0;
    const ids = await all(tenant, mine.accessToken, 'limit=3', async () => {
      round += 1;
      tick(MIN);
      // New sign-ins start after the first page; using a session moves its last use, not its place.
      await svc.session(editor);
      await svc.call('GET', '/v1/me', { token: mine.accessToken });
      if (round === 1) await svc.t.engine.query('UPDATE sessions SET revoked_at = now() WHERE id = $1', [ended]);
    });
    expect(ids).toEqual(expected.filter((id) => id !== ended));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the filters across pages, and the whole list without limit or cursor as before', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await member(tenant, 'admin');
    const editor = await member(tenant, 'editor');
    const mine = await svc.session(admin);
    const editors: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      tick(MIN);
      editors.push((await svc.session(editor)).session.id);
    }
    expect(await all(tenant, mine.accessToken, `limit=2&userId=${editor.userId}`)).toEqual(await inPageOrder(editors));
    expect(await all(tenant, mine.accessToken, 'limit=2&flagged=false')).toEqual(await inPageOrder([mine.session.id, ...editors]));
    await svc.t.engine.query("UPDATE sessions SET anomaly_flags = '{new_ip}' WHERE id = ANY($1::uuid[])", [[editors[0], editors[3]]]);
    expect(await all(tenant, mine.accessToken, `limit=1&flagged=true&userId=${editor.userId}`)).toEqual(await inPageOrder([editors[0]!, editors[3]!]));
    const whole = await page(tenant, mine.accessToken, '');
    expect(whole.items).toHaveLength(6);
    expect(whole.nextCursor).toBeUndefined();
  });

  it("refuses another tenant's cursor, a malformed one and limits out of bounds; a rewritten cursor is only a position in one's own tenant", async () => {
    const tenantA = await createTestTenant(svc.t.db);
    const tenantB = await createTestTenant(svc.t.db);
    const adminA = await svc.session(await member(tenantA, 'admin'));
    const adminB = await svc.session(await member(tenantB, 'admin'));
    const editorA = await member(tenantA, 'editor');
    for (let i = 0; i < 3; i += 1) await svc.session(editorA);
    const cursorA = (await page(tenantA, adminA.accessToken, 'limit=1')).nextCursor;
    expect(cursorA).toMatch(/\./);
    const get = (tenant: TenantId, token: string, query: string) => svc.call('GET', `/v1/tenants/${tenant}/sessions?${query}`, { token });
    // Tenant B's admin replaying A's cursor on B's list, or on A's (no permission there).
    expect(errorOf(await get(tenantB, adminB.accessToken, `limit=1&cursor=${cursorA}`))).toEqual({ status: 400, code: 'invalid_cursor' });
    expect(errorOf(await get(tenantA, adminB.accessToken, `limit=1&cursor=${cursorA}`))).toEqual({ status: 403, code: 'forbidden' });
    // Rewritten to name B: a position only; B's list holds B's sessions and nothing of A's.
    const rewritten = cursorA!.replace(tenantA, tenantB);
    const seen = await page(tenantB, adminB.accessToken, `limit=10&cursor=${rewritten.replace(/^\d+/, '99999999999999999')}`);
    expect(seen.items.map((i) => i.id)).toEqual([adminB.session.id]);
    for (const bad of ['cursor=abc', 'cursor=1.2.3', `cursor=${'9'.repeat(18)}.${tenantA}.${tenantA}`]) {
      expect(errorOf(await get(tenantA, adminA.accessToken, bad)), bad).toEqual({ status: 400, code: 'invalid_cursor' });
    }
    for (const bad of [`cursor=${'1'.repeat(121)}`, 'limit=0', 'limit=1001', 'limit=ten', 'limit=-1']) {
      expect(errorOf(await get(tenantA, adminA.accessToken, bad)), bad).toEqual({ status: 400, code: 'validation_failed' });
    }
    expect((await page(tenantA, adminA.accessToken, 'limit=1000')).items).toHaveLength(4);
  });

  it('binds a cursor to its filter: the next page of another filter is refused (400 invalid_cursor), not skipped or repeated', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const adminUser = await member(tenant, 'admin');
    const admin = await svc.session(adminUser);
    const editor = await member(tenant, 'editor');
    for (let i = 0; i < 3; i += 1) await svc.session(editor);
    const get = (query: string) => svc.call('GET', `/v1/tenants/${tenant}/sessions?${query}`, { token: admin.accessToken });
    const byEditor = (await page(tenant, admin.accessToken, `limit=1&userId=${editor.userId}`)).nextCursor!;
    const unfiltered = (await page(tenant, admin.accessToken, 'limit=1')).nextCursor!;
    const flagged = (await page(tenant, admin.accessToken, 'limit=1&flagged=false')).nextCursor!;
    for (const [cursor, query] of [
      [byEditor, 'limit=1'],
      [byEditor, `limit=1&userId=${adminUser.userId}`],
      [byEditor, `limit=1&userId=${editor.userId}&flagged=false`],
      [unfiltered, `limit=1&userId=${editor.userId}`],
      [unfiltered, 'limit=1&flagged=false'],
      [flagged, 'limit=1&flagged=true'],
    ] as const) {
      expect(errorOf(await get(`${query}&cursor=${cursor}`)), query).toEqual({ status: 400, code: 'invalid_cursor' });
    }
    expect((await page(tenant, admin.accessToken, `limit=1&userId=${editor.userId}&cursor=${byEditor}`)).items).toHaveLength(1);
  });

  it("filters by a person of another tenant, or by nobody, to an empty list: the same answer, revealing no one's existence", async () => {
    const tenantA = await createTestTenant(svc.t.db);
    const tenantB = await createTestTenant(svc.t.db);
    const adminA = await svc.session(await member(tenantA, 'admin'));
    const elsewhere = await member(tenantB, 'editor');
    await svc.session(elsewhere);
    const nobody = '5a5a5a5a-1111-4222-8333-444455556666';
    for (const userId of [elsewhere.userId, nobody]) {
      expect(await page(tenantA, adminA.accessToken, `userId=${userId}`)).toEqual({ items: [] });
      expect(await page(tenantA, adminA.accessToken, `limit=5&userId=${userId}`)).toEqual({ items: [], nextCursor: null });
      expect(await page(tenantA, adminA.accessToken, `limit=5&flagged=false&userId=${userId}`)).toEqual({ items: [], nextCursor: null });
    }
  });
});
