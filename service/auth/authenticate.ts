import type { Grants } from '../../shared/identity/permissions';
import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import { API_TOKEN_PREFIX } from '../api-tokens/api-token-repository';
import { createApiTokenAuthenticator } from '../api-tokens/api-token-auth';
import type { Db } from '../db/db';
import { createOperatorAuthenticator } from '../operators/operator-auth';
import { SESSION_COLUMNS, sessionState, toSession, touchSession, type SessionRow } from '../sessions/session-repository';
import { hexEqual, isAccessToken, sha256Hex } from '../sessions/session-tokens';
import { OPERATOR_GRANTS, type AuthOutcome, type Authenticator } from './principal';
import { TokenCache } from './token-cache';

interface Row extends SessionRow {
  token_sha256: string;
  expires_at: Date | string;
  email: string;
  status: string;
  platform_roles: PlatformRole[];
  /** When the earliest time-bounded platform role in force expires (null: none will). */
  roles_change_at: Date | string | null;
  /** `tenantId:role` (arrays of text come back as arrays from both engines; cheaper than json_agg in PGlite). */
  memberships: string[];
  suspended_tenants: string[];
}

const membership = (entry: string): { tenantId: string; role: TenantRole } => {
  const i = entry.indexOf(':');
  return { tenantId: entry.slice(0, i), role: entry.slice(i + 1) as TenantRole };
};

/**
 * One query: the token's session, the user and their roles in force at $2 (a
 * platform role granted through approval ends at its expires_at). Without a cache
 * this runs on every request, so a revocation or a role change takes effect on
 * the next request on every instance.
 */
const LOOKUP = `SELECT ${SESSION_COLUMNS}, t.token_sha256, t.expires_at, u.email, u.status,
       ARRAY(SELECT g.role FROM platform_role_grants g WHERE g.user_id = s.user_id AND (g.expires_at IS NULL OR g.expires_at > $2)) AS platform_roles,
       (SELECT min(g.expires_at) FROM platform_role_grants g WHERE g.user_id = s.user_id AND g.expires_at > $2) AS roles_change_at,
       ARRAY(SELECT m.tenant_id::text || ':' || m.role FROM memberships m WHERE m.user_id = s.user_id AND m.status = 'active') AS memberships,
       ARRAY(SELECT m.tenant_id::text FROM memberships m JOIN tenants tn ON tn.id = m.tenant_id
              WHERE m.user_id = s.user_id AND m.status = 'active' AND tn.status = 'suspended') AS suspended_tenants
  FROM session_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
 WHERE t.token_sha256 = $1 AND t.kind = 'access'`;


/** last_seen_at is written at most this often per session. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Validates session access tokens. With a cache (only where the database clears
 * it on every auth-relevant commit: see TokenCache), a token validated in the
 * last minute is answered from memory; expiry is still checked on every call,
 * and the database path runs whenever last_seen_at is due for a write.
 */
export const createSessionAuthenticator =
  (db: Db, now: () => Date, cache: TokenCache | null = null): ((token: string) => Promise<AuthOutcome>) =>
  async (token) => {
    if (!isAccessToken(token)) return { ok: false, reason: 'invalid' };
    const hash = sha256Hex(token);
    const hit = cache?.get(hash);
    if (hit) {
      const at = now();
      const session = hit.principal.session;
      // A cached principal holds the roles in force when it was read: past the first role's expiry it is stale.
      const rolesCurrent = hit.rolesChangeAt === null || at < hit.rolesChangeAt;
      if (rolesCurrent && at.getTime() - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS && sessionState(session, at) === 'ok') {
        return at >= hit.accessExpiresAt ? { ok: false, reason: 'access_expired' } : { ok: true, principal: hit.principal };
      }
    }
    const generation = cache?.generation ?? 0;
    const result = await db.platform(async (tx): Promise<{ outcome: AuthOutcome; accessExpiresAt?: Date; rolesChangeAt?: Date | null }> => {
      const at = now();
      const r = (await tx.query<Row>(LOOKUP, [hash, at.toISOString()]))[0];
      if (!r || !hexEqual(r.token_sha256, hash)) return { outcome: { ok: false, reason: 'invalid' } };
      let session = toSession(r);
      const state = sessionState(session, at);
      if (state === 'revoked' || r.status !== 'active') return { outcome: { ok: false, reason: 'session_revoked' } };
      if (state === 'expired') return { outcome: { ok: false, reason: 'session_expired' } };
      const accessExpiresAt = new Date(r.expires_at);
      if (at >= accessExpiresAt) return { outcome: { ok: false, reason: 'access_expired' } };
      if (at.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
        await touchSession(tx, session.id, at);
        session = { ...session, lastSeenAt: at };
      }
      const grants: Grants = { platformRoles: r.platform_roles, memberships: r.memberships.map(membership) };
      const rolesChangeAt = r.roles_change_at === null ? null : new Date(r.roles_change_at);
      return { outcome: { ok: true, principal: { kind: 'user', userId: r.user_id, email: r.email, grants, session, suspendedTenantIds: r.suspended_tenants } }, accessExpiresAt, rolesChangeAt };
    });
    const { outcome, accessExpiresAt, rolesChangeAt } = result;
    // Set after the commit, and only if nothing cleared the cache since the read began.
    if (cache && outcome.ok && outcome.principal.kind === 'user' && accessExpiresAt) {
      cache.set(hash, { principal: outcome.principal, accessExpiresAt, rolesChangeAt: rolesChangeAt ?? null }, generation);
    }
    return outcome;
  };

/** Session access tokens (atst_at_…), operator API tokens (atst_op_…) and tenant API tokens (atst_ak_…), behind one Authorization header. */
export const createAuthenticator = (db: Db, now: () => Date, cache: TokenCache | null = null): Authenticator => {
  const operators = createOperatorAuthenticator(db, now);
  const sessions = createSessionAuthenticator(db, now, cache);
  const apiTokens = createApiTokenAuthenticator(db, now);
  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') return { ok: false, reason: 'missing' };
    const token = /^Bearer +(\S+) *$/i.exec(authorization)?.[1];
    if (!token) return { ok: false, reason: 'invalid' };
    if (token.startsWith('atst_op_')) {
      const result = await operators(authorization);
      return result.ok ? { ok: true, principal: { kind: 'operator', operator: result.operator, grants: OPERATOR_GRANTS } } : { ok: false, reason: 'invalid' };
    }
    if (token.startsWith(API_TOKEN_PREFIX)) return apiTokens(token);
    return sessions(token);
  };
};

/**
 * The authenticator the server uses: with a validated-token cache where the
 * database clears it before any auth-relevant commit resolves (PGlite), without
 * one elsewhere. `close` stops listening for changes.
 */
export const openAuthenticator = async (db: Db, now: () => Date): Promise<{ authenticate: Authenticator; cached: boolean; close(): Promise<void> }> => {
  const cache = new TokenCache();
  const unwatch = await db.watchAuthChanges(() => cache.clear());
  return {
    authenticate: createAuthenticator(db, now, unwatch ? cache : null),
    cached: unwatch !== null,
    close: async () => unwatch?.(),
  };
};
