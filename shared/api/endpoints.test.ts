import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action } from '../identity/permissions';
import { endpoints } from './endpoints';

describe('endpoints', () => {
  it('declares unique method+path pairs under /v1', () => {
    const keys = Object.values(endpoints).map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of Object.values(endpoints)) expect(e.path.startsWith('/v1/')).toBe(true);
  });
  it('leaves only health, openapi, the sign-in steps and accepting an invite (its token is the credential) open to callers without credentials', () => {
    const open = Object.entries(endpoints)
      .filter(([, e]) => e.permission === 'public' || e.permission === 'optional')
      .map(([name]) => name)
      .sort();
    expect(open).toEqual(['acceptInvite', 'enrolComplete', 'enrolStart', 'health', 'login', 'mfa', 'openapi', 'refresh']);
  });
  it('declares a known permission on every endpoint, and a tenantId path parameter for tenant-scoped ones', () => {
    for (const [name, e] of Object.entries(endpoints)) {
      const p = typeof e.permission === 'object' ? e.permission.action : e.permission;
      expect(p === 'public' || p === 'optional' || p === 'authenticated' || ACTIONS.includes(p as Action), `${name}: ${p}`).toBe(true);
      if (typeof e.permission === 'object') expect(e.path.split('/'), name).toContain(`:${e.permission.ownSession}`);
      if (e.path.includes('/tenants/:')) expect(e.path.startsWith('/v1/tenants/:tenantId'), name).toBe(true);
    }
  });
});
