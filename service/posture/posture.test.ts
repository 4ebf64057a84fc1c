import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../shared/identity/permissions';
import { PostureSchema, type Posture } from '../../shared/posture/api';
import { CONTROLS } from '../../shared/posture/catalogue';
import { placeholdersOf, renderSentence } from '../../shared/posture/control';
import type { TenantId } from '../../shared/tenants/tenant';
import { recordVerifications, verifyAuditLogs } from '../audit/verify-log';
import { PLATFORM_TENANT_ID } from '../db/db';
import { HSTS_MAX_AGE_SECONDS } from '../http/security-headers';
import { argon2Hasher, ARGON2_PARAMS } from '../identity/passwords';
import { membersKit } from '../security/members-kit';
import { TEST_ENGINES } from '../testing/databases';
import { createTestTenant, createTestUser } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { TLS_PROFILE } from '../tls/tls-profile';
import { evaluatePosture } from './evaluate';
import type { PostureRuntime } from './evaluator';

const DAY = 24 * 60 * 60 * 1000;

describe.each(TEST_ENGINES)('posture evaluated from live evidence, on %s', (kind) => {
  let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService(kind, { now: () => clock });
  const { call, person, signIn } = membersKit(svc, () => clock);
  const runtime = (over: Partial<PostureRuntime> = {}): PostureRuntime => ({
    passwordHashSample: svc.hasher.dummyHash,
    permissions: PERMISSIONS,
    tls: { minVersion: TLS_PROFILE.minVersion },
    hstsMaxAgeSeconds: HSTS_MAX_AGE_SECONDS,
    ...over,
  });
  const evaluate = async (tenantId: string, over: Partial<PostureRuntime> = {}) => evaluatePosture(svc.t.db, tenantId, runtime(over), clock);
  const control = (p: Posture, id: string) => p.controls.find((c) => c.id === id)!;
  const statusOf = async (tenantId: string, id: string, over: Partial<PostureRuntime> = {}) => control(await evaluate(tenantId, over), id).status;
  const setPolicy = (tenant: TenantId, mfa: boolean, idle: number, absolute: number) =>
    svc.t.engine.query(
      `INSERT INTO tenant_security_policies (tenant_id, mfa_required, idle_timeout_seconds, absolute_timeout_seconds) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET mfa_required = $2, idle_timeout_seconds = $3, absolute_timeout_seconds = $4`,
      [tenant, mfa, idle, absolute],
    );

  it('serves every control of the catalogue with its mappings, and each passing sentence renders from its evidence', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    await person([{ tenantId: tenant, role: 'viewer' }]);
    const res = await call('GET', `/v1/tenants/${tenant}/posture`, { token: (await svc.session(owner)).accessToken });
    expect(res.statusCode, res.body).toBe(200);
    const posture = PostureSchema.parse(res.json());
    expect(posture.evaluatedAt).toBe(clock.toISOString());
    expect(posture.controls.map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));
    expect(control(posture, 'auth.mfa')).toMatchObject({ status: 'pass', mappings: { soc2: ['CC6.1', 'CC6.2'], iso27001: ['A.5.17', 'A.8.5'], gdpr: ['32'] } });
    for (const c of CONTROLS) {
      const result = control(posture, c.id);
      if (result.status === 'pass') expect(renderSentence(c.sentence, result.evidence), c.id).not.toBeNull();
      if (result.status !== 'not_applicable') for (const p of placeholdersOf(c.sentence)) expect(result.evidence, `${c.id} {${p}}`).toHaveProperty(p);
    }
    // The test service listens without TLS and hashes with cheap parameters: its posture says so.
    expect(control(posture, 'transport.tls')).toMatchObject({ status: 'not_applicable' });
    const platform = PostureSchema.parse((await call('GET', `/v1/tenants/${PLATFORM_TENANT_ID}/posture`, { token: (await svc.session(await person([], ['auditor']))).accessToken })).json());
    expect(control(platform, 'transport.tls')).toMatchObject({ status: 'fail', evidence: { minVersion: 'none (plain HTTP)' } });
    expect(control(platform, 'auth.password_hashing')).toMatchObject({ status: 'fail', evidence: { memoryKiB: 1024, timeCost: 1 } });
    expect(control(platform, 'auth.mfa').status).toBe('not_applicable');
  });

  it('MFA: pass when enforced and everyone enrolled, warn when someone is not, fail when not enforced', async () => {
    const tenant = await createTestTenant(svc.t.db);
    await person([{ tenantId: tenant, role: 'owner' }]);
    expect(await statusOf(tenant, 'auth.mfa')).toBe('pass');
    await createTestUser(svc.t.db, svc.keys, svc.hasher, { mfa: false, memberships: [{ tenantId: tenant, role: 'viewer' }] });
    const warn = control(await evaluate(tenant), 'auth.mfa');
    expect(warn).toMatchObject({ status: 'warn', evidence: { enforced: true, activeMembers: 2, enrolled: 1, enrolledPercent: 50 } });
    await setPolicy(tenant, false, 3600, 7200);
    expect(control(await evaluate(tenant), 'auth.mfa')).not.toHaveProperty('remediation');
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    await svc.t.engine.query(
      `INSERT INTO posture_remediations (tenant_id, control_id, owner_user_id, target_date, compensating_controls, created_at, updated_at) VALUES ($1, 'auth.mfa', $2, $3, $4, $5, $5)`,
      [tenant, owner.userId, new Date(clock.getTime() + 30 * DAY).toISOString().slice(0, 10), 'SSO with hardware keys for admins', clock],
    );
    const failed = control(await evaluate(tenant), 'auth.mfa');
    expect(failed).toMatchObject({ status: 'fail', remediation: { compensatingControls: 'SSO with hardware keys for admins', overdue: false } });
    expect(JSON.stringify(failed)).not.toContain(owner.userId);
    const overdue = (await evaluatePosture(svc.t.db, tenant, runtime(), new Date(clock.getTime() + 31 * DAY))).controls.find((c) => c.id === 'auth.mfa');
    expect(overdue).toMatchObject({ status: 'fail', remediation: { overdue: true } });
  });

  it("session limits: the tenant's own limits pass within policy and fail when loosened beyond it", async () => {
    const tenant = await createTestTenant(svc.t.db);
    await setPolicy(tenant, true, 2 * 3600, 12 * 3600);
    expect(control(await evaluate(tenant), 'sessions.limits')).toMatchObject({ status: 'pass', evidence: { idleHours: 2, absoluteHours: 12 } });
    await setPolicy(tenant, true, 30 * 86_400, 90 * 86_400);
    expect(await statusOf(tenant, 'sessions.limits')).toBe('fail');
  });

  it('refresh rotation and step-up: read from the running permission matrix', async () => {
    expect(await statusOf(PLATFORM_TENANT_ID, 'sessions.refresh_rotation')).toBe('pass');
    const loosened = { ...PERMISSIONS, 'members.deactivate': { ...PERMISSIONS['members.deactivate'], stepUp: false } };
    const failed = control(await evaluate(PLATFORM_TENANT_ID, { permissions: loosened }), 'sessions.refresh_rotation');
    expect(failed).toMatchObject({ status: 'fail', evidence: { destructiveWithoutStepUp: 1 } });
  });

  it('password hashing: the live parameters against the OWASP argon2id minimum', async () => {
    expect(await statusOf(PLATFORM_TENANT_ID, 'auth.password_hashing')).toBe('fail');
    const owasp = await argon2Hasher(ARGON2_PARAMS);
    const passed = control(await evaluate(PLATFORM_TENANT_ID, { passwordHashSample: owasp.dummyHash }), 'auth.password_hashing');
    expect(passed).toMatchObject({ status: 'pass', evidence: { algorithm: 'argon2id', memoryKiB: 19_456, timeCost: 2, parallelism: 1 } });
  });

  it('transport: TLS 1.2 minimum and HSTS as configured', async () => {
    expect(await statusOf(PLATFORM_TENANT_ID, 'transport.tls')).toBe('pass');
    expect(await statusOf(PLATFORM_TENANT_ID, 'transport.tls', { tls: { minVersion: 'TLSv1.1' } })).toBe('fail');
    expect(await statusOf(PLATFORM_TENANT_ID, 'transport.tls', { hstsMaxAgeSeconds: null })).toBe('fail');
  });

  it('least privilege: warn when most members are privileged, fail with a dormant admin', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    await person([{ tenantId: tenant, role: 'admin' }]);
    expect(control(await evaluate(tenant), 'access.least_privilege')).toMatchObject({ status: 'warn', evidence: { privilegedPercent: 100 } });
    await person([{ tenantId: tenant, role: 'viewer' }]);
    await person([{ tenantId: tenant, role: 'editor' }]);
    expect(await statusOf(tenant, 'access.least_privilege')).toBe('pass');
    await svc.t.engine.query('UPDATE memberships SET last_sign_in_at = $3 WHERE tenant_id = $1 AND user_id = $2', [tenant, owner.userId, new Date(clock.getTime() - 91 * DAY)]);
    expect(control(await evaluate(tenant), 'access.least_privilege')).toMatchObject({ status: 'fail', evidence: { dormantPrivileged: 1 } });
  });

  it('access reviews: fail with none completed, pass after one within the period, fail when one is overdue', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    expect(await statusOf(tenant, 'access.reviews')).toBe('fail');
    const campaign = (startedDaysAgo: number, dueDaysAgo: number, closed: boolean) =>
      svc.t.engine.query(
        `INSERT INTO access_reviews (tenant_id, id, title, started_by, started_by_email, started_at, due_at, closed_by, closed_by_email, closed_at)
         VALUES ($1, $2, 'Quarterly', $3, 'x@example.com', $4, $5, $6, $7, $8)`,
        [tenant, randomUUID(), owner.userId, new Date(clock.getTime() - startedDaysAgo * DAY), new Date(clock.getTime() - dueDaysAgo * DAY), closed ? owner.userId : null, closed ? 'x@example.com' : null, closed ? new Date(clock.getTime() - 10 * DAY) : null],
      );
    await campaign(20, 5, true);
    expect(control(await evaluate(tenant), 'access.reviews')).toMatchObject({ status: 'pass', evidence: { daysSinceLastReview: 10, overdueCampaigns: 0 } });
    await campaign(9, 1, false);
    expect(control(await evaluate(tenant), 'access.reviews')).toMatchObject({ status: 'fail', evidence: { overdueCampaigns: 1 } });
  });

  it('no break-glass: a standing platform role fails, and so does a guarded action run without an approval, until it ages out', async () => {
    await person([], ['platform_admin']);
    const failed = control(await evaluate(PLATFORM_TENANT_ID), 'access.no_break_glass');
    expect(failed.status).toBe('fail');
    expect(failed.evidence.standingGrants).toBeGreaterThan(0);
    // Provisioning granted the role without an approval: time-bounding it now does not undo that.
    await svc.t.engine.query('UPDATE platform_role_grants SET expires_at = $1 WHERE expires_at IS NULL', [new Date(clock.getTime() + 800 * DAY)]);
    expect(control(await evaluate(PLATFORM_TENANT_ID), 'access.no_break_glass')).toMatchObject({ status: 'fail', evidence: { standingGrants: 0 } });
    expect(control(await evaluate(PLATFORM_TENANT_ID), 'access.no_break_glass').evidence.guardedWithoutApproval90).toBeGreaterThan(0);
    const later = new Date(clock.getTime() + 100 * DAY);
    expect((await evaluatePosture(svc.t.db, PLATFORM_TENANT_ID, runtime(), later)).controls.find((c) => c.id === 'access.no_break_glass')?.status).toBe('warn');
    const muchLater = new Date(clock.getTime() + 366 * DAY);
    expect((await evaluatePosture(svc.t.db, PLATFORM_TENANT_ID, runtime(), muchLater)).controls.find((c) => c.id === 'access.no_break_glass')?.status).toBe('pass');
    // Tenants see standing grants too: platform staff reach every tenant.
    const tenant = await createTestTenant(svc.t.db);
    expect((await evaluatePosture(svc.t.db, tenant, runtime(), muchLater)).controls.find((c) => c.id === 'access.no_break_glass')?.status).toBe('pass');
    await person([], ['security_officer']);
    expect(await statusOf(tenant, 'access.no_break_glass')).toBe('fail');
  });

  it('API tokens: pass when every live token is young, fail with one older than 90 days', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const token = (createdDaysAgo: number) =>
      svc.t.engine.query(
        `INSERT INTO api_tokens (tenant_id, id, user_id, name, scopes, token_sha256, created_at, expires_at) VALUES ($1, $2, $3, 'ci', ARRAY['audit.read'], $4, $5, $6)`,
        [tenant, randomUUID(), owner.userId, randomUUID().replaceAll('-', '').repeat(2), new Date(clock.getTime() - createdDaysAgo * DAY), new Date(clock.getTime() + 30 * DAY)],
      );
    await token(10);
    expect(control(await evaluate(tenant), 'access.api_tokens')).toMatchObject({ status: 'pass', evidence: { liveTokens: 1, olderThanMaxAge: 0 } });
    await token(120);
    expect(control(await evaluate(tenant), 'access.api_tokens')).toMatchObject({ status: 'fail', evidence: { liveTokens: 2, olderThanMaxAge: 1 } });
  });

  it('audit integrity: fail until `audit verify` recomputed the log and a head covers it, then pass; fail again a day later', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const invited = await call('POST', `/v1/tenants/${tenant}/invites`, { token: (await svc.session(owner)).accessToken, body: { email: 'new@example.com', role: 'viewer' } });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(await statusOf(tenant, 'audit.integrity')).toBe('fail');
    const results = await verifyAuditLogs(svc.t.db, tenant);
    expect(results.map((r) => r.problem)).toEqual([null]);
    await recordVerifications(svc.t.db, results, { type: 'system', id: 'test' });
    expect((await call('POST', `/v1/tenants/${tenant}/audit/sth`, { token: (await svc.session(await person([], ['platform_admin']))).accessToken })).statusCode).toBe(200);
    const passed = control(await evaluate(tenant), 'audit.integrity');
    expect(passed.status, JSON.stringify(passed.evidence)).toBe('pass');
    expect(passed.evidence.unsignedEvents).toBe(0);
    clock = new Date(clock.getTime() + 25 * 60 * 60 * 1000);
    expect(await statusOf(tenant, 'audit.integrity')).toBe('fail');
  });

  it("incident deadlines: pass with none missed, fail when a clock runs past due, counted by the service's receipt time", async () => {
    const tenant = await createTestTenant(svc.t.db);
    expect(control(await evaluate(tenant), 'incidents.deadlines')).toMatchObject({ status: 'pass', evidence: { missed90: 0 } });
    const responder = await person([], ['incident_responder']);
    const opened = await call('POST', '/v1/incidents', {
      token: (await svc.session(responder)).accessToken,
      // A detection time claimed long ago cannot make a deadline older than the service's receipt.
      body: { title: 'Leak', severity: 'P2', personalData: false, affectedTenantIds: [tenant], detectedAt: new Date(clock.getTime() - 60_000).toISOString() },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(await statusOf(tenant, 'incidents.deadlines')).toBe('pass');
    clock = new Date(clock.getTime() + 2 * DAY);
    expect(control(await evaluate(tenant), 'incidents.deadlines')).toMatchObject({ status: 'fail', evidence: { missed90: 1, 'classification.missed90': 1, incidents: 1 } });
    expect(control(await evaluate(PLATFORM_TENANT_ID), 'incidents.deadlines').status).toBe('fail');
    expect(control(await evaluate(await createTestTenant(svc.t.db)), 'incidents.deadlines').status).toBe('pass');
  });

  it('anomalous sign-ins: pass with none, warn while a flag awaits review, fail once it waits past 7 days, pass when reviewed; the platform reviews its staff', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    const member = await person([{ tenantId: tenant, role: 'viewer' }]);
    expect(control(await evaluate(tenant), 'auth.anomalous_sign_ins')).toMatchObject({ status: 'pass', evidence: { flagged90: 0, reviewed90: 0 } });
    // A second sign-in from another address is flagged new_ip (the next authenticator code, 30 s on).
    const flaggedSignIn = async (u: typeof member) => {
      await signIn(u);
      clock = new Date(clock.getTime() + 30_000);
      return signIn(u);
    };
    const flagged = await flaggedSignIn(member);
    expect(control(await evaluate(tenant), 'auth.anomalous_sign_ins')).toMatchObject({ status: 'warn', evidence: { flagged90: 1, awaitingReview: 1, overdueReviews: 0 } });
    clock = new Date(clock.getTime() + 8 * DAY);
    expect(control(await evaluate(tenant), 'auth.anomalous_sign_ins')).toMatchObject({ status: 'fail', evidence: { overdueReviews: 1 } });
    const token = (await svc.steppedUp(owner)).accessToken;
    const reviewed = await call('POST', `/v1/tenants/${tenant}/sessions/${flagged.session.id}/flag-review`, { token, body: { outcome: 'suspicious' } });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(control(await evaluate(tenant), 'auth.anomalous_sign_ins')).toMatchObject({ status: 'pass', evidence: { flagged90: 1, reviewed90: 1, suspicious90: 1 } });
    // 90 days on, the window has moved past it.
    expect((await evaluatePosture(svc.t.db, tenant, runtime(), new Date(clock.getTime() + 91 * DAY))).controls.find((c) => c.id === 'auth.anomalous_sign_ins')?.evidence).toMatchObject({ flagged90: 0 });

    const before = control(await evaluate(PLATFORM_TENANT_ID), 'auth.anomalous_sign_ins').evidence.flagged90 as number;
    const staffer = await person([], ['incident_responder']);
    const staffSession = await flaggedSignIn(staffer);
    // The staffer's sign-in is the platform's, not the tenant's.
    expect(control(await evaluate(PLATFORM_TENANT_ID), 'auth.anomalous_sign_ins')).toMatchObject({ status: 'warn', evidence: { flagged90: before + 1 } });
    expect(control(await evaluate(tenant), 'auth.anomalous_sign_ins').evidence.flagged90).toBe(1);
    const officer = (await svc.steppedUp(await person([], ['security_officer']))).accessToken;
    expect((await call('POST', `/v1/tenants/${PLATFORM_TENANT_ID}/sessions/${staffSession.session.id}/flag-review`, { token: officer, body: { outcome: 'expected' } })).statusCode).toBe(200);
    expect(control(await evaluate(PLATFORM_TENANT_ID), 'auth.anomalous_sign_ins').evidence).toMatchObject({ awaitingReview: 0 });
  });

  it('remediation plans: a control that warns or fails carries its plan; the same control passing does not', async () => {
    const tenant = await createTestTenant(svc.t.db);
    const owner = await person([{ tenantId: tenant, role: 'owner' }]);
    await svc.t.engine.query(
      `INSERT INTO posture_remediations (tenant_id, control_id, owner_user_id, target_date, compensating_controls, status, created_at, updated_at)
       VALUES ($1, 'sessions.limits', $2, $3, 'Shorter limits for admins', 'in_progress', $4, $4)`,
      [tenant, owner.userId, new Date(clock.getTime() + 10 * DAY).toISOString().slice(0, 10), clock],
    );
    await setPolicy(tenant, true, 30 * 86_400, 90 * 86_400);
    expect(control(await evaluate(tenant), 'sessions.limits')).toMatchObject({ status: 'fail', remediation: { status: 'in_progress', ownerAssigned: true, overdue: false } });
    await setPolicy(tenant, true, 3600, 7200);
    expect(control(await evaluate(tenant), 'sessions.limits')).not.toHaveProperty('remediation');
  });
});
