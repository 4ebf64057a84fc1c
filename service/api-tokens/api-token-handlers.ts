import type { endpoints } from '../../shared/api/endpoints';
import type { ApiTokenCreated } from '../../shared/api-tokens/schemas';
import { API_TOKEN_POLICY } from '../../shared/policy/api-tokens';
import { appendAuditEvent } from '../audit/audit-log';
import { requireUser } from '../auth/auth-handlers';
import { actorOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { insertApiToken, listApiTokens, lockApiToken, revokeApiToken, toSummary } from './api-token-repository';

const orThrow = <T>(result: T | ApiError): T => {
  if (result instanceof ApiError) throw result;
  return result;
};

const NOT_FOUND = () => new ApiError(404, 'not_found', 'No API token with this id in this tenant.');

/** Expiry is required, in the future, and at most API_TOKEN_POLICY.maxLifetime away. */
const checkedExpiry = (expiresAt: string, now: Date): Date => {
  const at = new Date(expiresAt);
  const max = now.getTime() + API_TOKEN_POLICY.maxLifetime * 1000;
  if (at <= now || at.getTime() > max) {
    const message = `expiresAt must be in the future and at most ${API_TOKEN_POLICY.maxLifetime / 86_400} days away.`;
    throw new ApiError(400, 'validation_failed', message, [{ path: 'body.expiresAt', message }]);
  }
  return at;
};

export const apiTokenHandlers = ({ db, now }: HandlerDeps) =>
  ({
    // The route table has checked api_tokens.read in this tenant; RLS confines the read to its tokens.
    listApiTokens: async ({ params }) => {
      const rows = await db.tenant(params.tenantId, listApiTokens);
      const at = now();
      return { items: rows.map((r) => toSummary(r, at)) };
    },

    // api_tokens.manage is held by tenant roles only: the creator is an active owner or admin of this tenant.
    createApiToken: async ({ params, body, principal, requestId }): Promise<ApiTokenCreated> => {
      const user = requireUser(principal, 'Creating an API token');
      const at = now();
      const expiresAt = checkedExpiry(body.expiresAt, at);
      return db.tenant(params.tenantId, async (tx) => {
        const { row, secret } = await insertApiToken(tx, { userId: user.userId, name: body.name, scopes: body.scopes, expiresAt, now: at });
        await appendAuditEvent(tx, {
          actor: actorOf(user),
          action: 'api_token.created',
          target: `api_token:${row.id}`,
          requestId,
          details: { userId: user.userId, scopes: row.scopes, expiresAt: expiresAt.toISOString() },
          personal: { name: body.name },
        });
        return { token: toSummary(row, at), secret };
      });
    },

    // Only the token's own member rotates it: the new secret acts as them.
    rotateApiToken: async ({ params, body, principal, requestId }): Promise<ApiTokenCreated> => {
      const user = requireUser(principal, 'Rotating an API token');
      const at = now();
      const expiresAt = checkedExpiry(body.expiresAt, at);
      return orThrow(
        await db.tenant(params.tenantId, async (tx): Promise<ApiTokenCreated | ApiError> => {
          const old = await lockApiToken(tx, params.tokenId);
          if (!old) return NOT_FOUND();
          if (old.user_id !== user.userId) return new ApiError(403, 'forbidden', 'Only the member a token acts as can rotate it; revoke it instead.');
          if (old.revoked_at !== null) return new ApiError(409, 'conflict', 'This API token was already revoked; create a new one.');
          const { row, secret } = await insertApiToken(tx, { userId: old.user_id, name: old.name, scopes: old.scopes, expiresAt, now: at });
          await revokeApiToken(tx, old.id, at, row.id);
          await appendAuditEvent(tx, {
            actor: actorOf(user),
            action: 'api_token.rotated',
            target: `api_token:${old.id}`,
            requestId,
            details: { replacedBy: row.id, scopes: row.scopes, expiresAt: expiresAt.toISOString() },
          });
          return { token: toSummary(row, at), secret };
        }),
      );
    },

    revokeApiToken: async ({ params, principal, requestId }) => {
      if (!principal) throw new Error('unauthenticated');
      const at = now();
      return orThrow(
        await db.tenant(params.tenantId, async (tx) => {
          const token = await lockApiToken(tx, params.tokenId);
          if (!token) return NOT_FOUND();
          if (token.revoked_at !== null) return new ApiError(409, 'conflict', 'This API token was already revoked.');
          await revokeApiToken(tx, token.id, at);
          await appendAuditEvent(tx, {
            actor: actorOf(principal),
            action: 'api_token.revoked',
            target: `api_token:${token.id}`,
            requestId,
            details: { userId: token.user_id },
          });
          return toSummary({ ...token, revoked_at: at }, at);
        }),
      );
    },
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
