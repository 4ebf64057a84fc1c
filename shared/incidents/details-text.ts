import type { IncidentDetails } from './incident';

const utc = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * A details change in words, one clause per field, in a fixed order: what the
 * timeline, the review document and a conflict note say. Tenants by name where
 * the caller knows it.
 */
export function describeDetails(d: IncidentDetails, tenantName: (id: string) => string = (id) => id): string {
  const parts: string[] = [];
  if (d.title !== undefined) parts.push(`title “${d.title}”`);
  if (d.description !== undefined) parts.push(d.description.trim() === '' ? 'description cleared' : 'description edited');
  if (d.affectedTenantIds !== undefined) parts.push(`affected tenants ${d.affectedTenantIds.map(tenantName).join(', ') || 'none'}`);
  if (d.personalData !== undefined) parts.push(`personal data ${d.personalData ? 'yes' : 'no'}`);
  if (d.awareAt !== undefined) parts.push(`aware at ${d.awareAt === null ? 'not set' : utc(d.awareAt)}`);
  if (d.verifiedAt !== undefined) parts.push(`verified at ${d.verifiedAt === null ? 'not set' : utc(d.verifiedAt)}`);
  return parts.join('; ');
}
