import { CreateTenantRequestSchema, type CreateTenantRequest } from '../../../../shared/tenants/api';
import { SLUG_MESSAGE, slugFromName } from '../../../../shared/tenants/slug';
import type { Plan, Region } from '../../../../shared/tenants/tenant';

export interface NewTenantDraft {
  name: string;
  slug: string;
  /** The person typed a slug of their own: it no longer follows the name. */
  slugEdited: boolean;
  region: Region;
  plan: Plan;
  ownerEmail: string;
}

export const EMPTY_NEW_TENANT: NewTenantDraft = { name: '', slug: '', slugEdited: false, region: 'eu', plan: 'team', ownerEmail: '' };

/** A name change carries the slug along until the slug was edited by hand. */
export const withName = (d: NewTenantDraft, name: string): NewTenantDraft => ({ ...d, name, slug: d.slugEdited ? d.slug : name.trim() === '' ? '' : slugFromName(name) });
export const withSlug = (d: NewTenantDraft, slug: string): NewTenantDraft => ({ ...d, slug: slug.toLowerCase(), slugEdited: slug !== '' });

export type NewTenantProblems = Partial<Record<'name' | 'slug' | 'ownerEmail', string>>;

const MESSAGES: Record<keyof NewTenantProblems, string> = {
  name: 'A name of 1 to 200 characters.',
  slug: `The slug: ${SLUG_MESSAGE}.`,
  ownerEmail: 'The first owner’s email address.',
};

/** The request, or what to fix per field (only for fields that hold something, so an empty form is quiet). */
export const newTenantRequest = (d: NewTenantDraft): { request: CreateTenantRequest | null; problems: NewTenantProblems } => {
  const parsed = CreateTenantRequestSchema.safeParse({ name: d.name, slug: d.slug, region: d.region, plan: d.plan, ownerEmail: d.ownerEmail.trim() });
  if (parsed.success) return { request: parsed.data, problems: {} };
  const problems: NewTenantProblems = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === 'name' || field === 'slug' || field === 'ownerEmail') && d[field].trim() !== '') problems[field] = MESSAGES[field];
  }
  return { request: null, problems };
};
