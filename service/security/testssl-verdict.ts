/**
 * Reads testssl.sh's JSON findings (`--jsonfile`) and lists every way the scanned
 * server falls short of the service's TLS promise: TLS 1.2 or newer only, only
 * cipher suites of Mozilla's intermediate profile, no CBC (LUCKY13), HSTS served.
 */
export interface TestsslFinding {
  readonly id: string;
  readonly severity: string;
  readonly finding: string;
}

/** Mozilla's intermediate profile (ssl-config.mozilla.org, guideline 5.7), by IANA name. */
export const MOZILLA_INTERMEDIATE_SUITES: ReadonlySet<string> = new Set([
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
]);

const OLD_PROTOCOLS = ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1'];
const notOffered = (f: TestsslFinding | undefined): boolean => f !== undefined && /^not offered/i.test(f.finding.trim());
const offered = (f: TestsslFinding): boolean => /^offered/i.test(f.finding.trim());

export function tlsProfileProblems(findings: readonly TestsslFinding[]): string[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  const problems: string[] = [];
  for (const f of findings) if (f.severity === 'FATAL' || f.id === 'scanProblem') problems.push(`scan problem: ${f.finding}`);

  for (const id of OLD_PROTOCOLS) if (!notOffered(byId.get(id))) problems.push(`${id} ${byId.get(id)?.finding ?? 'was not tested'}`);
  if (!findings.some((f) => /^TLS1_[23]$/.test(f.id) && offered(f))) problems.push('neither TLS 1.2 nor TLS 1.3 is offered');

  const suites = findings.filter((f) => f.id.startsWith('cipher-'));
  if (suites.length === 0) problems.push('no cipher suites were listed (was the scan run with -E?)');
  for (const f of suites) {
    const iana = f.finding.trim().split(/\s+/).at(-1) ?? '';
    if (!MOZILLA_INTERMEDIATE_SUITES.has(iana)) problems.push(`cipher suite outside Mozilla intermediate: ${f.finding.trim().replace(/\s+/g, ' ')}`);
  }
  // -s groups suites by category; every category but STRONG (AVERAGE holds CBC; 3.2 names it OBSOLETED) must be absent.
  for (const f of findings) {
    if (f.id.startsWith('cipherlist_') && f.id !== 'cipherlist_STRONG' && !notOffered(f)) problems.push(`${f.id} ${f.finding}`);
    else if (/obsolete/i.test(f.finding) && /cbc/i.test(`${f.id} ${f.finding}`) && !notOffered(f)) problems.push(`${f.id} ${f.finding}`);
  }

  const lucky13 = byId.get('LUCKY13');
  if (!lucky13 || !/^not vulnerable/i.test(lucky13.finding.trim())) problems.push(`LUCKY13 ${lucky13?.finding ?? 'was not tested'}`);

  const hsts = byId.get('HSTS_time');
  if (!hsts || hsts.severity !== 'OK') problems.push(`HSTS ${byId.get('HSTS')?.finding ?? hsts?.finding ?? 'was not tested'}`);
  return problems;
}
