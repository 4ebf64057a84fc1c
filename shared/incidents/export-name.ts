import type { IncidentDocument } from './documents';

/**
 * A file-name part from free text: ASCII letters and digits joined by single
 * hyphens, accents folded, at most `max` characters; nothing a file system or a
 * shell reads specially (no separators, dots, spaces, reserved characters or
 * control characters), and never empty.
 */
export const fileNamePart = (text: string, max = 40): string => {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return slug === '' ? 'untitled' : slug;
};

/**
 * The name an incident document is saved under: the incident (its title and the
 * start of its id, so two incidents with one title differ), the kind, and the
 * tenant a notice is addressed to. "incident-leaked-keys-7d0c4c1e-customer-notice-acme-corp.md"
 */
export function incidentExportName(doc: { incidentId: string; incidentTitle: string; document: IncidentDocument; tenantName: string | null; extension: 'md' | 'pdf' }): string {
  const kind = doc.document === 'review' ? 'review' : `${doc.document}-notice`;
  const tenant = doc.tenantName === null ? '' : `-${fileNamePart(doc.tenantName, 30)}`;
  return `incident-${fileNamePart(doc.incidentTitle)}-${doc.incidentId.slice(0, 8).toLowerCase()}-${kind}${tenant}.${doc.extension}`;
}

/** The n-th name to try when `name` is taken: "a.md", "a (2).md", "a (3).md" … */
export const numberedName = (name: string, n: number): string => {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? `${name} (${n})` : `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
};
