import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../audit/audit-log';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { createFirstOperator, OperatorAlreadyExistsError } from './first-operator';
import { createOperatorAuthenticator } from './operator-auth';
import { generateOperatorToken, hashToken } from './operator-token';

const actor = { type: 'system', id: 'test' } as const;

describe.each(TEST_ENGINES)('operators and tokens on %s', (kind) => {
  let t: TestDatabase;
  let token: string;
  let tokenId: string;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    const first = await createFirstOperator(t.db, { name: 'Ada Operator', tokenLabel: 'init', actor });
    token = first.token.token;
    tokenId = first.token.id;
  });
  afterAll(() => t.dispose());

  it('stores only the SHA-256 of a token and audits the operator and the token', async () => {
    const rows = await t.engine.query<Record<string, unknown>>('SELECT * FROM operator_tokens');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_sha256).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const events = await t.db.platform(listAuditEvents);
    expect(events.map((e) => e.action)).toEqual(['operator.created', 'operator_token.issued']);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('creates the first operator once only', async () => {
    await expect(createFirstOperator(t.db, { name: 'Second', tokenLabel: 'init', actor })).rejects.toBeInstanceOf(OperatorAlreadyExistsError);
    expect(await t.engine.query('SELECT name FROM operators')).toEqual([{ name: 'Ada Operator' }]);
  });

  it('tells a missing token from an invalid one', async () => {
    const auth = createOperatorAuthenticator(t.db);
    expect(await auth(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await auth('')).toEqual({ ok: false, reason: 'missing' });
    for (const header of ['Basic abc', `Bearer ${generateOperatorToken()}`, 'Bearer not-a-token', token, `Bearer ${token}x`]) {
      expect([header, await auth(header)]).toEqual([header, { ok: false, reason: 'invalid' }]);
    }
  });

  it('accepts a valid token and records its use at most once a minute', async () => {
    const auth = createOperatorAuthenticator(t.db);
    const lastUsed = async () =>
      (await t.engine.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM operator_tokens WHERE id = $1', [tokenId]))[0]?.last_used_at;
    expect(await lastUsed()).toBeNull();

    const result = await auth(`Bearer ${token}`);
    expect(result).toEqual({ ok: true, operator: { operatorId: expect.any(String), operatorName: 'Ada Operator', tokenId } });
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);

    await auth(`bearer ${token}`);
    expect(await lastUsed()).toEqual(first);

    await t.engine.query("UPDATE operator_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1", [tokenId]);
    const stale = await lastUsed();
    await auth(`Bearer ${token}`);
    expect((await lastUsed())?.getTime()).toBeGreaterThan(stale?.getTime() ?? 0);
  });
});
