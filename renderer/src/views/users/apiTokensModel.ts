import type { ApiTokenSummary } from '../../../../shared/api-tokens/schemas';
import { API_TOKEN_POLICY } from '../../../../shared/policy/api-tokens';

const DAY_MS = 86_400_000;
export const MAX_TOKEN_DAYS = API_TOKEN_POLICY.maxLifetime / 86_400;
export const STALE_TOKEN_DAYS = API_TOKEN_POLICY.staleAfter / 86_400;

/** An ISO time `days` whole days after `now`. */
export const daysFrom = (now: Date, days: number): string => new Date(now.getTime() + days * DAY_MS).toISOString();

/** A rotated token keeps the lifetime its predecessor was given, within the policy's bounds. */
export const rotationExpiry = (t: ApiTokenSummary, now: Date): string => {
  const lifetime = Math.round((Date.parse(t.expiresAt) - Date.parse(t.createdAt)) / DAY_MS);
  return daysFrom(now, Math.min(MAX_TOKEN_DAYS, Math.max(1, lifetime)));
};

/** What the signed-in person may do to a token: rotate only their own (the new secret acts as them), revoke any. */
export const tokenActions = (t: ApiTokenSummary, myUserId: string, canManage: boolean, canRevoke: boolean): { rotate: boolean; revoke: boolean } => ({
  rotate: t.status !== 'revoked' && canManage && t.userId === myUserId,
  revoke: t.status !== 'revoked' && canRevoke,
});

/** Live tokens first, stale ones at the top of those (they need rotating), then newest first. */
export const sortTokens = (tokens: readonly ApiTokenSummary[]): ApiTokenSummary[] => {
  const rank = (t: ApiTokenSummary) => (t.status === 'active' ? (t.stale ? 0 : 1) : 2);
  return [...tokens].sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt));
};
