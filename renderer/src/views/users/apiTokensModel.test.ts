import { describe, expect, it } from 'vitest';
import { ApiTokenSummarySchema, type ApiTokenSummary } from '../../../../shared/api-tokens/schemas';
import { rotationExpiry, sortTokens, tokenActions } from './apiTokensModel';

const ME = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000b2';
const token = (n: number, opts: Partial<ApiTokenSummary> = {}): ApiTokenSummary =>
  ApiTokenSummarySchema.parse({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    tenantId: '11111111-1111-4111-8111-111111111111',
    name: `t${n}`,
    userId: ME,
    email: 'me@example.com',
    scopes: ['members.read'],
    createdAt: `2026-03-0${n}T09:00:00.000Z`,
    expiresAt: '2026-04-01T09:00:00.000Z',
    lastUsedAt: null,
    revokedAt: null,
    ageDays: 0,
    stale: false,
    status: 'active',
    ...opts,
  });

describe('API tokens model', () => {
  it('rotates with the same lifetime, clamped to the policy', () => {
    const now = new Date('2026-06-01T00:00:00.000Z');
    expect(rotationExpiry(token(1, { createdAt: '2026-03-01T09:00:00.000Z', expiresAt: '2026-03-31T09:00:00.000Z' }), now)).toBe('2026-07-01T00:00:00.000Z');
    expect(rotationExpiry(token(1, { createdAt: '2020-01-01T00:00:00.000Z', expiresAt: '2030-01-01T00:00:00.000Z' }), now)).toBe('2027-06-01T00:00:00.000Z');
  });
  it('offers rotate only on one’s own live tokens, revoke on any live token', () => {
    expect(tokenActions(token(1), ME, true, true)).toEqual({ rotate: true, revoke: true });
    expect(tokenActions(token(1, { userId: OTHER }), ME, true, true)).toEqual({ rotate: false, revoke: true });
    expect(tokenActions(token(1, { status: 'revoked' }), ME, true, true)).toEqual({ rotate: false, revoke: false });
    expect(tokenActions(token(1), ME, false, false)).toEqual({ rotate: false, revoke: false });
  });
  it('lists stale live tokens first, then live, then ended; newest first within each', () => {
    const ended = token(1, { status: 'expired' });
    const live = token(2);
    const stale = token(3, { stale: true });
    const newer = token(4);
    expect(sortTokens([ended, live, stale, newer]).map((t) => t.name)).toEqual(['t3', 't4', 't2', 't1']);
  });
});
