import { describe, expect, it } from 'vitest';
import type { Me } from '../../../shared/identity/schemas';
import type { TenantId } from '../../../shared/tenants/tenant';
import { allowed, roleLabel } from './grants';

const ACME = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d' as TenantId;
const OTHER = '11111111-2222-4333-8444-555555555555';
const me = (over: Partial<Me> = {}): Me => ({
  user: { id: '0b7e6c4a-1d2e-4f3a-8b5c-6d7e8f9a0b1c', email: 'ada@acme.example', displayName: 'Ada' },
  platformRoles: [],
  memberships: [{ tenantId: ACME, tenantName: 'Acme', role: 'editor' }],
  mfa: { enrolled: true, recoveryCodesRemaining: 10 },
  session: {
    id: '2b7e6c4a-1d2e-4f3a-8b5c-6d7e8f9a0b1c',
    createdAt: '2024-05-01T09:30:00.000Z',
    idleExpiresAt: '2024-05-15T09:30:00.000Z',
    absoluteExpiresAt: '2024-05-31T09:30:00.000Z',
    stepUpUntil: null,
  },
  ...over,
});

describe('grants in the renderer', () => {
  it('hides what the shared matrix refuses', () => {
    expect(allowed(me(), 'members.change_role', ACME)).toBe(false);
    expect(allowed(me({ memberships: [{ tenantId: ACME, tenantName: 'Acme', role: 'admin' }] }), 'members.change_role', ACME)).toBe(true);
    expect(allowed(me({ memberships: [{ tenantId: ACME, tenantName: 'Acme', role: 'admin' }] }), 'members.change_role', OTHER)).toBe(false);
    expect(allowed(me({ platformRoles: ['auditor'], memberships: [] }), 'members.read', OTHER)).toBe(true);
    expect(allowed(me({ platformRoles: ['auditor'], memberships: [] }), 'members.change_role', OTHER)).toBe(false);
    expect(allowed(null, 'tenants.list', null)).toBe(false);
  });

  it('names the role in the selected tenant, else the platform role', () => {
    expect(roleLabel(me(), ACME)).toBe('Editor in Acme');
    expect(roleLabel(me({ platformRoles: ['security_officer'] }), OTHER)).toBe('Security officer');
    expect(roleLabel(me(), OTHER)).toBe('No role in this tenant');
    expect(roleLabel(me(), null)).toBe('Editor in Acme');
  });
});
