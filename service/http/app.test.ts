import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Endpoint } from '../../shared/api/endpoints';
import { ApiErrorBodySchema } from '../../shared/errors/codes';
import type { Authenticator } from '../auth/principal';
import { buildHttpApp, BODY_LIMIT } from './app';
import type { HandlerTable } from './handler';
import { assertHandlersMatch, assertPermissionsDeclared } from './route-table';

// A table exercising what the real contract does not have yet (bodies, query strings).
const ep = <P extends z.ZodType = z.ZodNever, Q extends z.ZodType = z.ZodNever, B extends z.ZodType = z.ZodNever, R extends z.ZodType = z.ZodType>(
  e: Endpoint<P, Q, B, R, undefined, undefined>,
) => e;
const Thing = z.object({ name: z.string().min(1), count: z.number().int() }).strict();
const Ok = z.object({ ok: z.literal(true) }).strict();
const table = {
  open: ep({ method: 'GET', path: '/v1/open', summary: 'open', tag: 't', permission: 'public', status: 200, response: Ok }),
  create: ep({ method: 'POST', path: '/v1/things', summary: 'create', tag: 't', permission: 'authenticated', status: 201, body: Thing, response: Thing }),
  search: ep({
    method: 'GET',
    path: '/v1/search',
    summary: 'search',
    tag: 't',
    permission: 'public',
    status: 200,
    query: z.object({ q: z.string().min(1) }).strict(),
    response: z.object({ q: z.string() }).strict(),
  }),
  item: ep({
    method: 'GET',
    path: '/v1/items/:id',
    summary: 'item',
    tag: 't',
    permission: 'public',
    status: 200,
    params: z.object({ id: z.uuid() }).strict(),
    response: z.object({ id: z.string() }).strict(),
  }),
  boom: ep({ method: 'GET', path: '/v1/boom', summary: 'boom', tag: 't', permission: 'public', status: 200, response: Ok }),
  leak: ep({ method: 'GET', path: '/v1/leak', summary: 'leak', tag: 't', permission: 'public', status: 200, response: Ok }),
};

const GOOD = 'atst_op_good';
const handlers: HandlerTable<typeof table> = {
  open: async () => ({ ok: true }),
  create: async ({ body, principal }) => {
    expect(principal?.kind === 'operator' && principal.operator.operatorName).toBe('Tess');
    return body;
  },
  search: async ({ query }) => ({ q: query.q }),
  item: async ({ params }) => ({ id: params.id }),
  boom: async () => {
    throw new Error('connect ECONNREFUSED db.internal:5432 password=hunter2');
  },
  // Returns a field the response schema does not declare.
  leak: async () => ({ ok: true, secret: 'internal' }) as { ok: true },
};

