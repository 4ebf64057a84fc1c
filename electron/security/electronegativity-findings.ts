import { z } from 'zod';

/**
 * Reads the findings of electronegativity (tools/electronegativity/scan.cjs runs its runner
 * and writes them as one JSON document) and sets each MEDIUM-or-worse finding against the
 * checked-in list of accepted ones, each with its reason.
 */
const FindingSchema = z.strictObject({
  check: z.string().min(1),
  severity: z.string().min(1),
  confidence: z.string().min(1),
  /** Relative to the scanned folder, or N/A for global checks. */
  file: z.string().min(1),
  location: z.string(),
  sample: z.string(),
  description: z.string(),
});

const ReportSchema = z.strictObject({ tool: z.literal('electronegativity'), findings: z.array(FindingSchema) });

export type Finding = z.infer<typeof FindingSchema>;

export interface Accepted {
  readonly check: string;
  readonly file: string;
  readonly reason: string;
}

/** The findings of a report, or an error that says what is wrong with it (not JSON, not this tool's, a finding misshapen). */
export function parseReport(json: string): Finding[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`not an electronegativity report: not JSON (${json.slice(0, 60)})`);
  }
  const report = ReportSchema.safeParse(value);
  if (!report.success) throw new Error(`not an electronegativity report: ${z.prettifyError(report.error)}`);
  return report.data.findings;
}

const BLOCKING = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);

/** Findings that block (MEDIUM or worse, not accepted), and accepted entries that no longer match a finding. */
export function judge(findings: readonly Finding[], accepted: readonly Accepted[]): { unaccepted: Finding[]; stale: Accepted[] } {
  const matches = (a: Accepted, f: Finding) => a.check === f.check && a.file === f.file;
  return {
    unaccepted: findings.filter((f) => BLOCKING.has(f.severity.toUpperCase()) && !accepted.some((a) => matches(a, f))),
    stale: accepted.filter((a) => !findings.some((f) => matches(a, f))),
  };
}
