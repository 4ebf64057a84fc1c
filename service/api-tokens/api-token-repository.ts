import { randomUUID } from 'node:crypto';
import type { ApiTokenSummary } from '../../shared/api-tokens/schemas';
import type { Action } from '../../shared/identity/permissions';
import { API_TOKEN_POLICY } from '../../shared/policy/api-tokens';
import type { TenantId } from '../../shared/tenants/tenant';
import type { TenantTx } from '../db/db';
import { newBearerToken, sha256Hex } from '../sessions/session-tokens';

/** Tenant API tokens: `atst_ak_` + 32 random bytes; only the SHA-256 is stored. */
export const API_TOKEN_PREFIX = 'atst_ak_';

const DAY_MS = 86_400_000;

export type ApiTokenRow = {
  tenant_id: string;
  id: string;
  user_id: string;
  email: string | null;
  name: string;
  scopes: Action[];
  created_at: Date | string;
  expires_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
};

const COLUMNS = `t.tenant_id, t.id, t.user_id, u.email, t.name, t.scopes, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`;
const FROM = 'api_tokens t LEFT JOIN users u ON u.id = t.user_id';

const iso = (v: Date | string): string => new Date(v).toISOString();

export const toSummary = (r: ApiTokenRow, now: Date): ApiTokenSummary => {
  const created = new Date(r.created_at);
  const age = Math.max(0, now.getTime() - created.getTime());
  return {
    id: r.id,
    tenantId: r.tenant_id as TenantId,
    name: r.name,
    userId: r.user_id,
    email: r.email ?? '',
    scopes: [...r.scopes],
    createdAt: created.toISOString(),
    expiresAt: iso(r.expires_at),
    lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
    revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
    ageDays: Math.floor(age / DAY_MS),
    stale: age > API_TOKEN_POLICY.staleAfter * 1000,
    status: r.revoked_at !== null ? 'revoked' : new Date(r.expires_at) <= now ? 'expired' : 'active',
  };
};

export const listApiTokens = async (tx: TenantTx): Promise<ApiTokenRow[]> =>
  tx.query<ApiTokenRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE t.tenant_id = $1 ORDER BY t.created_at DESC, t.id`, [tx.tenantId]);

/** The token row, locked for the rest of the transaction (rotate and revoke serialise on it). */
export const lockApiToken = async (tx: TenantTx, id: string): Promise<ApiTokenRow | undefined> => {
  const locked = await tx.query<{ id: string }>('SELECT id FROM api_tokens WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tx.tenantId, id]);
  if (locked.length === 0) return undefined;
  return (await tx.query<ApiTokenRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE t.tenant_id = $1 AND t.id = $2`, [tx.tenantId, id]))[0];
};

export interface NewApiToken {
  readonly userId: string;
  readonly name: string;
  readonly scopes: readonly Action[];
  readonly expiresAt: Date;
  readonly now: Date;
}

/** Inserts a token; the secret is returned to show once and is never stored. */
export const insertApiToken = async (tx: TenantTx, t: NewApiToken): Promise<{ row: ApiTokenRow; secret: string }> => {
  const id = randomUUID();
  const secret = newBearerToken(API_TOKEN_PREFIX);
  await tx.query(
    `INSERT INTO api_tokens (tenant_id, id, user_id, name, scopes, token_sha256, created_at, expires_at)
     VALUES ($1, $2, $3, $4, ARRAY(SELECT jsonb_array_elements_text($5::jsonb)), $6, $7, $8)`,
    [tx.tenantId, id, t.userId, t.name, JSON.stringify([...new Set(t.scopes)]), sha256Hex(secret), t.now.toISOString(), t.expiresAt.toISOString()],
  );
  const row = (await tx.query<ApiTokenRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE t.tenant_id = $1 AND t.id = $2`, [tx.tenantId, id]))[0];
  if (!row) throw new Error('inserted API token not found');
  return { row, secret };
};

export const revokeApiToken = async (tx: TenantTx, id: string, now: Date, replacedBy: string | null = null): Promise<void> => {
  await tx.query('UPDATE api_tokens SET revoked_at = $3, replaced_by = $4 WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id, now.toISOString(), replacedBy]);
};

/** Ends every live token of a member in this tenant (deactivation); returns how many. */
export const revokeMemberApiTokens = async (tx: TenantTx, userId: string, now: Date): Promise<number> =>
  (
    await tx.query('UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id', [
      tx.tenantId,
      userId,
      now.toISOString(),
    ])
  ).length;
