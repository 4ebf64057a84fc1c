/**
 * Test helpers shared by the attack tests on memberships, invites and sessions:
 * people in tenants, real sign-in with password and TOTP, and the audit logs a
 * tenant sees.
 */
import { expect } from 'vitest';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import { LoginResponseSchema, SessionTokensSchema, type SessionTokens } from '../../shared/identity/schemas';
import type { TenantId } from '../../shared/tenants/tenant';
import { listAuditEvents, type AuditEvent } from '../audit/audit-log';
import { currentCode } from '../identity/totp';
import { createTestUser, type TestUser } from '../testing/identity-fixtures';
import { errorOf, type CallOptions, type InProcessService } from '../testing/in-process-service';

export const membersKit = (svc: InProcessService, now: () => Date) => {
  let ip = 0;
  // Each call from its own address, so no per-address limit is met by accident.
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, opts: CallOptions = {}) =>
    svc.call(method, url, { ip: `10.9.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`, ...opts });
  const person = (memberships: readonly { tenantId: TenantId; role: TenantRole }[], platformRoles: readonly PlatformRole[] = []) =>
    createTestUser(svc.t.db, svc.keys, svc.hasher, { memberships, platformRoles });
  const refused = async (res: Promise<{ statusCode: number; body: string }>, status: number, code: string) => expect(errorOf(await res)).toEqual({ status, code });
  const audit = (tenantId: TenantId): Promise<AuditEvent[]> => svc.t.db.tenant(tenantId, (tx) => listAuditEvents(tx, { limit: 10_000 }));
  const platformAudit = (): Promise<AuditEvent[]> => svc.t.db.platform((tx) => listAuditEvents(tx, { limit: 10_000 }));

  /** Signs in as a person would: password, then the authenticator's current code. */
  const signIn = async (u: TestUser): Promise<SessionTokens> => {
    const first = LoginResponseSchema.parse((await call('POST', '/v1/auth/login', { body: { email: u.email, password: u.password } })).json());
    if (first.next !== 'mfa') throw new Error(`expected an MFA step, got ${first.next}`);
    const res = await call('POST', '/v1/auth/mfa', { body: { challengeId: first.challengeId, code: await currentCode(u.secret ?? new Uint8Array(), now()) } });
    expect(res.statusCode, res.body).toBe(200);
    return SessionTokensSchema.parse(res.json());
  };

  /** Whether a session's access token still works. */
  const works = async (s: SessionTokens): Promise<boolean> => (await call('GET', '/v1/me', { token: s.accessToken })).statusCode === 200;

  return { call, person, refused, audit, platformAudit, signIn, works };
};
