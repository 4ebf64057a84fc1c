import { z } from 'zod';
import type { Framework } from './frameworks';

/** The sections of a trust page, in the order the page prints them. */
export const TRUST_SECTIONS = [
  'Authentication',
  'Sessions',
  'Authorization and access governance',
  'Audit log',
  'Incident response',
  'Encryption',
  'Data residency',
  'Retention and deletion',
  'Backups',
  'Subprocessors',
  'Vulnerability management',
] as const;
export type TrustSection = (typeof TRUST_SECTIONS)[number];

export const CONTROL_STATUSES = ['pass', 'warn', 'fail', 'not_applicable'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** Evidence is aggregates only: counts, shares, durations, booleans, settings; never a person. */
export const EvidenceSchema = z.record(z.string(), z.union([z.number(), z.boolean(), z.string().max(200), z.null()]));
export type Evidence = z.infer<typeof EvidenceSchema>;

/** Where a control is evaluated: each tenant, the platform, or both. */
export type ControlScope = 'tenant' | 'platform' | 'both';

/**
 * One control of the catalogue: data, so the trust page, the criterion view and
 * the console read the same thing. Its evaluator lives in service/posture under
 * the same id; the sentence's {placeholders} are keys of the evidence it returns.
 */
export interface Control {
  readonly id: string;
  readonly title: string;
  readonly section: TrustSection;
  readonly scope: ControlScope;
  /** The promise the control backs, printed on the trust page only while it passes. */
  readonly sentence: string;
  /** Pass/warn/fail limits, from policy; the evaluator reads them from here. */
  readonly thresholds: Readonly<Record<string, number>>;
  readonly mappings: Readonly<Record<Framework, readonly string[]>>;
}

/** The {placeholders} of a sentence template. */
export const placeholdersOf = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** A sentence with its placeholders filled from evidence (null when a placeholder has no figure). */
export const renderSentence = (template: string, evidence: Evidence): string | null => {
  const missing = placeholdersOf(template).some((p) => evidence[p] === undefined || evidence[p] === null);
  if (missing) return null;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(evidence[key]));
};
