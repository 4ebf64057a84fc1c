import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Me, Member, SessionTokens } from '../../../shared/identity/schemas';
import { sendJson, startHttpsServer, type SelfSignedCertificate, type TestHttpsServer } from '../client/self-signed.fixture';

/**
 * A stand-in for the service's identity routes, for the cases the real service
 * cannot be made to produce on demand in a unit test (an access token that has
 * just expired, a revocation between two calls, a lockout with a given wait).
 * Codes and shapes follow shared/api/endpoints.ts; the logic is the minimum.
 */
export const DEMO = { email: 'officer@attest.example', password: 'correct horse battery staple', code: '123456' } as const;
export const TENANT = {
  id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d',
  name: 'Acme GmbH',
  region: 'eu',
  plan: 'enterprise',
  createdAt: '2024-05-01T09:30:00.000Z',
} as const;
const USER_ID = '0b7e6c4a-1d2e-4f3a-8b5c-6d7e8f9a0b1c';

interface Session {
  id: string;
  refreshToken: string;
  /** Refresh tokens already rotated away; presenting one again revokes the session. */
  spent: Set<string>;
  revoked: boolean;
  expired: boolean;
  stepUpUntil: string | null;
}

export interface FakeIdentityService {
  url: string;
  /** Next login needs enrolment instead of a code. */
  enrolNext: boolean;
  /** Next login answers 423-style account_locked with this Retry-After. */
  lockFor: number | null;
  requests: { method: string; path: string; authorization: string | undefined }[];
  refreshCalls: number;
  /** Every token the service issued, to check none reached the renderer. */
  issued: string[];
  expireAccessTokens(): void;
  revokeAll(): void;
  expireSessions(): void;
  /** Delays /v1/auth/refresh, so concurrent calls overlap it. */
  refreshDelayMs: number;
  close(): Promise<void>;
}

