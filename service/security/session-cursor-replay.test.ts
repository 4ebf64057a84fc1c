/**
 * Threat: a session list cursor kept and replayed after the sessions around it
 * were revoked (its own anchor among them), replayed by another tenant's admin,
 * or edited by hand. A replay after revocation still pages on from its position
 * and shows no ended session twice or at all; a cursor of another tenant, or one
 * that is not as the service issued it, is refused with 400 invalid_cursor.
 */
import { describe, expect, it } from 'vitest';
import { SessionListSchema, type SessionList } from '../../shared/sessions/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { membersKit } from './members-kit';

const MIN = 60_000;

describe.each(TEST_ENGINES)('replaying a session list cursor, on %s', (kind) => {
  let clock = new Date('2026-04-06T08:00:00Z');
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, refused } = membersKit(svc, () => clock);
  const list = (tenant: TenantId, token: string, query: string) => call('GET', `/v1/tenants/${tenant}/sessions?${query}`, { token });
  const page = async (tenant: TenantId, token: string, query: string): Promise<SessionList> => {
    const res = await list(tenant, token, query);
    expect(res.statusCode, res.body).toBe(200);
    return SessionListSchema.parse(res.json());
  };
  /** Every page from `cursor` on, as the console reads them. */
  const rest = async (tenant: TenantId, token: string, cursor: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let next: string | null | undefined = cursor, n = 0; next && n < 20; n += 1) {
      const got: SessionList = await page(tenant, token, `limit=3&cursor=${next}`);
      ids.push(...got.items.map((i) => i.id));
      next = got.nextCursor;
    }
    return ids;
  };
  /** A tenant with an admin and two editors holding ten sessions, a minute apart (the admin signs in later). */
  const sessionsOf = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const admin = await person([{ tenantId: tenant, role: 'admin' }]);
    const editors = [await person([{ tenantId: tenant, role: 'editor' }]), await person([{ tenantId: tenant, role: 'editor' }])];
    for (let i = 0; i < 10; i += 1) {
      clock = new Date(clock.getTime() + MIN);
      await svc.session(editors[i % 2]!);
    }
    return { tenant, admin, editors };
  };

  it('after revoking the anchor and sessions on the next pages, the cursor still pages on: no revoked session, no repeats', async () => {
    const { tenant, admin, editors } = await sessionsOf();
    const mine = await svc.steppedUp(admin);
    const first = await page(tenant, mine.accessToken, 'limit=3');
    expect(first.items).toHaveLength(3);
    const cursor = first.nextCursor!;
    const before = await rest(tenant, mine.accessToken, cursor);
    const anchor = first.items.at(-1)!.id;
    // The anchor, the first and last of page 2, and every session of the second editor.
    const revoked = new Set([anchor, before[0]!, before[2]!]);
    for (const id of revoked) {
      const res = await call('POST', `/v1/tenants/${tenant}/sessions/${id}/revoke`, { token: mine.accessToken });
      expect(res.statusCode, res.body).toBe(200);
    }
    const res = await call('POST', `/v1/tenants/${tenant}/members/${editors[1]!.userId}/sessions/revoke`, { token: mine.accessToken });
    expect(res.statusCode, res.body).toBe(200);
    const ofSecond = new Set(
      (await svc.t.engine.query<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1', [editors[1]!.userId])).map((r) => r.id),
    );

    const replayed = await page(tenant, mine.accessToken, `limit=3&cursor=${cursor}`);
    expect(replayed.items.length).toBeGreaterThan(0);
    const after = await rest(tenant, mine.accessToken, cursor);
    expect(after).toEqual(before.filter((id) => !revoked.has(id) && !ofSecond.has(id)));
    expect(new Set(after).size).toBe(after.length);
    for (const id of first.items.map((i) => i.id)) expect(after).not.toContain(id);
  });

  it("refuses another tenant's cursor and edited cursors with 400 invalid_cursor, also after revocations", async () => {
    const a = await sessionsOf();
    const b = await sessionsOf();
    // Signed in (and stepped up) now, after the sessions above: the newest of each list.
    const [mineA, mineB] = [await svc.steppedUp(a.admin), await svc.steppedUp(b.admin)];
    const cursorA = (await page(a.tenant, mineA.accessToken, 'limit=3')).nextCursor!;
    const cursorB = (await page(b.tenant, mineB.accessToken, 'limit=3')).nextCursor!;
    const res = await call('POST', `/v1/tenants/${a.tenant}/members/${a.editors[0]!.userId}/sessions/revoke`, { token: mineA.accessToken });
    expect(res.statusCode, res.body).toBe(200);

    // B's admin with A's cursor on B's list, and A's admin with B's cursor on A's list.
    await refused(list(b.tenant, mineB.accessToken, `limit=3&cursor=${cursorA}`), 400, 'invalid_cursor');
    await refused(list(a.tenant, mineA.accessToken, `limit=3&cursor=${cursorB}`), 400, 'invalid_cursor');
    const [micros, id, issuedFor] = cursorA.split('.') as [string, string, string];
    const edited = [
      `${micros}.${id}.${b.tenant}`, // names another tenant
      `${micros}.${id}.${issuedFor.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`, // one digit of the tenant changed
      `${micros}.${id.replace(/^./, 'g')}.${issuedFor}`, // not an id
      `${micros}.${id}`, // tenant cut off
      `${micros}.${id}.${issuedFor}0`, // something appended (an over-long one is a validation error: session-pages.test.ts)
      `-${micros}.${id}.${issuedFor}`, // a position before 1970
      `${micros}.${id}.${issuedFor}`.toUpperCase(),
      encodeURIComponent(`${micros}.${id}.${issuedFor}\n`),
    ];
    for (const cursor of edited) await refused(list(a.tenant, mineA.accessToken, `limit=3&cursor=${cursor}`), 400, 'invalid_cursor');
    // The cursor as issued still works for its own tenant, after the revocations.
    expect((await page(a.tenant, mineA.accessToken, `limit=3&cursor=${cursorA}`)).items.every((i) => i.userId !== a.editors[0]!.userId)).toBe(true);
  });
});
