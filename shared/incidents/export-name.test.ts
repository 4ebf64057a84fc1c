import { describe, expect, it } from 'vitest';
import { fileNamePart, incidentExportName, numberedName } from './export-name';

const id = '7D0C4C1E-8f5e-4a57-9a43-4f3c2b1a0e9d';

describe('incident export file names', () => {
  it('carry the incident, the kind and the tenant', () => {
    expect(incidentExportName({ incidentId: id, incidentTitle: 'Leaked API keys', document: 'customer', tenantName: 'Acme Corp', extension: 'md' })).toBe(
      'incident-leaked-api-keys-7d0c4c1e-customer-notice-acme-corp.md',
    );
    expect(incidentExportName({ incidentId: id, incidentTitle: 'Leaked API keys', document: 'review', tenantName: null, extension: 'pdf' })).toBe(
      'incident-leaked-api-keys-7d0c4c1e-review.pdf',
    );
  });

  it('are sanitised: no separators, dots, reserved or control characters, accents folded, bounded, never empty', () => {
    for (const hostile of ['../../etc/passwd', 'a\\b:c*d?e"f<g>h|i', 'CON', 'nul\u0000x', '\u202Ertl', '   ', '…', 'x'.repeat(500)]) {
      const part = fileNamePart(hostile);
      expect(part).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(part.length).toBeLessThanOrEqual(40);
    }
    expect(fileNamePart('Café Zürich GmbH')).toBe('cafe-zurich-gmbh');
    expect(fileNamePart('   ')).toBe('untitled');
    expect(incidentExportName({ incidentId: id, incidentTitle: '../x', document: 'breach', tenantName: 'Ünïcode / Tenant', extension: 'md' })).toBe(
      'incident-x-7d0c4c1e-breach-notice-unicode-tenant.md',
    );
  });

  it('number a taken name before its extension', () => {
    expect([numberedName('a.md', 1), numberedName('a.md', 2), numberedName('a.b.pdf', 3), numberedName('noext', 2)]).toEqual(['a.md', 'a (2).md', 'a.b (3).pdf', 'noext (2)']);
  });
});