const error = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJson(res, status, { error: { code, message, requestId: randomUUID() } });
};

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startFakeIdentityService(certificate: SelfSignedCertificate): Promise<FakeIdentityService> {
  const challenges = new Map<string, 'mfa' | 'enrol'>();
  const sessions = new Map<string, Session>();
  const access = new Map<string, { sessionId: string; expired: boolean }>();
  let member: Member = {
    userId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
    email: 'ada@acme.example',
    displayName: 'Ada Lovelace',
    role: 'editor',
    mfaEnrolled: true,
    status: 'active',
    lastSignInAt: null,
  };

  const token = (kind: 'at' | 'rt'): string => {
    const value = `atst_${kind}_${randomBytes(24).toString('base64url')}`;
    fake.issued.push(value);
    return value;
  };
  const issue = (session: Session): SessionTokens => {
    const accessToken = token('at');
    access.set(accessToken, { sessionId: session.id, expired: false });
    const now = Date.now();
    return {
      accessToken,
      accessExpiresAt: new Date(now + 15 * 60_000).toISOString(),
      refreshToken: session.refreshToken,
      session: {
        id: session.id,
        createdAt: new Date(now).toISOString(),
        idleExpiresAt: new Date(now + 14 * 86_400_000).toISOString(),
        absoluteExpiresAt: new Date(now + 30 * 86_400_000).toISOString(),
        stepUpUntil: session.stepUpUntil,
      },
    };
  };
  const newSession = (): SessionTokens => {
    const session: Session = { id: randomUUID(), refreshToken: token('rt'), spent: new Set(), revoked: false, expired: false, stepUpUntil: null };
    sessions.set(session.id, session);
    return issue(session);
  };
  const me = (session: Session): Me => ({
    user: { id: USER_ID, email: DEMO.email, displayName: 'Olga Officer' },
    platformRoles: ['security_officer'],
    memberships: [{ tenantId: TENANT.id as Me['memberships'][number]['tenantId'], tenantName: TENANT.name, role: 'owner' }],
    mfa: { enrolled: true, recoveryCodesRemaining: 10 },
    session: issue(session).session,
  });

  /** The session behind the request's access token, or an error already sent. */
  const authenticate = (req: IncomingMessage, res: ServerResponse): Session | undefined => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const entry = bearer ? access.get(bearer) : undefined;
    const session = entry ? sessions.get(entry.sessionId) : undefined;
    if (!entry || !session) return void error(res, 401, 'invalid_token', 'The access token is not valid.');
    if (session.revoked) return void error(res, 401, 'session_revoked', 'This session was revoked.');
    if (session.expired) return void error(res, 401, 'session_expired', 'This session expired.');
    if (entry.expired) return void error(res, 401, 'invalid_token', 'The access token has expired.');
    return session;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '';
    fake.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    const body = await readJson(req);
    const route = `${req.method} ${path}`;
    if (route === 'GET /v1/health') return sendJson(res, 200, { status: 'ok', version: '0.1.0', storage: 'pglite', time: new Date().toISOString() });
    if (route === 'POST /v1/auth/login') {
      if (fake.lockFor !== null) return error(res, 429, 'account_locked', 'Locked.', { 'retry-after': String(fake.lockFor) });
      if (body.email !== DEMO.email || body.password !== DEMO.password) return error(res, 401, 'invalid_credentials', 'Email or password is wrong.');
      const challengeId = randomUUID();
      const next = fake.enrolNext ? 'enrol' : 'mfa';
      fake.enrolNext = false;
      challenges.set(challengeId, next);
      return sendJson(res, 200, { next, challengeId, expiresAt: new Date(Date.now() + 300_000).toISOString() });
    }
    if (route === 'POST /v1/auth/mfa') {
      const challengeId = String(body.challengeId);
      if (challenges.get(challengeId) !== 'mfa') return error(res, 400, 'challenge_invalid', 'Start again.');
      if (body.code === undefined) return error(res, 400, 'invalid_recovery_code', 'Not a recovery code of yours.');
      if (body.code !== DEMO.code) return error(res, 400, 'invalid_mfa_code', 'That code is not valid.');
      challenges.delete(challengeId);
      return sendJson(res, 200, newSession());
    }
    if (route === 'POST /v1/auth/enrol/start') {
      if (challenges.get(String(body.challengeId)) !== 'enrol') return error(res, 400, 'challenge_invalid', 'Start again.');
      return sendJson(res, 200, { otpauthUri: `otpauth://totp/Attest:${DEMO.email}?secret=JBSWY3DPEHPK3PXP&issuer=Attest`, secret: 'JBSWY3DPEHPK3PXP' });
    }
    if (route === 'POST /v1/auth/enrol/complete') {
      const challengeId = String(body.challengeId);
      if (challenges.get(challengeId) !== 'enrol') return error(res, 400, 'challenge_invalid', 'Start again.');
      if (body.code !== DEMO.code) return error(res, 400, 'invalid_mfa_code', 'That code is not valid.');
      challenges.delete(challengeId);
      return sendJson(res, 200, { tokens: newSession(), recoveryCodes: Array.from({ length: 10 }, (_, i) => `abcde-${String(i).padStart(5, '0')}`) });
    }
    if (route === 'POST /v1/auth/refresh') {
      fake.refreshCalls += 1;
      if (fake.refreshDelayMs > 0) await new Promise((r) => setTimeout(r, fake.refreshDelayMs));
      const presented = String(body.refreshToken);
      const session = [...sessions.values()].find((s) => s.refreshToken === presented || s.spent.has(presented));
      if (!session) return error(res, 401, 'invalid_token', 'Unknown refresh token.');
      if (session.spent.has(presented)) {
        session.revoked = true;
        return error(res, 401, 'session_revoked', 'Refresh token reuse: the session is revoked.');
      }
      if (session.revoked) return error(res, 401, 'session_revoked', 'This session was revoked.');
      if (session.expired) return error(res, 401, 'session_expired', 'This session expired.');
      session.spent.add(session.refreshToken);
      session.refreshToken = token('rt');
      return sendJson(res, 200, issue(session));
    }
    const session = authenticate(req, res);
    if (!session) return;
    if (route === 'POST /v1/auth/logout') {
      session.revoked = true;
      return sendJson(res, 200, { signedOut: true });
    }
    if (route === 'POST /v1/auth/step-up') {
      if (body.code !== DEMO.code) return error(res, 400, 'invalid_mfa_code', 'That code is not valid.');
      session.stepUpUntil = new Date(Date.now() + 300_000).toISOString();
      return sendJson(res, 200, { stepUpUntil: session.stepUpUntil });
    }
    if (route === 'GET /v1/me') return sendJson(res, 200, me(session));
    if (route === 'GET /v1/tenants') return sendJson(res, 200, { items: [TENANT] });
    if (route === `GET /v1/tenants/${TENANT.id}`) return sendJson(res, 200, TENANT);
    if (route === `GET /v1/tenants/${TENANT.id}/members`) return sendJson(res, 200, { items: [member] });
    if (route === `PATCH /v1/tenants/${TENANT.id}/members/${member.userId}`) {
      if (!session.stepUpUntil) return error(res, 403, 'step_up_required', 'Enter a current authenticator code to change roles.');
      member = { ...member, role: body.role as Member['role'] };
      return sendJson(res, 200, member);
    }
    return error(res, 404, 'route_not_found', `No route ${route}.`);
  };

  const server: TestHttpsServer = await startHttpsServer(certificate, (req, res) => {
    handle(req, res).catch((e: unknown) => error(res, 500, 'internal_error', String(e)));
  });

  const fake: FakeIdentityService = {
    url: server.url,
    enrolNext: false,
    lockFor: null,
    requests: [],
    refreshCalls: 0,
    issued: [],
    refreshDelayMs: 0,
    expireAccessTokens: () => {
      for (const entry of access.values()) entry.expired = true;
    },
    revokeAll: () => {
      for (const s of sessions.values()) s.revoked = true;
    },
    expireSessions: () => {
      for (const s of sessions.values()) s.expired = true;
    },
    close: () => server.close(),
  };
  return fake;
}
