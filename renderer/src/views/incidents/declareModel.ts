import type { Severity } from '../../../../shared/incidents/incident';
import { DeclareIncidentInputSchema, type DeclareIncidentInput } from '../../../../shared/ipc/incidents';
import { isoToLocal } from './detailsModel';

/** The Declare form as typed: times as datetime-local values in the user's time zone. */
export interface DeclareDraft {
  title: string;
  description: string;
  severity: Severity;
  personalData: boolean;
  affectedTenantIds: string[];
  detectedAt: string;
  awareAt: string;
}

export type DeclareField = keyof DeclareDraft;

export const emptyDeclaration = (now: Date): DeclareDraft => ({
  title: '',
  description: '',
  severity: 'P1',
  personalData: false,
  affectedTenantIds: [],
  detectedAt: isoToLocal(now.toISOString()),
  awareAt: '',
});

const SKEW_MS = 5 * 60_000;
const instant = (local: string): number => (local === '' ? Number.NaN : new Date(local).getTime());

/** The request to journal, checked as the core and the service will check it, or the first problem with the field it is about. */
export function declaration(draft: DeclareDraft, now: Date): { ok: true; input: DeclareIncidentInput } | { ok: false; field: DeclareField; message: string } {
  if (draft.title.trim() === '') return { ok: false, field: 'title', message: 'Give the incident a title.' };
  const detected = instant(draft.detectedAt);
  if (Number.isNaN(detected)) return { ok: false, field: 'detectedAt', message: 'Enter when it was detected.' };
  if (detected > now.getTime() + SKEW_MS) return { ok: false, field: 'detectedAt', message: 'Detection cannot be in the future.' };
  const aware = instant(draft.awareAt);
  if (draft.personalData && draft.awareAt !== '' && Number.isNaN(aware)) return { ok: false, field: 'awareAt', message: 'Enter a valid time, or leave it empty.' };
  if (draft.personalData && !Number.isNaN(aware) && aware < detected) return { ok: false, field: 'awareAt', message: 'Awareness cannot be before detection.' };
  if (draft.personalData && !Number.isNaN(aware) && aware > now.getTime() + SKEW_MS) return { ok: false, field: 'awareAt', message: 'Awareness cannot be in the future.' };
  const parsed = DeclareIncidentInputSchema.safeParse({
    title: draft.title.trim(),
    description: draft.description,
    severity: draft.severity,
    personalData: draft.personalData,
    affectedTenantIds: draft.affectedTenantIds,
    detectedAt: new Date(detected).toISOString(),
    // Personal data with no awareness time given: the responder knows now.
    awareAt: draft.personalData ? new Date(Number.isNaN(aware) ? Math.max(now.getTime(), detected) : aware).toISOString() : null,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = (issue.path[0] as DeclareField | undefined) ?? 'title';
    return { ok: false, field, message: `${field === 'title' ? 'Title' : field === 'description' ? 'Description' : 'This field'} ${issue.message}.` };
  }
  return { ok: true, input: parsed.data };
}
