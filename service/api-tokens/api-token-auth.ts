import type { Action } from '../../shared/identity/permissions';
import type { TenantRole } from '../../shared/identity/roles';
import { API_TOKEN_POLICY } from '../../shared/policy/api-tokens';
import type { Db } from '../db/db';
import type { AuthOutcome } from '../auth/principal';
import { hasBearerShape, hexEqual, sha256Hex } from '../sessions/session-tokens';
import { API_TOKEN_PREFIX } from './api-token-repository';

export const isApiToken = (token: string): boolean => hasBearerShape(API_TOKEN_PREFIX, token);

type Row = {
  tenant_id: string;
  id: string;
  user_id: string;
  scopes: Action[];
  token_sha256: string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  user_status: string;
  role: TenantRole | null;
  member_status: string | null;
  tenant_status: string;
};

/**
 * The token, its member's status and current role in the token's tenant, in one
 * read. Not cached: a revocation, expiry, role change or deactivation applies to
 * the very next request on every instance.
 */
const LOOKUP = `SELECT t.tenant_id, t.id, t.user_id, t.scopes, t.token_sha256, t.expires_at, t.revoked_at, t.last_used_at,
       u.status AS user_status, m.role, m.status AS member_status, tn.status AS tenant_status
  FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN tenants tn ON tn.id = t.tenant_id
  LEFT JOIN memberships m ON m.tenant_id = t.tenant_id AND m.user_id = t.user_id
 WHERE t.token_sha256 = $1`;

export const createApiTokenAuthenticator =
  (db: Db, now: () => Date): ((token: string) => Promise<AuthOutcome>) =>
  async (token) => {
    if (!isApiToken(token)) return { ok: false, reason: 'invalid' };
    const hash = sha256Hex(token);
    return db.platform(async (tx): Promise<AuthOutcome> => {
      const at = now();
      const r = (await tx.query<Row>(LOOKUP, [hash]))[0];
      if (!r || !hexEqual(r.token_sha256, hash)) return { ok: false, reason: 'invalid' };
      if (r.revoked_at !== null || at >= new Date(r.expires_at)) return { ok: false, reason: 'invalid' };
      if (r.user_status !== 'active' || r.member_status !== 'active' || r.role === null) return { ok: false, reason: 'invalid' };
      const last = r.last_used_at === null ? null : new Date(r.last_used_at).getTime();
      if (last === null || at.getTime() - last >= API_TOKEN_POLICY.touchInterval * 1000) {
        await tx.query('UPDATE api_tokens SET last_used_at = $3 WHERE tenant_id = $1 AND id = $2', [r.tenant_id, r.id, at.toISOString()]);
      }
      return {
        ok: true,
        principal: {
          kind: 'api_token',
          tokenId: r.id,
          tenantId: r.tenant_id,
          userId: r.user_id,
          scopes: r.scopes,
          grants: { platformRoles: [], memberships: [{ tenantId: r.tenant_id, role: r.role }] },
          suspendedTenantIds: r.tenant_status === 'suspended' ? [r.tenant_id] : [],
        },
      };
    });
  };
