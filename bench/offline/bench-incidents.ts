import type { Incident } from '../../shared/incidents/incident';
import { sampleIncident } from '../../shared/incidents/incident.fixture';

/** Where the offline benches' clocks start. */
export const BENCH_START = Date.parse('2026-01-01T00:00:00Z');

/** The offline benches' incident number i: severities, statuses and personal data cycling, detected a minute apart from 2026. */
export const benchIncident = (i: number, extra: Partial<Incident> = {}): Incident =>
  sampleIncident({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    title: `Incident ${i}`,
    severity: (['P0', 'P1', 'P2', 'P3'] as const)[i % 4]!,
    status: (['detected', 'triaged', 'contained', 'resolved'] as const)[i % 4]!,
    personalData: i % 3 === 0,
    detectedAt: new Date(BENCH_START + i * 60_000).toISOString(),
    ...extra,
  });
