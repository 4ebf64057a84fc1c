import { describe, expect, it } from 'vitest';
import { PLATFORM_SCOPE_ID, type ApprovalRequest } from '../../../../shared/approvals/schemas';
import { describeRequest, displayedStatus, pendingForMe, splitInbox, timeLeft, whoMayApprove } from './approvalsModel';

const T = '11111111-1111-4111-8111-111111111111';
const now = new Date('2026-05-01T12:00:00Z');
const request = (over: Partial<ApprovalRequest>): ApprovalRequest => ({
  id: '22222222-2222-4222-8222-222222222222',
  tenantId: T,
  subject: { action: 'sessions.revoke_tenant', keepSessionId: null },
  reason: 'leak',
  requestedBy: { userId: '33333333-3333-4333-8333-333333333333', email: 'a@example.com' },
  createdAt: '2026-05-01T10:00:00Z',
  expiresAt: '2026-05-02T10:00:00Z',
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  comment: null,
  result: null,
  mine: false,
  canDecide: true,
  ...over,
});

describe('approvals model', () => {
  it('describes each action with its tenant or the platform', () => {
    const names = (id: string) => (id === T ? 'Acme' : undefined);
    expect(describeRequest(request({}), names)).toBe("Revoke every session in Acme except the requester's");
    expect(describeRequest(request({ subject: { action: 'members.bulk_remove', userIds: [T, T] } }), names)).toBe('Remove 2 members from Acme');
    expect(describeRequest(request({ tenantId: PLATFORM_SCOPE_ID, subject: { action: 'platform_role.grant', userId: T, role: 'auditor', hours: 1 } }), names)).toBe(
      'Grant Auditor (read-only) for 1 hour',
    );
  });
  it('counts down to the expiry and shows a lapsed pending request as expired', () => {
    expect(timeLeft('2026-05-01T12:10:00Z', now)).toBe('in 10 min');
    expect(timeLeft('2026-05-01T15:00:00Z', now)).toBe('in 3 h');
    expect(timeLeft('2026-05-01T15:20:30Z', now)).toBe('in 3 h 21 min');
    expect(timeLeft('2026-05-01T12:00:00Z', now)).toBe('expired');
    expect(displayedStatus(request({ expiresAt: '2026-05-01T11:59:59Z' }), now)).toBe('expired');
    expect(displayedStatus(request({ status: 'approved', expiresAt: '2026-05-01T11:59:59Z' }), now)).toBe('approved');
  });
  it('splits the inbox: decidable and pending first by deadline; my own newest first', () => {
    const a = request({ id: 'a', expiresAt: '2026-05-02T09:00:00Z' });
    const b = request({ id: 'b', expiresAt: '2026-05-01T13:00:00Z' });
    const lapsed = request({ id: 'c', expiresAt: '2026-05-01T11:00:00Z' });
    const mine1 = request({ id: 'd', mine: true, canDecide: false, createdAt: '2026-05-01T09:00:00Z' });
    const mine2 = request({ id: 'e', mine: true, canDecide: false, status: 'denied', createdAt: '2026-05-01T11:00:00Z' });
    const split = splitInbox([a, b, lapsed, mine1, mine2], now);
    expect(split.toDecide.map((r) => r.id)).toEqual(['b', 'a']);
    expect(split.mine.map((r) => r.id)).toEqual(['e', 'd']);
  });

  it('says who may approve, from the permission matrix, never the requester', () => {
    const names = (id: string) => (id === T ? 'Acme' : undefined);
    expect(whoMayApprove(request({}), names)).toBe(
      'May be approved by an Owner or Admin of Acme, or a security officer, incident responder or platform admin, other than the requester, after a fresh authenticator code.',
    );
    const grant = whoMayApprove(request({ tenantId: PLATFORM_SCOPE_ID, subject: { action: 'platform_role.grant', userId: T, role: 'auditor', hours: 1 } }), names);
    expect(grant).toMatch(/^May be approved by a [a-z ,]+, other than the requester and the person it is for, after a fresh authenticator code\.$/);
    expect(grant).not.toContain('of ');
  });

  it('counts for the badge only what waits for my decision and has not expired', () => {
    const items = [
      request({}),
      request({ id: '44444444-4444-4444-8444-444444444444', canDecide: false, mine: true }),
      request({ id: '55555555-5555-4555-8555-555555555555', expiresAt: '2026-05-01T11:00:00Z' }),
      request({ id: '66666666-6666-4666-8666-666666666666', status: 'withdrawn' }),
    ];
    expect(pendingForMe(items, now)).toBe(1);
    expect(pendingForMe([], now)).toBe(0);
  });
});
