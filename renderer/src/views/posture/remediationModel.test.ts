import { describe, expect, it } from 'vitest';
import type { Me, Member } from '../../../../shared/identity/schemas';
import { checkDraft, draftOf, ownerChoices } from './remediationModel';

const member = (over: Partial<Member>): Member => ({
  userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e01',
  email: 'a@example.com',
  displayName: 'A',
  role: 'owner',
  mfaEnrolled: true,
  status: 'active',
  lastSignInAt: null,
  ...over,
});
const me = { user: { id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0eff', email: 'sam@attest.example', displayName: 'Sam Okafor' } } as unknown as Me;
const today = new Date('2026-12-05T10:00:00Z');

describe('remediation model', () => {
  it('offers active owners and admins by name, never viewers, editors, reviewers or people not active', () => {
    const members = [
      member({ userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e02', displayName: 'Zoe', email: 'zoe@x.example', role: 'admin' }),
      member({ userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e03', displayName: 'Ann', email: 'ann@x.example' }),
      member({ userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e04', role: 'viewer' }),
      member({ userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e05', role: 'reviewer' }),
      member({ userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e06', status: 'deactivated' }),
      member({ userId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e07', displayName: '', email: 'bob@x.example', role: 'admin' }),
    ];
    expect(ownerChoices(members, me, false).map((o) => o.label)).toEqual(['Ann (ann@x.example)', 'bob@x.example', 'Zoe (zoe@x.example)']);
    expect(ownerChoices(null, me, false)).toEqual([]);
    expect(ownerChoices(members, me, true)).toEqual([{ userId: me.user.id, label: 'Sam Okafor' }]);
  });

  it('starts a new plan due in 30 days, open, owned by the first choice; an existing plan as stored', () => {
    expect(draftOf(undefined, [{ userId: 'u1', label: 'Ann' }], today)).toEqual({ ownerUserId: 'u1', targetDate: '2027-01-04', compensatingControls: '', status: 'open' });
    const stored = { controlId: 'access.reviews', ownerUserId: 'u2', ownerDisplayName: 'Zoe', targetDate: '2027-02-01', compensatingControls: 'Manual', status: 'in_progress' as const, createdAt: '', updatedAt: '' };
    expect(draftOf(stored, [], today)).toEqual({ ownerUserId: 'u2', targetDate: '2027-02-01', compensatingControls: 'Manual', status: 'in_progress' });
  });

  it('says what to fix: no owner, no or past date, no compensating controls; accepts a good draft', () => {
    const good = { ownerUserId: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e01', targetDate: '2027-01-04', compensatingControls: ' Weekly review ', status: 'open' as const };
    expect(checkDraft({ ...good, ownerUserId: '' }, today)).toMatchObject({ ok: false, field: 'ownerUserId' });
    expect(checkDraft({ ...good, targetDate: '' }, today)).toMatchObject({ ok: false, field: 'targetDate' });
    expect(checkDraft({ ...good, targetDate: '2026-12-04' }, today)).toMatchObject({ ok: false, field: 'targetDate', message: expect.stringContaining('past') });
    expect(checkDraft({ ...good, compensatingControls: '   ' }, today)).toMatchObject({ ok: false, field: 'compensatingControls' });
    expect(checkDraft({ ...good, compensatingControls: 'x'.repeat(2001) }, today)).toMatchObject({ ok: false, field: 'compensatingControls' });
    expect(checkDraft(good, today)).toEqual({ ok: true, plan: { ...good, compensatingControls: 'Weekly review' } });
    expect(checkDraft({ ...good, targetDate: '2026-12-05' }, today)).toMatchObject({ ok: true });
  });
});
