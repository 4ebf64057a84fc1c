import { describe, expect, it } from 'vitest';
import { deadlineMoves, isDowngrade, owedNotices } from './deadline-moves';
import type { TenantId } from '../tenants/tenant';
import type { Incident } from './incident';

const H = 3_600_000;
const detectedAt = '2026-11-23T00:00:00.000Z';
const plus = (ms: number) => new Date(Date.parse(detectedAt) + ms).toISOString();
const A = '0b0e1c2d-0000-4000-8000-00000000000a' as TenantId;
const B = '0b0e1c2d-0000-4000-8000-00000000000b' as TenantId;
const base: Incident = {
  id: '0b0e1c2d-0000-4000-8000-000000000001',
  title: 'Leaked keys',
  description: '',
  severity: 'P0',
  status: 'triaged',
  commanderId: null,
  assigneeIds: [],
  affectedTenantIds: [A, B],
  personalData: false,
  detectedAt,
  awareAt: null,
  verifiedAt: null,
  classifiedAt: plus(H / 4),
  resolvedAt: null,
  reviewPublishedAt: null,
  version: 3,
  createdAt: detectedAt,
  updatedAt: detectedAt,
};

describe('deadline moves', () => {
  it('a downgrade P0 → P1 moves the customer notice from 24 h to 72 h after classification; the met classification is left out', () => {
    expect(deadlineMoves(base, { ...base, severity: 'P1' }, [])).toEqual([
      { id: 'customer_notice', from: { due: plus(H / 4 + 24 * H) }, to: { due: plus(H / 4 + 72 * H) } },
    ]);
  });

  it('P1 → P2 drops the customer notice and the review; P2 → P0 asks for them again', () => {
    const p1 = { ...base, severity: 'P1' as const };
    const p2 = { ...base, severity: 'P2' as const };
    expect(deadlineMoves(p1, p2, [])).toEqual([
      { id: 'customer_notice', from: { due: plus(H / 4 + 72 * H) }, to: 'not_required' },
      { id: 'post_incident_review', from: 'not_started', to: 'not_required' },
    ]);
    expect(deadlineMoves(p2, base, []).map((m) => [m.id, m.from, m.to])).toEqual([
      ['customer_notice', 'not_required', { due: plus(H / 4 + 24 * H) }],
      ['post_incident_review', 'not_required', 'not_started'],
    ]);
  });

  it('a customer notice sent to every tenant is met on both sides and does not move', () => {
    const sent = [A, B].map((tenantId) => ({ notice: 'customer' as const, tenantId, at: plus(H) }));
    expect(deadlineMoves(base, { ...base, severity: 'P1' }, sent)).toEqual([]);
    // Sent to one tenant only: still owed, still moves.
    expect(deadlineMoves(base, { ...base, severity: 'P1' }, sent.slice(0, 1))).toHaveLength(1);
  });

  it('nothing moves when nothing the policy reads changes', () => {
    expect(deadlineMoves(base, { ...base, status: 'contained', version: 4 } as Incident, [])).toEqual([]);
  });

  it('a downgrade is a later severity', () => {
    expect([isDowngrade('P0', 'P1'), isDowngrade('P1', 'P3'), isDowngrade('P2', 'P1'), isDowngrade('P1', 'P1')]).toEqual([true, true, false, false]);
  });

  it('owes each started notice to each affected tenant until sent; a clock not started owes nothing yet', () => {
    expect(owedNotices(base, [])).toEqual([
      { id: 'customer_notice', notice: 'customer', tenantId: A },
      { id: 'customer_notice', notice: 'customer', tenantId: B },
    ]);
    expect(owedNotices(base, [{ notice: 'customer', tenantId: A, at: plus(H) }])).toEqual([{ id: 'customer_notice', notice: 'customer', tenantId: B }]);
    expect(owedNotices({ ...base, classifiedAt: null }, [])).toEqual([]);
    expect(owedNotices({ ...base, severity: 'P2' }, [])).toEqual([]);
    const breach = { ...base, severity: 'P2' as const, personalData: true, awareAt: plus(H), affectedTenantIds: [] };
    expect(owedNotices(breach, [])).toEqual([{ id: 'regulator_notice', notice: 'regulator', tenantId: null }]);
  });
});
