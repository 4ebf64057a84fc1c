/**
 * Reads electronegativity's CSV report (`-o report.csv`; the tool always exits 0,
 * so its findings are the verdict) and sets each MEDIUM-or-worse finding against
 * the checked-in list of accepted ones, each with its reason.
 */
export interface Finding {
  readonly check: string;
  readonly severity: string;
  readonly confidence: string;
  /** Relative to the scanned folder, or N/A for global checks. */
  readonly file: string;
  readonly location: string;
  readonly sample: string;
  readonly description: string;
}

export interface Accepted {
  readonly check: string;
  readonly file: string;
  readonly reason: string;
}

/** RFC 4180 fields: quoted ones may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows.filter((r) => r.some((f) => f !== ''));
}

const HEADER = ['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description', 'url'];

export function parseReport(csv: string): Finding[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header || header.map((h) => h.trim()).join() !== HEADER.join()) throw new Error(`not an electronegativity CSV report: header ${JSON.stringify(header)}`);
  return rows.map((r) => {
    if (r.length !== HEADER.length) throw new Error(`malformed report row: ${JSON.stringify(r)}`);
    const [check = '', severity = '', confidence = '', file = '', location = '', sample = '', description = ''] = r;
    return { check, severity, confidence, file, location, sample, description };
  });
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
