/**
 * Threat: a burst of parallel creations with the same slug (a sign-up flow retried,
 * two operators at once) leaves two tenants with one slug, or a half-created tenant
 * (a tenant without its policy row or its owner's invitation, an invited user
 * without a tenant). The slug's unique index decides; each creation is one transaction.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOperator, issueOperatorToken } from '../operators/operator-repository';
import { TEST_ENGINES } from '../testing/databases';
import { errorOf, inProcessService } from '../testing/in-process-service';

describe.each(TEST_ENGINES)('parallel tenant creation with one slug, on %s', (kind) => {
  const clock = new Date('2026-07-01T09:00:05Z');
  const svc = inProcessService(kind, { now: () => clock });
  const system = { type: 'system', id: 'test' } as const;
  const counts = async () => {
    const [row] = await svc.t.engine.query<Record<string, string | number>>(
      `SELECT (SELECT count(*) FROM tenants) AS tenants, (SELECT count(*) FROM tenant_security_policies) AS policies,
              (SELECT count(*) FROM member_invites) AS invites, (SELECT count(*) FROM memberships) AS memberships,
              (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM audit_events WHERE action = 'tenant.created') AS events`,
    );
    return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
  };

  it('exactly one 201, every other 409 slug_taken, and nothing half-created', async () => {
    const token = await svc.t.db.platform(async (tx) => (await issueOperatorToken(tx, (await createOperator(tx, 'Burst', system)).id, 'burst', system)).token);
    const before = await counts();
    const slug = `burst-${randomUUID().slice(0, 8)}`;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        svc.call('POST', '/v1/tenants', {
          token,
          ip: `10.77.0.${i + 1}`,
          body: { name: `Burst ${i}`, slug, region: 'us', plan: 'free', ownerEmail: `owner-${i}-${randomUUID().slice(0, 6)}@burst.example` },
        }),
      ),
    );
    const outcomes = answers.map(errorOf);
    expect(outcomes.filter((o) => o.status === 201)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status !== 201)).toEqual(Array.from({ length: 11 }, () => ({ status: 409, code: 'slug_taken' })));
    const after = await counts();
    // One tenant, its policy row, its owner's invitation, membership and new user; its event in the platform log and its own.
    expect(after).toEqual({
      tenants: before.tenants! + 1,
      policies: before.policies! + 1,
      invites: before.invites! + 1,
      memberships: before.memberships! + 1,
      users: before.users! + 1,
      events: before.events! + 2,
    });
    expect(await svc.t.engine.query('SELECT 1 FROM tenants WHERE slug = $1', [slug])).toHaveLength(1);
  });
});
