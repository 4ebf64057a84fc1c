import { describe, expect, it } from 'vitest';
import type { AccessReviewSummary } from '../../../../shared/access-reviews/schemas';
import { campaignState, defaultDueDate, endOfDay, progress, sortCampaigns } from './reviewsModel';

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
});
