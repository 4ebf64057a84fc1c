import { describe, expect, it } from 'vitest';
import type { AccessReviewItem, AccessReviewSummary } from '../../../../shared/access-reviews/schemas';
import { campaignState, closeBlocker, defaultDueDate, endOfDay, keepable, progress, sortCampaigns } from './reviewsModel';

const summary = (over: Partial<AccessReviewSummary>): AccessReviewSummary => ({
  id: 'r',
  tenantId: '11111111-1111-4111-8111-111111111111',
  title: 'Q1',
  startedBy: { userId: '22222222-2222-4222-8222-222222222222', email: 'a@example.com' },
  startedAt: '2026-01-01T00:00:00Z',
  dueAt: '2026-04-01T00:00:00Z',
  status: 'open',
  overdue: false,
  closedBy: null,
  closedAt: null,
  counts: { memberships: 5, decided: 2, keep: 2, changeRole: 0, remove: 0 },
  ...over,
});

describe('access reviews model', () => {
  it('defaults the due date to 90 days from today', () => {
    expect(defaultDueDate(new Date(2026, 0, 1, 12))).toBe('2026-04-01');
    expect(new Date(endOfDay('2026-04-01')).getDate()).toBe(1);
  });
  it('names a campaign’s state and progress, and lists overdue ones first', () => {
    expect(campaignState(summary({ overdue: true }))).toBe('overdue');
    expect(campaignState(summary({ status: 'closed' }))).toBe('closed');
    expect(progress(summary({}))).toBe('2 of 5 decided');
    const items = [
      summary({ id: 'closed', status: 'closed', startedAt: '2026-03-01T00:00:00Z' }),
      summary({ id: 'open' }),
      summary({ id: 'late', overdue: true, startedAt: '2025-01-01T00:00:00Z' }),
    ];
    expect(sortCampaigns(items).map((r) => r.id)).toEqual(['late', 'open', 'closed']);
  });

  const ME = '99999999-9999-4999-8999-999999999999';
  const item = (over: Partial<AccessReviewItem>): AccessReviewItem => ({
    userId: '77777777-7777-4777-8777-777777777777',
    email: 'x@example.com',
    displayName: 'X',
    role: 'editor',
    decision: null,
    newRole: null,
    comment: null,
    decidedBy: null,
    decidedAt: null,
    outcome: null,
    lastSignInAt: null,
    mfaEnrolled: true,
    ...over,
  });

  it('says why Close cannot run: undecided (one’s own said apart), one’s own removals or upgrades, no owner left', () => {
    const owner = item({ userId: ME, role: 'owner', decision: 'keep', decidedBy: { userId: '88888888-8888-4888-8888-888888888888', email: 'o@example.com' } });
    expect(closeBlocker([owner, item({}), item({ userId: 'b' })], ME)).toBe('2 memberships still need a decision.');
    expect(closeBlocker([owner, item({})], ME)).toBe('1 membership still needs a decision.');
    expect(closeBlocker([{ ...owner, decision: null }], ME)).toBe('Your own membership still needs a decision, by another owner, admin or reviewer.');
    const mine = { userId: ME, email: 'me@example.com' };
    expect(closeBlocker([owner, item({ decision: 'remove', decidedBy: mine })], ME)).toMatch(/^You decided removals or role upgrades/);
    expect(closeBlocker([owner, item({ decision: 'change_role', newRole: 'admin', decidedBy: mine })], ME)).toMatch(/^You decided removals or role upgrades/);
    // A downgrade one decided does not block.
    expect(closeBlocker([owner, item({ role: 'admin', decision: 'change_role', newRole: 'viewer', decidedBy: mine })], ME)).toBeNull();
    expect(closeBlocker([{ ...owner, decision: 'change_role', newRole: 'admin' }, item({ decision: 'keep', decidedBy: mine })], ME)).toBe('Closing would leave the tenant without an owner: keep one.');
  });

  it('keeps all undecided but one’s own', () => {
    expect(keepable([item({ userId: ME }), item({}), item({ userId: 'b', decision: 'remove' })], ME)).toBe(1);
  });
});
