/**
 * Threat: hostile characters in free text (finding 7). A NUL made PostgreSQL fail
 * the statement (500 on seven endpoints) and the error log then held the
 * statement's values; other control characters, separators and direction
 * overrides were stored as typed. Every string field of every request body and
 * query, generated from the endpoint table, gets them and must answer 400
 * validation_failed naming that field; the log never holds a statement's values.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { endpoints, type Endpoint } from '../../shared/api/endpoints';
import { PLATFORM_ROLES } from '../../shared/identity/roles';
import { IncidentDetailSchema } from '../../shared/incidents/api';
import { LoginResponseSchema } from '../../shared/identity/schemas';
import { SessionListSchema } from '../../shared/sessions/schemas';
import { BODY_LIMIT } from '../http/app';
import { toApiError } from '../http/error-reply';
import { currentCode } from '../identity/totp';
import { bodySamples, withLeaf, type StringLeaf } from '../testing/body-samples';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { errorOf, inProcessService } from '../testing/in-process-service';

/** Refused in every kind of text. */
const NEVER_TEXT = ['\u0000', '\u001b', '\u007f', '\u0085', '\r', '\u2028', '\u202e', '\u2066', '\ud800'];
/** The seven fields the review found answering 500 to a NUL. */
const FOUND_500 = [
  'createApiToken body.name',
  'startAccessReview body.title',
  'revokeTenantSessions body.reason',
  'requestMemberRemoval body.reason',
  'acceptInvite body.displayName',
  'applyIncidentEdit body.edit.text',
  'createIncident body.title',
];

const hostileFor = (leaf: StringLeaf, i: number): string[] => [
  '\u0000',
  NEVER_TEXT[1 + (i % (NEVER_TEXT.length - 1))]!,
  // Line breaks are text only where the field is multi-line.
  ...(leaf.kind === 'single-line' || leaf.kind === 'secret' ? ['\n'] : []),
];

/** `before` + c + `after` for text (so length limits still hold), the value + c for formatted strings. */
const inject = (value: unknown, c: string): string => {
  const text = String(value);
  return text.length > 1 ? `${text.slice(0, 1)}${c}${text.slice(1)}` : `${text}${c}`;
};

