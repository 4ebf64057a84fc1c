import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints, HealthSchema, TenantListSchema } from '../../shared/api/endpoints';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import { MfaPolicyStateSchema } from '../../shared/identity/members';
import { PostureSchema } from '../../shared/posture/api';
import { IncidentListSchema } from '../../shared/incidents/api';
import { TenantSchema, type Tenant } from '../../shared/tenants/tenant';
import { listAuditEvents } from '../audit/audit-log';
import { DEMO_MFA_EXCEPTION, DEMO_TENANTS, DEMO_USERS, seedDemo } from '../demo/demo-seed';
import { openTestDatabase, TEST_ENGINES, type TestDatabase } from '../testing/databases';
import { SERVICE_VERSION } from '../version';
import { buildOpenApiDocument, openApiPath } from './openapi';
import { buildServer, createHandlers } from './server';
import { ephemeralKeyRing } from '../crypto/key-ring';
import { plainCompareHasher } from '../identity/passwords';

const keys = ephemeralKeyRing();
const hasher = plainCompareHasher();

/** Every route in Fastify's printed tree as "METHOD /path" (HEAD is Fastify's own, for every GET). */
const registeredRoutes = (app: FastifyInstance): string[] => {
  const prefixes: string[] = [];
  return app
    .printRoutes({ commonPrefix: false })
    .split('\n')
    .flatMap((line) => {
      const m = /^(.*?)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
      if (!m?.[2]) return [];
      const depth = (m[1] ?? '').length / 4;
      const path = (prefixes[depth - 1] ?? '') + m[2];
      prefixes[depth] = path;
      return (m[3] ?? '')
        .split(', ')
        .filter((method) => method !== '' && method !== 'HEAD')
        .map((method) => `${method} ${path}`);
    })
    .sort();
};

describe('the route table of the service', () => {
  it('has a handler for every declared endpoint and nothing else', () => {
    const deps = { db: {} as never, now: () => new Date(), version: 'x', openapi: {}, keys: ephemeralKeyRing(), hasher: plainCompareHasher(), audit: {} as never, transport: { tls: null, hstsMaxAgeSeconds: null } };
    expect(Object.keys(createHandlers(deps)).sort()).toEqual(Object.keys(endpoints).sort());
  });

  it('serves exactly the declared endpoints', async () => {
    const app = await buildServer({ db: { engine: 'pglite', watchAuthChanges: async () => null } as never, tls: null, logger: false, keys: ephemeralKeyRing(), hasher: plainCompareHasher() });
    await app.ready();
    expect(registeredRoutes(app)).toEqual(Object.values(endpoints).map((e) => `${e.method} ${e.path}`).sort());
    await app.close();
  });
});

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument(endpoints, { version: SERVICE_VERSION }) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; security: unknown[]; parameters: { name: string; in: string }[] }>>;
    components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  };

  it('lists every endpoint with its security', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [name, e] of Object.entries(endpoints)) {
      const op = doc.paths[openApiPath(e.path)]?.[e.method.toLowerCase()];
      expect(op?.operationId).toBe(name);
      const security = e.permission === 'public' ? [] : e.permission === 'optional' ? [{}, { sessionToken: [] }] : [{ sessionToken: [] }, { operatorToken: [] }];
      expect(op?.security).toEqual(security);
    }
    expect(doc.paths['/v1/tenants/{tenantId}']?.get?.parameters).toEqual([expect.objectContaining({ name: 'tenantId', in: 'path', required: true })]);
    expect(doc.components.securitySchemes.operatorToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Error', 'Health', 'Tenant', 'TenantList', 'SessionTokens', 'Me', 'MemberList']));
  });

  it('describes streamed exports by their content types: NDJSON records of the event schema, CSV text', () => {
    const ok = (doc.paths['/v1/tenants/{tenantId}/audit/export']?.get as unknown as { responses: Record<string, { content: unknown }> }).responses['200'];
    expect(ok?.content).toEqual({
      'application/x-ndjson': { schema: { $ref: '#/components/schemas/AuditEvent' }, 'x-json-lines': true },
      'text/csv': { schema: { type: 'string' } },
    });
  });

  it('has no dangling references', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      expect([ref, target in doc.components.schemas]).toEqual([ref, true]);
    }
  });
});

