import { describe, expect, it } from 'vitest';
import { EMPTY_NEW_TENANT, newTenantRequest, withName, withSlug } from './newTenantModel';

describe('the New tenant form', () => {
  it('derives the slug from the name until the slug is edited by hand', () => {
    const named = withName(EMPTY_NEW_TENANT, 'Zöller Bank AG');
    expect(named.slug).toBe('zoller-bank-ag');
    const edited = withSlug(named, 'Zoeller');
    expect(edited).toMatchObject({ slug: 'zoeller', slugEdited: true });
    expect(withName(edited, 'Zöller Bank').slug).toBe('zoeller');
    // Clearing the slug hands it back to the name.
    expect(withName(withSlug(edited, ''), 'Acme').slug).toBe('acme');
  });

  it('is quiet while empty and names what to fix once something is typed', () => {
    expect(newTenantRequest(EMPTY_NEW_TENANT)).toEqual({ request: null, problems: {} });
    const d = { ...withName(EMPTY_NEW_TENANT, 'Acme'), ownerEmail: 'owner' };
    expect(newTenantRequest(d).problems).toEqual({ ownerEmail: expect.stringMatching(/email/) });
    expect(newTenantRequest(withSlug(d, '-acme-')).problems.slug).toMatch(/hyphen/);
  });

  it('builds the request the service takes', () => {
    const d = { ...withName(EMPTY_NEW_TENANT, 'Acme Analytics'), region: 'us' as const, plan: 'enterprise' as const, ownerEmail: ' ops@acme.example ' };
    expect(newTenantRequest(d)).toEqual({
      request: { name: 'Acme Analytics', slug: 'acme-analytics', region: 'us', plan: 'enterprise', ownerEmail: 'ops@acme.example' },
      problems: {},
    });
  });
});