describe.each(TEST_ENGINES)('hostile characters in free text on %s', (kind) => {
  const clock = new Date('2026-06-01T10:00:00Z');
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const svc = inProcessService(kind, { now: () => clock, logger: { level: 'info', stream } });
  let ip = 0;
  const nextIp = () => `10.77.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

  /** An owner of a tenant holding every platform role, with a fresh step-up: every endpoint lets them through to validation. */
  const everyone = async () => {
    const tenant = await createTestTenant(svc.t.db);
    const user = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }], platformRoles: [...PLATFORM_ROLES] });
    return { tenant, user, token: (await svc.steppedUp(user, 3_600_000)).accessToken };
  };

  const urlOf = (e: Endpoint, tenant: string): string => {
    const params = e.params ? (bodySamples(e.params)[0]?.value as Record<string, unknown>) : {};
    return e.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(name === 'tenantId' ? tenant : String(params[name])));
  };

  it('refuses NUL, control characters, separators and direction overrides in every string of every request body (400 validation_failed, never 5xx)', async () => {
    const { tenant, token } = await everyone();
    const tried = new Set<string>();
    let requests = 0;
    for (const [name, e] of Object.entries(endpoints) as [string, Endpoint][]) {
      if (!e.body) continue;
      const url = urlOf(e, tenant);
      for (const sample of bodySamples(e.body)) {
        for (const [i, leaf] of sample.leaves.entries()) {
          const field = ['body', ...leaf.path].join('.');
          tried.add(`${name} ${field}`);
          for (const c of hostileFor(leaf, i)) {
            const original = leaf.path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], sample.value);
            const body = withLeaf(sample.value, leaf.path, inject(original, c)) as object;
            const res = await svc.call(e.method, url, { body, ip: nextIp(), ...(e.permission === 'public' ? {} : { token }) });
            requests++;
            const what = `${name} ${field} with U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
            expect(errorOf(res), what).toEqual({ status: 400, code: 'validation_failed' });
            const issues = (res.json() as { error: { issues?: { path: string }[] } }).error.issues ?? [];
            expect(issues.map((x) => x.path), what).toContain(field);
          }
        }
      }
    }
    expect([...tried]).toEqual(expect.arrayContaining(FOUND_500));
    expect(requests).toBeGreaterThan(60);
    // Nothing of what was sent reached the log.
    expect(lines.join('')).not.toContain('lain text');
  });

  it('refuses them in every free string of a query (the audit search by actor and target)', async () => {
    const { tenant, token } = await everyone();
    let queried = 0;
    for (const [name, e] of Object.entries(endpoints) as [string, Endpoint][]) {
      if (!e.query) continue;
      for (const sample of bodySamples(e.query)) {
        for (const leaf of sample.leaves.filter((l) => l.kind === 'single-line' || l.kind === 'multi-line')) {
          const value = withLeaf(sample.value, leaf.path, 'a\u0000b') as Record<string, unknown>;
          const qs = new URLSearchParams(Object.entries(value).map(([k, v]): [string, string] => [k, String(v)])).toString();
          const res = await svc.call(e.method, `${urlOf(e, tenant)}?${qs}`, { token, ip: nextIp() });
          expect(errorOf(res), `${name} query.${leaf.path.join('.')}`).toEqual({ status: 400, code: 'validation_failed' });
          queried++;
        }
      }
    }
    expect(queried).toBeGreaterThanOrEqual(2);
  });

  it('accepts a multi-line note with tabs and newlines, and any script, and stores them unchanged', async () => {
    const { token } = await everyone();
    const title = 'Zoë’s “DB” outage — 東京 🚨 <b>&amp;</b>';
    const description = 'First line\n\tindented with a tab\n\n  two spaces, مرحبا \u200f, 😀';
    const created = await svc.call('POST', '/v1/incidents', {
      token,
      ip: nextIp(),
      body: { title, description, severity: 'P2', personalData: false, affectedTenantIds: [], detectedAt: clock.toISOString() },
    });
    expect(created.statusCode).toBe(201);
    const incidentId = IncidentDetailSchema.parse(created.json()).incident.id;
    const note = 'Checked:\n\t- replica lag\n\t- failover\n\nDone.';
    const edit = await svc.call('POST', `/v1/incidents/${incidentId}/edits`, {
      token,
      ip: nextIp(),
      body: { idempotencyKey: randomUUID(), edit: { incidentId, at: clock.toISOString(), kind: 'note', text: note } },
    });
    expect(edit.statusCode).toBe(200);
    const detail = IncidentDetailSchema.parse(
      (await svc.call('GET', `/v1/tenants/00000000-0000-0000-0000-000000000000/incidents/${incidentId}`, { token, ip: nextIp() })).json(),
    );
    expect([detail.incident.title, detail.incident.description]).toEqual([title, description]);
    expect(detail.timeline.find((t) => t.kind === 'note')).toMatchObject({ text: note });
    const [row] = await svc.t.db.platform((tx) =>
      tx.query<{ title: string; description: string; text: string }>(
        `SELECT i.title, i.description, t.body->>'text' AS text FROM incidents i JOIN incident_timeline t ON t.incident_id = i.id AND t.kind = 'note' WHERE i.id = $1`,
        [incidentId],
      ),
    );
    expect(row).toEqual({ title, description, text: note });
  });

  it('stores a user agent with control characters as printable text', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const user = await createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships: [{ tenantId: tenant, role: 'owner' }] });
    const userAgent = 'Evil/1.0\u0000 \u001b[31m\u202eexe.txt';
    const from = nextIp();
    const login = await svc.call('POST', '/v1/auth/login', { ip: from, userAgent, body: { email: user.email, password: user.password } });
    expect(login.statusCode).toBe(200);
    const next = LoginResponseSchema.parse(login.json());
    if (next.next !== 'mfa') throw new Error(`sign-in asked for ${next.next}`);
    const code = await currentCode(user.secret!, clock);
    const mfa = await svc.call('POST', '/v1/auth/mfa', { ip: from, userAgent, body: { challengeId: next.challengeId, code } });
    expect(mfa.statusCode).toBe(200);
    const owner = await svc.steppedUp(user);
    const listed = SessionListSchema.parse((await svc.call('GET', `/v1/tenants/${tenant}/sessions`, { token: owner.accessToken, ip: nextIp() })).json());
    expect(listed.items.map((s) => s.userAgent)).toContain('Evil/1.0\ufffd \ufffd[31m\ufffdexe.txt');
  });

  it('logs a database error by its code, message and constraint, never by the statement or its values', async () => {
    const secret = `secret-${randomUUID()}`;
    // As the owner role: PostgreSQL shows the failing row only to a role that may read all of it.
    const err = await svc.t.engine
      .query('INSERT INTO tenants (id, name, slug, region, plan) VALUES ($1, $2, $3, $4, $5)', ['00000000-0000-0000-0000-000000000000', secret, 'nil-tenant', 'eu', 'team'])
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(Error);
    // The driver's error does carry the values (PGlite: params; PostgreSQL: the failing row in detail).
    expect(JSON.stringify(err)).toContain(secret);
    lines.length = 0;
    // The service's path for an unexpected error, through its own logger.
    const mapped = toApiError(err, { log: svc.app.log } as unknown as FastifyRequest, BODY_LIMIT);
    expect([mapped.status, mapped.code]).toEqual([500, 'internal_error']);
    const logged = lines.join('');
    expect(logged).toContain('"code":"23514"');
    expect(logged).toContain('violates check constraint');
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain('INSERT INTO');
  });
});
