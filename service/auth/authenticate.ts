import type { Grants } from '../../shared/identity/permissions';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import type { Db } from '../db/db';
import { createOperatorAuthenticator } from '../operators/operator-auth';
import { SESSION_COLUMNS, sessionState, toSession, touchSession, type SessionRow } from '../sessions/session-repository';
import { hexEqual, isAccessToken, sha256Hex } from '../sessions/session-tokens';
import { OPERATOR_GRANTS, type AuthOutcome, type Authenticator } from './principal';

interface Row extends SessionRow {
  token_sha256: string;
  expires_at: Date | string;
  email: string;
  status: string;
  platform_roles: PlatformRole[];
  /** `tenantId:role` (arrays of text come back as arrays from both engines; cheaper than json_agg in PGlite). */
  memberships: string[];
}

const membership = (entry: string): { tenantId: string; role: TenantRole } => {
  const i = entry.indexOf(':');
  return { tenantId: entry.slice(0, i), role: entry.slice(i + 1) as TenantRole };
};

/**
 * One query per request: the token's session, the user and their roles. Nothing
 * is cached, so a revocation or a role change takes effect on the next request
 * on every instance.
 */
const LOOKUP = `SELECT ${SESSION_COLUMNS}, t.token_sha256, t.expires_at, u.email, u.status,
       ARRAY(SELECT g.role FROM platform_role_grants g WHERE g.user_id = s.user_id) AS platform_roles,
       ARRAY(SELECT m.tenant_id::text || ':' || m.role FROM memberships m WHERE m.user_id = s.user_id) AS memberships
  FROM session_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
 WHERE t.token_sha256 = $1 AND t.kind = 'access'`;


export const createSessionAuthenticator = (db: Db, now: () => Date): ((token: string) => Promise<AuthOutcome>) => async (token) => {
  if (!isAccessToken(token)) return { ok: false, reason: 'invalid' };
  const hash = sha256Hex(token);
  return db.platform(async (tx): Promise<AuthOutcome> => {
    const r = (await tx.query<Row>(LOOKUP, [hash]))[0];
    if (!r || !hexEqual(r.token_sha256, hash)) return { ok: false, reason: 'invalid' };
    const session = toSession(r);
    const at = now();
    const state = sessionState(session, at);
    if (state === 'revoked' || r.status !== 'active') return { ok: false, reason: 'session_revoked' };
    if (state === 'expired') return { ok: false, reason: 'session_expired' };
    if (at >= new Date(r.expires_at)) return { ok: false, reason: 'access_expired' };
    if (at.getTime() - session.lastSeenAt.getTime() >= 60_000) await touchSession(tx, session.id, at);
    const grants: Grants = { platformRoles: r.platform_roles, memberships: r.memberships.map(membership) };
    return { ok: true, principal: { kind: 'user', userId: r.user_id, email: r.email, grants, session } };
  });
};

/** Session access tokens (atst_at_…) and operator API tokens (atst_op_…), behind one Authorization header. */
export const createAuthenticator = (db: Db, now: () => Date): Authenticator => {
  const operators = createOperatorAuthenticator(db, now);
  const sessions = createSessionAuthenticator(db, now);
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return { ok: false, reason: 'missing' };
    const token = /^Bearer +(\S+) *$/i.exec(authorization)?.[1];
    if (!token) return { ok: false, reason: 'invalid' };
    if (token.startsWith('atst_op_')) {
      const result = await operators(authorization);
      return result.ok ? { ok: true, principal: { kind: 'operator', operator: result.operator, grants: OPERATOR_GRANTS } } : { ok: false, reason: 'invalid' };
    }
    return sessions(token);
  };
};
