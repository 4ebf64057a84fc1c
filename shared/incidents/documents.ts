import type { NoticeFacts } from './api';
import { describeDetails } from './details-text';
import type { DeadlineStatus } from './deadlines';
import type { Incident, NoticeKind, TimelineEntry } from './incident';

/**
 * The documents an incident produces, as Markdown: a notice to one tenant
 * (drafted from the incident: nature, likely impact, mitigation, contact point)
 * and the post-incident review. Pure, so the service and the console (offline)
 * render the same text.
 */

const NOTICE_TITLES: Readonly<Record<NoticeKind, string>> = {
  customer: 'Security incident notice',
  regulator: 'Personal data breach notification to the supervisory authority',
  breach: 'Notice of a personal data breach',
};

const MITIGATION_BY_STATUS: Readonly<Record<Incident['status'], string>> = {
  detected: 'We are investigating.',
  triaged: 'We have assessed the incident and are working to contain it.',
  contained: 'The incident is contained; we are working on a full resolution.',
  resolved: 'The incident is resolved.',
  review_published: 'The incident is resolved and its review is published.',
};

const orNone = (s: string, fallback: string): string => (s.trim() === '' ? fallback : s.trim());
const day = (iso: string | null): string => (iso === null ? 'not yet' : `${iso.slice(0, 16).replace('T', ' ')} UTC`);

export const noticeTitle = (kind: NoticeKind): string => NOTICE_TITLES[kind];

/** What the console exports: the review, or a tenant's notice of one kind. */
export type IncidentDocument = 'review' | NoticeKind;

export const documentLabel = (document: IncidentDocument): string => (document === 'review' ? 'Post-incident review' : NOTICE_TITLES[document]);

/** The draft of a notice as the incident stands now. */
export function draftNotice(incident: Incident, facts: NoticeFacts, notice: { kind: NoticeKind; tenantName: string }): string {
  const lines = [
    `# ${NOTICE_TITLES[notice.kind]}: ${incident.title}`,
    '',
    `To: ${notice.tenantName}`,
    '',
    '## Nature of the incident',
    '',
    orNone(incident.description, incident.title),
    '',
    `Detected: ${day(incident.detectedAt)}. Severity: ${incident.severity}.${incident.personalData ? ' Personal data is involved.' : ''}`,
    '',
    '## Likely impact',
    '',
    orNone(facts.likelyImpact, 'We are still assessing the impact and will update this notice.'),
    '',
    '## Mitigation taken or planned',
    '',
    `${orNone(facts.mitigation, '')}${facts.mitigation.trim() === '' ? '' : '\n\n'}${MITIGATION_BY_STATUS[incident.status]}`,
    '',
    '## Contact point',
    '',
    orNone(facts.contactPoint, 'Reply to this notice to reach our security team.'),
    '',
  ];
  return lines.join('\n');
}

const describeEntry = (e: TimelineEntry, tenantNames: ReadonlyMap<string, string>): string => {
  switch (e.kind) {
    case 'note':
      return `Note: ${e.text.replace(/\s*\n\s*/g, ' ')}`;
    case 'status_change':
      return `Status ${e.from} → ${e.to}`;
    case 'severity_change':
      return `Severity ${e.from} → ${e.to}`;
    case 'assignment':
      return `Assigned: commander ${e.commanderId ?? 'none'}, ${e.assigneeIds.length} assignee(s)`;
    case 'notification_sent':
      return `${NOTICE_TITLES[e.notice]} sent to ${tenantNames.get(e.tenantId) ?? e.tenantId}`;
    case 'details_change':
      return `Details changed: ${describeDetails(e.to, (id) => tenantNames.get(id) ?? id)}`;
  }
};

const describeDeadline = (d: DeadlineStatus): string => {
  switch (d.state) {
    case 'not_started':
      return `${d.label}: not started`;
    case 'pending':
    case 'amber':
      return `${d.label}: due ${day(d.dueAt)}, still open`;
    case 'met':
      return `${d.label}: met at ${day(d.satisfiedAt)} (due ${day(d.dueAt)})`;
    case 'missed':
      return `${d.label}: missed (due ${day(d.dueAt)}${d.satisfiedAt === null ? ', still open' : `, done ${day(d.satisfiedAt)}`})`;
  }
};

/** The post-incident review: what happened, when, which deadlines were met, and the timeline. */
export function reviewMarkdown(
  incident: Incident,
  facts: NoticeFacts,
  timeline: readonly TimelineEntry[],
  deadlines: readonly DeadlineStatus[],
  tenantNames: ReadonlyMap<string, string>,
): string {
  const affected = incident.affectedTenantIds.map((id) => tenantNames.get(id) ?? id);
  return [
    `# Post-incident review: ${incident.title}`,
    '',
    `Severity ${incident.severity} · status ${incident.status}${incident.personalData ? ' · personal data involved' : ''}`,
    '',
    '## Summary',
    '',
    orNone(incident.description, incident.title),
    '',
    `Affected tenants: ${affected.length === 0 ? 'none' : affected.join(', ')}`,
    '',
    '## Key times',
    '',
    `- Detected: ${day(incident.detectedAt)}`,
    `- Classified: ${day(incident.classifiedAt)}`,
    `- Aware (personal data): ${day(incident.awareAt)}`,
    `- Verified: ${day(incident.verifiedAt)}`,
    `- Resolved: ${day(incident.resolvedAt)}`,
    '',
    '## Impact and mitigation',
    '',
    orNone(facts.likelyImpact, 'Not recorded.'),
    '',
    orNone(facts.mitigation, 'Not recorded.'),
    '',
    '## Deadlines',
    '',
    ...deadlines.map((d) => `- ${describeDeadline(d)}`),
    '',
    '## Timeline',
    '',
    ...timeline.map((e) => `- ${day(e.at)}: ${describeEntry(e, tenantNames)}`),
    '',
  ].join('\n');
}
