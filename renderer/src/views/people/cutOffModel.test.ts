import { describe, expect, it } from 'vitest';
import type { CutOffResult } from '../../../../shared/people/schemas';
import type { TenantId } from '../../../../shared/tenants/tenant';
import { describeItem, itemKey, planActs, summarize } from './cutOffModel';

const T = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const result = (outcomes: CutOffResult['items'][number]['outcome'][]): CutOffResult => ({
  userId: T,
  scope: 'tenants',
  items: outcomes.map((outcome, i) => ({ kind: 'sessions.end', tenantId: T, tenantName: `T${i}`, outcome, count: null, code: null, reason: null, approvalId: null })),
});

describe('cut-off wording', () => {
  it('names the tenant and the counts of each item', () => {
    expect(describeItem({ kind: 'membership.deactivate', tenantName: 'Acme', count: null })).toBe('Deactivate their membership in Acme');
    expect(describeItem({ kind: 'api_tokens.revoke', tenantName: 'Acme', count: 2 })).toBe('Revoke 2 live API tokens in Acme');
    expect(describeItem({ kind: 'sessions.end', tenantName: null, count: 1 })).toBe('End 1 live session (every tenant)');
    expect(describeItem({ kind: 'account.lock', tenantName: null, count: null })).toMatch(/^Lock the whole account/);
  });

  it('summarises results without hiding a failure', () => {
    expect(summarize(result(['ok', 'ok', 'failed']))).toBe('2 done, 1 failed.');
    expect(summarize(result(['already', 'approval_requested']))).toBe('1 already so, 1 awaiting another platform admin.');
    expect(summarize(result([]))).toBe('Nothing to do.');
  });

  it('knows when confirming would change nothing, and keys items by kind and tenant', () => {
    const base = { kind: 'account.lock' as const, tenantId: null, tenantName: null, count: null, code: null, reason: null };
    expect(planActs({ userId: T, scope: 'platform', items: [{ ...base, plan: 'done' }, { ...base, plan: 'refused' }] })).toBe(false);
    expect(planActs({ userId: T, scope: 'platform', items: [{ ...base, plan: 'approval' }] })).toBe(true);
    expect(itemKey(base)).toBe('account.lock:account');
  });
});
