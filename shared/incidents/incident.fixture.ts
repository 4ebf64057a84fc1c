import type { Incident } from './incident';

/**
 * Test support: an incident just detected, every later fact still empty, with
 * `overrides` applied. Its creation times follow `detectedAt` unless given.
 */
export const sampleIncident = (overrides: Partial<Incident> = {}): Incident => {
  const detectedAt = overrides.detectedAt ?? '2026-01-01T10:00:00.000Z';
  return {
    id: '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d',
    title: 'Token leak',
    description: '',
    severity: 'P0',
    status: 'detected',
    commanderId: null,
    assigneeIds: [],
    affectedTenantIds: [],
    personalData: false,
    detectedAt,
    awareAt: null,
    verifiedAt: null,
    classifiedAt: null,
    resolvedAt: null,
    reviewPublishedAt: null,
    version: 0,
    createdAt: detectedAt,
    updatedAt: detectedAt,
    ...overrides,
  };
};
