import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action } from '../identity/permissions';
import { endpoints } from './endpoints';

describe('endpoints', () => {
  it('declares unique method+path pairs under /v1, but the published trust pages: public GET documents under /trust/', () => {
    const keys = Object.values(endpoints).map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [name, e] of Object.entries(endpoints)) {
      if (e.path.startsWith('/trust/')) expect([e.method, e.permission, e.document !== undefined], name).toEqual(['GET', 'public', true]);
      else expect(e.path.startsWith('/v1/'), name).toBe(true);
    }
  });
  it('leaves only health, openapi, the sign-in steps, accepting an invite (its token is the credential) and the published trust pages open to callers without credentials', () => {
    const open = Object.entries(endpoints)
      .filter(([, e]) => e.permission === 'public' || e.permission === 'optional')
      .map(([name]) => name)
      .sort();
    expect(open).toEqual(['acceptInvite', 'enrolComplete', 'enrolStart', 'health', 'login', 'mfa', 'openapi', 'publicTrustPage', 'publicTrustPageBundle', 'refresh']);
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
