/** The deadlines the policy (./deadline-policy.ts) declares, by id: apart, so incident.ts can name them without importing the policy. */
export const DEADLINE_IDS = ['classification', 'customer_notice', 'regulator_notice', 'breach_notice', 'post_incident_review'] as const;
export type DeadlineId = (typeof DEADLINE_IDS)[number];
