import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/ipc/incidents';
import type { TenantId } from '../../../shared/tenants/tenant';
import { buildServer, ensureCertificate, ephemeralKeyRing, plainCompareHasher } from '../../../service';
import { insertApiToken } from '../../../service/api-tokens/api-token-repository';
import { createFirstOperator } from '../../../service/operators/first-operator';
import { createTestTenant, createTestUser } from '../../../service/testing/identity-fixtures';
import { openTestDatabase, tempDir, type TestDatabase } from '../../../service/testing/databases';
import { createServiceClient, type ServiceClient } from '../client/service-client';
import { CoreError } from '../core-error';
import { ownerFolder, ownerKeyAccount } from '../offline/offline-owner';
import { loadReplica } from '../offline/replica-database';
import { createMemoryVault } from '../vault/memory-vault';
import type { Vault } from '../vault/vault';
import { createIncidentConsole } from './incident-console';

const EVENTS = 12_000;
const PERSON = '00000000-0000-4000-8000-000000000001';

/** The audit half of sync against the real service over HTTPS: a log of 12,000 events, pulled in 5,000-event pages. */
describe('incident console: pulling the audit log into the replica', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  let fingerprint: string;
  let operatorToken: string;
  let tenant: TenantId;
  const clients: ServiceClient[] = [];

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    tenant = await createTestTenant(t.db, 'Busy');
    // Events of the last minute, one every 5 ms, the way the sync.pull bench seeds them.
    await t.engine.query(
      `INSERT INTO audit_events (tenant_id, seq, at, actor_type, actor_id, action, target, outcome, request_id, details, personal_commitment, leaf_hash)
       SELECT $1::uuid, g, date_trunc('milliseconds', now()) - ($2::bigint - g) * interval '5 milliseconds', 'user', 'user-' || (g % 50),
              'auth.login', 'session:' || g, 'success', 'req-' || g, jsonb_build_object('n', g), repeat('ab', 32), sha256(int8send(g))
       FROM generate_series(1, $2::bigint) g`,
      [tenant, EVENTS],
    );
    const tls = await ensureCertificate(join(tempDir('attest-pull-'), 'tls'));
    fingerprint = tls.fingerprint;
    app = await buildServer({ db: t.db, tls: { key: tls.key, cert: tls.cert }, logger: false, keys: ephemeralKeyRing(), hasher: plainCompareHasher() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    operatorToken = (await createFirstOperator(t.db, { name: 'Op', tokenLabel: 't', actor: { type: 'system', id: 'test' } })).token.token;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await app.close();
    await t.dispose();
  });

  const clientWith = (token: string, maxResponseBytes?: number): ServiceClient => {
    const client = createServiceClient({
      serviceUrl: url,
      fingerprint,
      timeoutMs: 60_000,
      credentials: { accessToken: async () => token, renew: (_r, e) => Promise.reject(e) },
      ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
    });
    clients.push(client);
    return client;
  };
  const consoleWith = (client: Pick<ServiceClient, 'call'>, vault: Vault = createMemoryVault(), dir = tempDir('attest-pull-console-')) => ({
    incidents: createIncidentConsole({
      client,
      vault,
      dir,
      owner: async () => ({ userId: PERSON, scope: tenant }),
      chooseExportPath: async () => null,
    }),
    vault,
    dir,
  });
  const replicaEvents = async (vault: Vault, dir: string) => {
    const replica = (await loadReplica(join(ownerFolder(dir, PERSON), 'replica.db'), Buffer.from((await vault.get(ownerKeyAccount('replica-key', PERSON)))!, 'base64')))!;
    try {
      return replica.auditEvents({ tenantId: tenant, limit: EVENTS + 1 }).map((e) => e.seq);
    } finally {
      replica.close();
    }
  };

  it('reports each page of the pull as it lands, counting up to the log’s size, and clears the progress at the end', async () => {
    const { incidents, vault, dir } = consoleWith(clientWith(operatorToken));
    const seen: SyncStatus[] = [];
    incidents.subscribe((s) => seen.push(s));
    const final = await incidents.resync();
    await incidents.close();

    expect(final).toMatchObject({ syncing: false, problem: null, progress: null, pendingEdits: 0 });
    const audit = seen.flatMap((s) => (s.progress?.phase === 'audit' ? [s.progress] : []));
    expect(audit.map((p) => p.done)).toEqual([0, 5000, 10_000, EVENTS]);
    expect(audit.map((p) => p.total)).toEqual([null, EVENTS, EVENTS, EVENTS]);
    expect(seen.findIndex((s) => s.progress?.phase === 'incidents')).toBeLessThan(seen.findIndex((s) => s.progress?.phase === 'audit'));
    expect(seen.filter((s) => s.progress !== null).every((s) => s.syncing)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ syncing: false, progress: null });
    expect(await replicaEvents(vault, dir)).toEqual(Array.from({ length: EVENTS }, (_, i) => EVENTS - i));
  });

  it('resumes an interrupted pull from its cursor, then holds every event once', async () => {
    const client = clientWith(operatorToken);
    const queries: Array<Record<string, unknown>> = [];
    let cut = true;
    const flaky: Pick<ServiceClient, 'call'> = {
      call: (async (name: string, input?: { query?: Record<string, unknown> }) => {
        if (name === 'auditPull') {
          queries.push(input?.query ?? {});
          if (cut && queries.length === 2) throw new CoreError('service_unreachable', 'The link dropped.');
        }
        return (client.call as (n: string, i?: unknown) => Promise<unknown>)(name, input);
      }) as ServiceClient['call'],
    };
    const { incidents, vault, dir } = consoleWith(flaky);
    expect(await incidents.sync()).toMatchObject({ problem: { code: 'service_unreachable' }, progress: null });
    cut = false;
    expect(await incidents.sync()).toMatchObject({ problem: null, progress: null });
    await incidents.close();

    expect(queries.map((q) => q.cursor ?? `from ${typeof q.from}`)).toEqual(['from string', '5000', '5000', '10000']);
    expect(await replicaEvents(vault, dir)).toEqual(Array.from({ length: EVENTS }, (_, i) => EVENTS - i));
  });

  it('asks for smaller pages when a page is larger than the client accepts, and still holds every event once', async () => {
    const client = clientWith(operatorToken, 600_000);
    const limits: unknown[] = [];
    const watched: Pick<ServiceClient, 'call'> = {
      call: (async (name: string, input?: { query?: Record<string, unknown> }) => {
        if (name === 'auditPull') limits.push(input?.query?.limit);
        return (client.call as (n: string, i?: unknown) => Promise<unknown>)(name, input);
      }) as ServiceClient['call'],
    };
    await expect(client.call('auditPull', { params: { tenantId: tenant }, query: { limit: 5000 } })).rejects.toMatchObject({ code: 'response_too_large' });
    const { incidents, vault, dir } = consoleWith(watched);
    expect(await incidents.resync()).toMatchObject({ problem: null, progress: null });
    await incidents.close();
    // 5,000 and 2,500 are refused; the rest of the pull keeps to the size that fit.
    expect(limits.slice(0, 3)).toEqual([5000, 2500, 1250]);
    expect(new Set(limits.slice(2))).toEqual(new Set([1250]));
    expect(await replicaEvents(vault, dir)).toEqual(Array.from({ length: EVENTS }, (_, i) => EVENTS - i));
  });

  it('keeps an incidents-only replica for a token that may read incidents but not the log (403 on the pull)', async () => {
    const owner = await createTestUser(t.db, ephemeralKeyRing(), plainCompareHasher(), { memberships: [{ tenantId: tenant, role: 'owner' }] });
    const now = new Date();
    const { secret } = await t.db.tenant(tenant, (tx) =>
      insertApiToken(tx, { userId: owner.userId, name: 'incidents only', scopes: ['incidents.read'], expiresAt: new Date(now.getTime() + 86_400_000), now }),
    );
    const client = clientWith(secret);
    await expect(client.call('auditPull', { params: { tenantId: tenant }, query: {} })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    const { incidents, vault, dir } = consoleWith(client);
    expect(await incidents.resync()).toMatchObject({ problem: null, progress: null });
    await incidents.close();
    expect(await replicaEvents(vault, dir)).toEqual([]);
  });
});
