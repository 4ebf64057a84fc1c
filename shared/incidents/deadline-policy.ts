import type { NoticeKind, Severity } from './incident';

/**
 * The incident deadline policy: declared once, here, as data. The service
 * enforces it, the console counts down from it (offline too); nobody types a
 * deadline in. Windows in seconds.
 */
const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export { DEADLINE_IDS, type DeadlineId } from './deadline-ids';
import type { DeadlineId } from './deadline-ids';

/** The incident time a clock starts from. */
export type ClockStart = 'detectedAt' | 'classifiedAt' | 'awareAt' | 'verifiedAt' | 'resolvedAt';

export interface DeadlineRule {
  readonly id: DeadlineId;
  readonly label: string;
  readonly startsAt: ClockStart;
  /** The window per severity; a severity missing here is not subject to the deadline. */
  readonly within: Readonly<Partial<Record<Severity, number>>>;
  /** Applies only while the incident is flagged as involving personal data. */
  readonly personalDataOnly: boolean;
  /** What meets it: an incident time being recorded, or a notice of a kind sent to every affected tenant. */
  readonly metBy: { readonly time: 'classifiedAt' | 'reviewPublishedAt' } | { readonly notice: NoticeKind };
}

const allSeverities = (seconds: number): Record<Severity, number> => ({ P0: seconds, P1: seconds, P2: seconds, P3: seconds });

export const INCIDENT_DEADLINE_POLICY: readonly DeadlineRule[] = [
  {
    id: 'classification',
    label: 'Classify the incident',
    startsAt: 'detectedAt',
    within: allSeverities(30 * MINUTE),
    personalDataOnly: false,
    metBy: { time: 'classifiedAt' },
  },
  {
    id: 'customer_notice',
    label: 'Notify affected customers',
    startsAt: 'classifiedAt',
    within: { P0: 24 * HOUR, P1: 72 * HOUR },
    personalDataOnly: false,
    metBy: { notice: 'customer' },
  },
  {
    id: 'regulator_notice',
    label: 'Notify the regulator (personal data)',
    startsAt: 'awareAt',
    within: allSeverities(72 * HOUR),
    personalDataOnly: true,
    metBy: { notice: 'regulator' },
  },
  {
    // A breach notice is about a personal-data breach: nature, likely impact, mitigation, contact.
    id: 'breach_notice',
    label: 'Send the breach notice to affected customers',
    startsAt: 'verifiedAt',
    within: allSeverities(24 * HOUR),
    personalDataOnly: true,
    metBy: { notice: 'breach' },
  },
  {
    id: 'post_incident_review',
    label: 'Publish the post-incident review',
    startsAt: 'resolvedAt',
    within: { P0: 14 * DAY, P1: 14 * DAY },
    personalDataOnly: false,
    metBy: { time: 'reviewPublishedAt' },
  },
];

/** A deadline turns amber when this fraction of its window (or less) remains. */
export const DEADLINE_AMBER_FRACTION = 0.25;