const authenticate: Authenticator = async (header) => {
  if (!header) return { ok: false, reason: 'missing' };
  if (header === `Bearer ${GOOD}`) {
    return {
      ok: true,
      principal: { kind: 'operator', operator: { operatorId: 'o1', operatorName: 'Tess', tokenId: 't1' }, grants: { platformRoles: ['platform_admin'], memberships: [] } },
    };
  }
  return { ok: false, reason: 'invalid' };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the HTTP shell', () => {
  let app: FastifyInstance;
  let logs = '';

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => (logs += c.toString()));
    app = await buildHttpApp({ tls: null, logger: { level: 'info', stream }, endpoints: table, handlers, authenticate });
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/things',
      payload,
      headers: { authorization: `Bearer ${GOOD}`, 'content-type': 'application/json', ...headers },
    });

  /** Asserts the status, the error code and the error body shape; returns the body. */
  const expectError = (res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, code: string) => {
    expect({ status: res.statusCode, code: (JSON.parse(res.body) as { error: { code: string } }).error.code }).toEqual({ status, code });
    const body = ApiErrorBodySchema.parse(JSON.parse(res.body));
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).not.toMatch(/ at |\.ts:|node_modules|FST_/);
    return body;
  };

  it('accepts a valid body', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: 1 }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ name: 'a', count: 1 });
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    expectError(await post('{"name": "a",'), 400, 'invalid_json');
    expectError(await post(''), 400, 'invalid_json');
    expectError(await post('{"__proto__": {"admin": true}}'), 400, 'invalid_json');
  });

  it(`answers a body over ${BODY_LIMIT} bytes with 413 payload_too_large`, async () => {
    expectError(await post(JSON.stringify({ name: 'x'.repeat(BODY_LIMIT), count: 1 })), 413, 'payload_too_large');
  });

  it('answers unknown fields and wrong types with 400 validation_failed and issues', async () => {
    const unknown = expectError(await post(JSON.stringify({ name: 'a', count: 1, admin: true })), 400, 'validation_failed');
    expect(unknown.error.issues).toEqual([{ path: 'body', message: expect.stringContaining('admin') }]);
    const wrong = expectError(await post(JSON.stringify({ name: 'a', count: '1' })), 400, 'validation_failed');
    expect(wrong.error.issues?.map((i) => i.path)).toEqual(['body.count']);
    const notObject = expectError(await post('[1,2]'), 400, 'validation_failed');
    expect(notObject.error.issues?.length).toBeGreaterThan(0);
  });

  it('answers other content types with 415 unsupported_media_type', async () => {
    expectError(await post('name=a', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    expectError(await post('{"name":"a","count":1}', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
  });

  it('validates query strings and path parameters strictly', async () => {
    expect((await app.inject('/v1/search?q=x')).json()).toEqual({ q: 'x' });
    expect(expectError(await app.inject('/v1/search?q=x&debug=1'), 400, 'validation_failed').error.issues?.[0]?.path).toBe('query');
    expectError(await app.inject('/v1/search'), 400, 'validation_failed');
    expectError(await app.inject('/v1/open?x=1'), 400, 'validation_failed');
    const badId = expectError(await app.inject('/v1/items/not-a-uuid'), 400, 'validation_failed');
    expect(badId.error.issues?.map((i) => i.path)).toEqual(['params.id']);
  });

  it('answers unknown routes with 404 route_not_found and wrong methods with 405', async () => {
    expectError(await app.inject('/v1/nope'), 404, 'route_not_found');
    expectError(await app.inject('/'), 404, 'route_not_found');
    expectError(await app.inject('/v1/open/'), 404, 'route_not_found');
    const res = await app.inject({ method: 'DELETE', url: '/v1/things' });
    expectError(res, 405, 'method_not_allowed');
    expect(res.headers.allow).toBe('POST');
  });

  it('answers a missing token with 401 auth_required and a wrong one with 401 invalid_token', async () => {
    const missing = await app.inject({ method: 'POST', url: '/v1/things', payload: '{}', headers: { 'content-type': 'application/json' } });
    expectError(missing, 401, 'auth_required');
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="attest"');
    const wrong = await post('{}', { authorization: 'Bearer atst_op_wrong' });
    expectError(wrong, 401, 'invalid_token');
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('authenticates before reading the body', async () => {
    expectError(await post('{not json', { authorization: 'Bearer nope' }), 401, 'invalid_token');
    expectError(await post('x'.repeat(BODY_LIMIT + 1), { authorization: 'Bearer nope' }), 401, 'invalid_token');
  });

  it('answers anything unexpected with a bare 500 internal_error and logs the detail', async () => {
    const body = expectError(await app.inject('/v1/boom'), 500, 'internal_error');
    expect(JSON.stringify(body)).not.toMatch(/hunter2|ECONNREFUSED|db\.internal/);
    expect(logs).toContain('ECONNREFUSED');
    expectError(await app.inject('/v1/leak'), 500, 'internal_error');
  });

  it('answers an undecodable URL with 400 bad_request', async () => {
    expectError(await app.inject('/v1/items/%E0%A4%A'), 400, 'bad_request');
  });

  it('puts security headers and a server-generated request id on every response', async () => {
    const responses = [
      await app.inject('/v1/items/%E0%A4%A'),
      await app.inject('/v1/open'),
      await app.inject('/v1/nope'),
      await post('{'),
      await app.inject({ url: '/v1/open', headers: { 'x-request-id': 'forged\nline' } }),
    ];
    const ids = new Set<string>();
    for (const res of responses) {
      const h = res.headers;
      expect(h['x-request-id']).toMatch(UUID);
      ids.add(String(h['x-request-id']));
      expect(h['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['x-frame-options']).toBe('DENY');
      expect(h['referrer-policy']).toBe('no-referrer');
      expect(h['cache-control']).toBe('no-store');
      expect(h['content-security-policy']).toContain("default-src 'none'");
      expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    expect(ids.size).toBe(responses.length);
  });

  it('never logs the Authorization header or a token', async () => {
    await post(JSON.stringify({ name: 'a', count: 1 }));
    await post('{}', { authorization: 'Bearer atst_op_leaky' });
    expect(logs).toContain('request completed');
    expect(logs).not.toContain(GOOD);
    expect(logs).not.toContain('atst_op_leaky');
    expect(logs.toLowerCase()).not.toContain('bearer');
  });
});

describe('the route table', () => {
  it('refuses an endpoint without a handler and a handler without an endpoint', () => {
    const { leak: _leak, ...missing } = handlers;
    expect(() => assertHandlersMatch(table, missing)).toThrow(/endpoints without a handler \[leak\]/);
    expect(() => assertHandlersMatch(table, { ...handlers, extra: async () => ({}) })).toThrow(/handlers without an endpoint \[extra\]/);
    expect(() => assertHandlersMatch(table, handlers)).not.toThrow();
  });

  it('fails to build an app whose handlers do not match', async () => {
    const { boom: _boom, ...incomplete } = handlers;
    await expect(
      buildHttpApp({ tls: null, logger: false, endpoints: table, handlers: incomplete as HandlerTable<typeof table>, authenticate }),
    ).rejects.toThrow(/route table mismatch/);
  });

  it('refuses an endpoint whose permission is missing or not in the matrix', () => {
    const { permission: _p, ...undeclared } = table.open;
    expect(() => assertPermissionsDeclared({ ...table, open: undeclared as typeof table.open })).toThrow(/open declares no valid permission/);
    expect(() => assertPermissionsDeclared({ ...table, open: { ...table.open, permission: 'tenants.delete' as 'public' } })).toThrow(/no valid permission/);
    // "Own session or the action" must name an action of the matrix and a parameter of the path.
    expect(() => assertPermissionsDeclared({ ...table, open: { ...table.open, permission: { action: 'tenants.delete' as 'sessions.revoke', ownSession: 'id' } } })).toThrow(
      /no valid permission/,
    );
    expect(() => assertPermissionsDeclared({ ...table, open: { ...table.open, permission: { action: 'sessions.revoke', ownSession: 'sessionId' } } })).toThrow(
      /no valid permission/,
    );
    expect(() =>
      assertPermissionsDeclared({ ...table, open: { ...table.open, path: '/v1/open/:sessionId', permission: { action: 'sessions.revoke', ownSession: 'sessionId' } } }),
    ).not.toThrow();
    expect(() => assertPermissionsDeclared(table)).not.toThrow();
  });
});