describe.each(TEST_ENGINES)('the service API on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let token: string;
  let tenants: Tenant[];

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    const seeded = await seedDemo(t.db, { keys, hasher });
    if (!seeded) throw new Error('expected a demo seed');
    token = seeded.token;
    app = await buildServer({ db: t.db, tls: null, logger: false, keys, hasher });
    await app.ready();
    tenants = TenantListSchema.parse((await app.inject({ url: '/v1/tenants', headers: { authorization: `Bearer ${token}` } })).json()).items;
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  const get = (url: string, auth: string | null = `Bearer ${token}`) =>
    app.inject({ url, headers: auth === null ? {} : { authorization: auth } });
  const errorCode = (body: string) => ApiErrorBodySchema.parse(JSON.parse(body)).error.code;

  it('GET /v1/health needs no token', async () => {
    const res = await get('/v1/health', null);
    expect(res.statusCode).toBe(200);
    expect(HealthSchema.parse(res.json())).toMatchObject({ status: 'ok', version: SERVICE_VERSION, storage: kind });
  });

  it('GET /v1/openapi.json needs no token and describes the API', async () => {
    const res = await get('/v1/openapi.json', null);
    expect(res.statusCode).toBe(200);
    expect(Object.keys((res.json() as { paths: object }).paths).sort()).toEqual(
      [...new Set(Object.values(endpoints).map((e) => openApiPath(e.path)))].sort(),
    );
  });

  it('GET /v1/tenants lists every seeded tenant for an operator', () => {
    expect(tenants.map((x) => x.name).sort()).toEqual(DEMO_TENANTS.map((x) => x.name).sort());
    expect(new Set(tenants.map((x) => x.region))).toEqual(new Set(['eu', 'us']));
    expect(new Set(tenants.map((x) => x.createdAt)).size).toBe(tenants.length);
  });

  it('GET /v1/tenants/:id reads one tenant', async () => {
    const target = tenants[0];
    const res = await get(`/v1/tenants/${target?.id}`);
    expect(res.statusCode).toBe(200);
    expect(TenantSchema.parse(res.json())).toEqual(target);
  });

  it('answers an unknown tenant with 404 not_found and a malformed id with 400 validation_failed', async () => {
    const unknown = await get('/v1/tenants/6f1c1a2e-3b4d-4c5e-8f90-123456789abc');
    expect([unknown.statusCode, errorCode(unknown.body)]).toEqual([404, 'not_found']);
    const bad = await get('/v1/tenants/123');
    expect([bad.statusCode, errorCode(bad.body)]).toEqual([400, 'validation_failed']);
    const nil = await get('/v1/tenants/00000000-0000-0000-0000-000000000000');
    expect([nil.statusCode, errorCode(nil.body)]).toEqual([404, 'not_found']);
  });

  it('requires a valid operator token on tenant routes', async () => {
    for (const url of ['/v1/tenants', `/v1/tenants/${tenants[0]?.id}`]) {
      const missing = await get(url, null);
      expect([url, missing.statusCode, errorCode(missing.body)]).toEqual([url, 401, 'auth_required']);
      const wrong = await get(url, `Bearer ${token.slice(0, -2)}xx`);
      expect([url, wrong.statusCode, errorCode(wrong.body)]).toEqual([url, 401, 'invalid_token']);
    }
  });

  it('seeds one tenant that does not enforce MFA, with its plan; its posture says so instead of hiding it', async () => {
    const globex = tenants.find((x) => x.name === DEMO_MFA_EXCEPTION.tenant);
    const policy = MfaPolicyStateSchema.parse((await get(`/v1/tenants/${globex?.id}/mfa-policy`)).json());
    expect(policy).toMatchObject({ mfaRequired: false, remediationPlan: { compensatingControls: DEMO_MFA_EXCEPTION.compensatingControls } });
    const posture = PostureSchema.parse((await get(`/v1/tenants/${globex?.id}/posture`)).json());
    const mfa = posture.controls.find((c) => c.id === 'auth.mfa');
    expect(mfa?.status).toBe('fail');
    expect(mfa?.remediation).toBeDefined();
    for (const other of tenants.filter((x) => x.name !== DEMO_MFA_EXCEPTION.tenant)) {
      expect(MfaPolicyStateSchema.parse((await get(`/v1/tenants/${other.id}/mfa-policy`)).json()).mfaRequired).toBe(true);
    }
  });

  it('seeded the demo once, with an audit event per write', async () => {
    expect(await seedDemo(t.db, { keys, hasher })).toBeNull();
    const events = await t.db.platform(listAuditEvents);
    expect(events.filter((e) => e.action === 'tenant.created')).toHaveLength(DEMO_TENANTS.length);
    expect(events.filter((e) => e.action === 'operator.created')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'operator_token.issued')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'user.created')).toHaveLength(DEMO_USERS.length);
    expect(events.filter((e) => e.action === 'mfa.enrolled')).toHaveLength(DEMO_USERS.filter((u) => !u.pendingMfa).length);
    expect(events.filter((e) => e.action === 'incident.opened')).toHaveLength(3);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('seeded incidents for the console: a P0 breach with notice clocks running, a P2, and a P1 with an overdue review', async () => {
    const res = await get('/v1/tenants/00000000-0000-0000-0000-000000000000/incidents');
    expect(res.statusCode).toBe(200);
    const { items } = IncidentListSchema.parse(res.json());
    const bySeverity = Object.fromEntries(items.map((i) => [i.incident.severity, i]));
    expect(items.map((i) => i.incident.severity).sort()).toEqual(['P0', 'P1', 'P2']);
    expect(bySeverity.P0?.incident).toMatchObject({ personalData: true, status: 'contained' });
    expect(bySeverity.P0?.deadlines.map((d) => [d.id, d.state])).toEqual([
      ['classification', 'met'],
      ['customer_notice', 'pending'],
      ['regulator_notice', 'pending'],
      ['breach_notice', 'pending'],
      ['post_incident_review', 'not_started'],
    ]);
    expect(bySeverity.P2?.overdue).toBe(false);
    expect(bySeverity.P1).toMatchObject({ overdue: true, incident: { status: 'resolved' } });
  });
});
