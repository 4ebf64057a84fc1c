import type { IncidentListItem } from '../../../../shared/ipc/incidents';
import type { TrustSection } from '../../../../shared/posture/control';
import type { SectionId } from '../../shell/sectionIds';
import type { MemberFilters } from '../users/membersStore';

/** Where the evidence behind a control is looked at in the console. */
export type DrillDown =
  | { readonly kind: 'users'; readonly label: string; readonly filters: MemberFilters }
  | { readonly kind: 'sessions'; readonly label: string; readonly flaggedOnly: boolean }
  | { readonly kind: 'missedIncidents'; readonly label: string }
  | { readonly kind: 'section'; readonly label: string; readonly section: SectionId };

export const DRILL_DOWNS: Readonly<Record<string, DrillDown | null>> = {
  'auth.mfa': { kind: 'users', label: 'Active members without MFA', filters: { status: 'active', mfa: 'not_enrolled' } },
  // Read from the running service's configuration: nothing in the console holds more.
  'auth.password_hashing': null,
  'transport.tls': null,
  'auth.anomalous_sign_ins': { kind: 'sessions', label: 'Flagged sign-ins to review', flaggedOnly: true },
  'sessions.limits': { kind: 'section', label: "The tenant's session limits", section: 'tenants' },
  'sessions.refresh_rotation': { kind: 'section', label: 'Session revocations in the audit log', section: 'audit' },
  'access.least_privilege': { kind: 'users', label: 'Active members by role', filters: { status: 'active', sort: 'role', order: 'asc' } },
  'access.reviews': { kind: 'section', label: 'Access review campaigns', section: 'reviews' },
  'access.no_break_glass': { kind: 'section', label: 'Approval requests', section: 'approvals' },
  'access.api_tokens': { kind: 'users', label: 'API tokens (Users view)', filters: {} },
  'audit.integrity': { kind: 'section', label: 'The audit log and its verification', section: 'audit' },
  'incidents.deadlines': { kind: 'missedIncidents', label: 'Incidents with a missed deadline' },
};

const BY_SECTION: Partial<Record<TrustSection, DrillDown>> = {
  Authentication: { kind: 'users', label: 'Members', filters: {} },
  Sessions: { kind: 'sessions', label: 'Flagged sign-ins', flaggedOnly: true },
  'Authorization and access governance': { kind: 'users', label: 'Members', filters: {} },
  'Audit log': { kind: 'section', label: 'The audit log', section: 'audit' },
  'Incident response': { kind: 'section', label: 'Incidents', section: 'incidents' },
};

/**
 * The drill-down of a control: named ones first, then by section for controls added
 * later (a flag-review control lands on the flagged sessions). The platform's posture
 * has no members or sessions of its own to list, so those drill-downs are tenant-only.
 */
export const drillDownOf = (control: { id: string; section: TrustSection }, platform: boolean): DrillDown | null => {
  const target = control.id in DRILL_DOWNS ? DRILL_DOWNS[control.id]! : control.id.includes('flag') ? BY_SECTION.Sessions! : (BY_SECTION[control.section] ?? null);
  if (target && platform && (target.kind === 'users' || target.kind === 'sessions')) return null;
  return target;
};

export interface MissedIncident {
  readonly incidentId: string;
  readonly title: string;
  readonly severity: string;
  /** The labels of the clocks it missed, in policy order. */
  readonly missed: readonly string[];
}

/** The incidents with at least one missed deadline, most recently detected first. */
export const incidentsWithMissedDeadline = (items: readonly IncidentListItem[]): MissedIncident[] =>
  items
    .filter((i) => i.deadlines.some((d) => d.state === 'missed'))
    .sort((a, b) => b.incident.detectedAt.localeCompare(a.incident.detectedAt))
    .map((i) => ({
      incidentId: i.incident.id,
      title: i.incident.title,
      severity: i.incident.severity,
      missed: i.deadlines.filter((d) => d.state === 'missed').map((d) => d.label),
    }));
