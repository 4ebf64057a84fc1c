import type { Incident, IncidentDetails } from '../../../../shared/incidents/incident';
import type { TimeZoneChoice } from '../../platform/dateTime';
import { parseFieldText, toFieldText } from '../../platform/dateTimeInput';

/** The "Edit details" form as typed: times as DateTimeField text in the shown zone ('' = not set). */
export interface DetailsDraft {
  title: string;
  description: string;
  personalData: boolean;
  awareAt: string;
  verifiedAt: string;
  affectedTenantIds: string[];
}

export const draftOf = (incident: Incident, zone: TimeZoneChoice): DetailsDraft => ({
  title: incident.title,
  description: incident.description,
  personalData: incident.personalData,
  awareAt: toFieldText(incident.awareAt, zone),
  verifiedAt: toFieldText(incident.verifiedAt, zone),
  affectedTenantIds: [...incident.affectedTenantIds],
});

export type DetailsField = keyof DetailsDraft;

/**
 * Only the fields the user changed, checked the way the service will (so the
 * form says what is wrong before anything is journaled), or the first problem.
 * A time left at the minute it showed keeps its stored seconds.
 */
export const detailsChanges = (
  incident: Incident,
  draft: DetailsDraft,
  now: Date,
  zone: TimeZoneChoice,
): { ok: true; changes: IncidentDetails } | { ok: false; field: DetailsField; message: string } => {
  const changes: IncidentDetails = {};
  const title = draft.title.trim();
  if (title === '') return { ok: false, field: 'title', message: 'Give the incident a title.' };
  if (title.length > 200) return { ok: false, field: 'title', message: 'Keep the title to 200 characters.' };
  if (title !== incident.title) changes.title = title;
  if (draft.description.length > 20_000) return { ok: false, field: 'description', message: 'Keep the description to 20,000 characters.' };
  if (draft.description !== incident.description) changes.description = draft.description;
  if (draft.personalData !== incident.personalData) changes.personalData = draft.personalData;
  const tenants = [...new Set(draft.affectedTenantIds)].sort();
  const current = [...incident.affectedTenantIds].sort();
  if (tenants.join() !== current.join()) changes.affectedTenantIds = tenants as IncidentDetails['affectedTenantIds'];
  for (const field of ['awareAt', 'verifiedAt'] as const) {
    const value = draft[field];
    if (value === toFieldText(incident[field], zone)) continue;
    if (value.trim() === '') {
      changes[field] = null;
      continue;
    }
    const typed = parseFieldText(value, zone);
    const label = field === 'awareAt' ? 'Aware at' : 'Verified at';
    if (!typed.ok) return { ok: false, field, message: `${label}: ${typed.message}.` };
    const ms = typed.ms;
    // The form works to the minute: the detection minute itself is allowed, stored as no earlier than detection.
    if (ms < Math.floor(Date.parse(incident.detectedAt) / 60_000) * 60_000) return { ok: false, field, message: `${label} cannot be before the incident was detected (${toFieldText(incident.detectedAt, zone)}).` };
    if (ms > now.getTime()) return { ok: false, field, message: `${label} cannot be in the future.` };
    changes[field] = new Date(Math.max(ms, Date.parse(incident.detectedAt))).toISOString();
  }
  return { ok: true, changes };
};
