import { applyIncidentEdit, type EditProblem, type IncidentEdit } from '../../../shared/incidents/edits';
import type { Incident, SentNotice } from '../../../shared/incidents/incident';
import type { ErrorCode } from '../../../shared/errors/codes';
import type { IncidentEditInput } from '../../../shared/ipc/incidents';
import { CoreError } from '../core-error';
import type { Replica } from '../offline/replica-database';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const REFUSAL_CODES: Readonly<Record<Exclude<EditProblem, 'version_conflict' | 'wrong_incident'>, ErrorCode>> = {
  same_status: 'no_change',
  same_severity: 'no_change',
  same_details: 'no_change',
  tenant_not_affected: 'tenant_not_affected',
  transition_not_allowed: 'transition_not_allowed',
  time_before_detection: 'incident_time_before_detection',
  downgrade_reason_required: 'downgrade_reason_required',
  unsent_notices_reason_required: 'unsent_notices_reason_required',
};
const refusedEdit = (problem: EditProblem): CoreError => {
  const code = problem === 'version_conflict' || problem === 'wrong_incident' ? 'transition_not_allowed' : REFUSAL_CODES[problem];
  const message =
    problem === 'time_before_detection'
      ? 'Awareness and verification cannot be before the incident was detected.'
      : problem === 'downgrade_reason_required'
        ? 'Lowering the severity needs a reason.'
        : problem === 'unsent_notices_reason_required'
          ? 'Notices the policy asks for are not sent yet; send them, or give a reason to resolve anyway.'
          : `This edit cannot apply to the incident as it stands (${problem.replaceAll('_', ' ')}).`;
  return new CoreError(code, message);
};

/**
 * The edit to journal for a change to the incident as the user sees it (pending edits
 * applied), stamped `at`; refused now when it could never apply, rather than journaled
 * for a certain conflict.
 */
export function offlineEdit(incident: Incident, replica: Replica, change: IncidentEditInput['change'], at: string, sent: readonly SentNotice[]): IncidentEdit {
  const incidentId = incident.id;
  const edit: IncidentEdit =
    change.kind === 'note' || change.kind === 'notification_sent'
      ? { ...change, incidentId, at }
      : ({ ...change, incidentId, at, baseVersion: incident.version } as IncidentEdit);
  const check = applyIncidentEdit(incident, edit, { entryId: NIL_UUID, actorId: NIL_UUID, sent });
  if (typeof check === 'string') throw refusedEdit(check);
  if (edit.kind === 'details') {
    // The service keeps a tenant that was already notified; say so now, not after a sync.
    const removed = incident.affectedTenantIds.filter((t) => !check.incident.affectedTenantIds.includes(t));
    const notified = (replica.notices(incidentId)?.notices ?? []).filter((n) => n.sentAt !== null && removed.includes(n.tenantId));
    if (notified.length > 0) {
      throw new CoreError('tenant_already_notified', `${[...new Set(notified.map((n) => n.tenantName))].join(', ')} already received a notice and stays affected.`);
    }
  }
  return edit;
}
