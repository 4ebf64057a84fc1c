import { describe, expect, it } from 'vitest';
import { ACTIONS, can, PERMISSIONS } from './permissions';
import { PLATFORM_ROLES, TENANT_ROLES } from './roles';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';

describe('permission matrix', () => {
  it('names only known roles', () => {
    for (const action of ACTIONS) {
      const rule = PERMISSIONS[action];
      for (const r of rule.tenantRoles) expect(TENANT_ROLES).toContain(r);
      for (const r of rule.platformRoles) expect(PLATFORM_ROLES).toContain(r);
    }
  });
  it('gives the auditor reads only', () => {
    const auditorWrites = ACTIONS.filter((a) => PERMISSIONS[a].kind === 'write' && can({ platformRoles: ['auditor'], memberships: [] }, a, T1));
    expect(auditorWrites).toEqual([]);
  });
  it('lets an owner do everything a tenant role can, and a viewer no writes', () => {
    for (const action of ACTIONS) {
      const someTenantRole = PERMISSIONS[action].tenantRoles.length > 0;
      expect(can({ platformRoles: [], memberships: [{ tenantId: T1, role: 'owner' }] }, action, T1)).toBe(someTenantRole);
      if (PERMISSIONS[action].kind === 'write') {
        expect(can({ platformRoles: [], memberships: [{ tenantId: T1, role: 'viewer' }] }, action, T1)).toBe(false);
      }
    }
  });
  it("never grants a tenant role in another tenant", () => {
    for (const role of TENANT_ROLES) {
      for (const action of ACTIONS) {
        expect(can({ platformRoles: [], memberships: [{ tenantId: T1, role }] }, action, T2)).toBe(false);
      }
    }
  });
  it('marks every destructive write as needing step-up', () => {
    expect(PERMISSIONS['members.change_role'].stepUp).toBe(true);
    expect(PERMISSIONS['mfa.reset'].stepUp).toBe(true);
    expect(PERMISSIONS['sessions.revoke'].stepUp).toBe(true);
    expect(PERMISSIONS['members.deactivate'].stepUp).toBe(true);
    expect(PERMISSIONS['mfa_policy.write'].stepUp).toBe(true);
    for (const action of ACTIONS) if (PERMISSIONS[action].kind === 'read') expect(PERMISSIONS[action].stepUp).toBe(false);
  });  it('lets owners and admins, not editors or reviewers, invite, deactivate and set MFA enforcement', () => {
    for (const action of ['members.invite', 'members.deactivate', 'mfa_policy.write', 'mfa.reset'] as const) {
      const as = (role: 'owner' | 'admin' | 'editor' | 'reviewer') => can({ platformRoles: [], memberships: [{ tenantId: T1, role }] }, action, T1);
      expect([as('owner'), as('admin'), as('editor'), as('reviewer')]).toEqual([true, true, false, false]);
      expect(can({ platformRoles: ['auditor'], memberships: [] }, action, T1)).toBe(false);
    }
  });
  it('lets owners and admins manage API tokens (step-up), platform staff only read and revoke them', () => {
    const as = (role: 'owner' | 'admin' | 'editor' | 'viewer', a: 'api_tokens.read' | 'api_tokens.manage' | 'api_tokens.revoke') =>
      can({ platformRoles: [], memberships: [{ tenantId: T1, role }] }, a, T1);
    expect((['owner', 'admin', 'editor', 'viewer'] as const).map((r) => as(r, 'api_tokens.manage'))).toEqual([true, true, false, false]);
    expect(PERMISSIONS['api_tokens.manage'].stepUp).toBe(true);
    expect(can({ platformRoles: ['security_officer'], memberships: [] }, 'api_tokens.manage', T1)).toBe(false);
    expect(can({ platformRoles: ['security_officer'], memberships: [] }, 'api_tokens.revoke', T1)).toBe(true);
    expect(can({ platformRoles: ['auditor'], memberships: [] }, 'api_tokens.read', T1)).toBe(true);
  });
  it("keeps a tenant's creation, plan and suspension with platform staff, and lets operator tokens skip step-up only to create tenants", () => {
    for (const action of ['tenants.create', 'tenants.plan', 'tenants.suspend'] as const) {
      expect(PERMISSIONS[action].tenantRoles).toEqual([]);
      expect(PERMISSIONS[action].stepUp).toBe(true);
      for (const role of TENANT_ROLES) expect(can({ platformRoles: [], memberships: [{ tenantId: T1, role }] }, action, T1)).toBe(false);
    }
    expect(ACTIONS.filter((a) => (PERMISSIONS[a] as { operatorTokens?: boolean }).operatorTokens === true)).toEqual(['tenants.create']);
    const settingsWriters = TENANT_ROLES.filter((role) => can({ platformRoles: [], memberships: [{ tenantId: T1, role }] }, 'tenant_settings.write', T1));
    expect(settingsWriters).toEqual(['owner', 'admin']);
    expect(can({ platformRoles: ['auditor'], memberships: [] }, 'tenants.summary', T1)).toBe(true);
    expect(can({ platformRoles: [], memberships: [{ tenantId: T1, role: 'reviewer' }] }, 'tenants.summary', T1)).toBe(false);
  });
});
