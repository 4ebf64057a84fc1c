import type { Severity } from '../../../../shared/incidents/incident';
import { DeclareIncidentInputSchema, type DeclareIncidentInput } from '../../../../shared/ipc/incidents';
import type { TimeZoneChoice } from '../../platform/dateTime';
import { parseFieldText, toFieldText } from '../../platform/dateTimeInput';

/** The Declare form as typed: times as DateTimeField text in the shown zone. */
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

export const emptyDeclaration = (now: Date, zone: TimeZoneChoice): DeclareDraft => ({
  title: '',
  description: '',
  severity: 'P1',
  personalData: false,
  affectedTenantIds: [],
  detectedAt: toFieldText(now.getTime(), zone),
  awareAt: '',
});

const SKEW_MS = 5 * 60_000;
/** The request to journal, checked as the core and the service will check it, or the first problem with the field it is about. */
export function declaration(draft: DeclareDraft, now: Date, zone: TimeZoneChoice): { ok: true; input: DeclareIncidentInput } | { ok: false; field: DeclareField; message: string } {
  if (draft.title.trim() === '') return { ok: false, field: 'title', message: 'Give the incident a title.' };
  if (draft.detectedAt.trim() === '') return { ok: false, field: 'detectedAt', message: 'Enter when it was detected.' };
  const typedDetection = parseFieldText(draft.detectedAt, zone);
  if (!typedDetection.ok) return { ok: false, field: 'detectedAt', message: `Detected at: ${typedDetection.message}.` };
  const detected = typedDetection.ms;
  if (detected > now.getTime() + SKEW_MS) return { ok: false, field: 'detectedAt', message: 'Detection cannot be in the future.' };
  const typedAwareness = draft.awareAt.trim() === '' ? null : parseFieldText(draft.awareAt, zone);
  if (draft.personalData && typedAwareness?.ok === false) return { ok: false, field: 'awareAt', message: `Aware at: ${typedAwareness.message}, or leave it empty.` };
  const aware = typedAwareness?.ok ? typedAwareness.ms : Number.NaN;
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
