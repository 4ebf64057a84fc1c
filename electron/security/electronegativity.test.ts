import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PRINT_WINDOW_PREFERENCES } from '../core/documents/pdf-printer';
import { rendererContentSecurityPolicy } from '../core/renderer-hosting/security-headers';
import { judge, parseReport, type Accepted, type Finding } from './electronegativity-findings';

const root = resolve(import.meta.dirname, '../..');
const accepted = JSON.parse(readFileSync(join(import.meta.dirname, 'electronegativity-accepted.json'), 'utf8')) as Accepted[];

/** The tool's own tree (tools/electronegativity, installed by setup) and the script that runs it. */
const scanner = (): string => {
  const tool = join(root, 'tools/electronegativity/node_modules/@doyensec/electronegativity');
  if (!existsSync(tool)) throw new Error(`electronegativity is not installed (${tool}): run npm run setup`);
  return join(root, 'tools/electronegativity/scan.cjs');
};

const electronVersion = (): string => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  return (pkg.devDependencies.electron ?? '').replace(/^[^\d]*/, '');
};

/** The findings of one scan of `source`, read from the JSON the script writes once the scan is done. */
const scan = async (source: string, dir: string): Promise<Finding[]> => {
  const report = join(dir, 'report.json');
  await promisify(execFile)(process.execPath, [scanner(), source, electronVersion(), report], { timeout: 100_000 });
  return parseReport(readFileSync(report, 'utf8'));
};

describe('electronegativity over electron/', () => {
  it('finds nothing MEDIUM or worse that is not accepted with a reason, and no acceptance is stale', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-electronegativity-'));
    try {
      // The scan reads a copy: other tests write into electron/ while they run (the layering check's
      // probes in electron/core), and a file appearing or vanishing mid-scan garbled the report once.
      const source = join(dir, 'electron');
      cpSync(join(root, 'electron'), source, { recursive: true, filter: (path) => !basename(path).startsWith('layering-probe-') });
      // electron/ has no package.json, so the version the scan assumes is given (Electron's defaults depend on it).
      const { unaccepted, stale } = judge(await scan(source, dir), accepted);
      expect(unaccepted).toEqual([]);
      expect(stale).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts only what its reasons say: every acceptance has a reason, and the spread print preferences hold what they claim', () => {
    for (const a of accepted) expect(a.reason.length, `${a.check} in ${a.file}`).toBeGreaterThan(40);
    expect(PRINT_WINDOW_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, javascript: false, disableBlinkFeatures: 'Auxclick', nodeIntegration: false });
    expect(PRINT_WINDOW_PREFERENCES).not.toHaveProperty('preload');
    expect(rendererContentSecurityPolicy()).toMatch(/script-src 'self';.*object-src 'none'/);
  });
});

describe('reading the report', () => {
  const finding = (check: string, severity: string, file: string) => ({ check, severity, confidence: 'FIRM', file, location: '3:1', sample: 'new BrowserWindow({})', description: 'Review' });
  const report = (findings: unknown[]) => JSON.stringify({ tool: 'electronegativity', findings });

  it('blocks MEDIUM and HIGH findings not accepted, passes LOW ones, and names acceptances no finding matches', () => {
    const findings = parseReport(report([finding('CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A'), finding('NODE_INTEGRATION_JS_CHECK', 'HIGH', 'main/x.ts'), finding('OPEN_EXTERNAL_JS_CHECK', 'LOW', 'main/x.ts')]));
    const verdict = judge(findings, [{ check: 'CSP_GLOBAL_CHECK', file: 'N/A', reason: 'r' }, { check: 'SANDBOX_JS_CHECK', file: 'main/y.ts', reason: 'r' }]);
    expect(verdict.unaccepted.map((f) => f.check)).toEqual(['NODE_INTEGRATION_JS_CHECK']);
    expect(verdict.stale.map((a) => a.check)).toEqual(['SANDBOX_JS_CHECK']);
  });

  it('an acceptance covers its check in its file only: the same check in another file still blocks', () => {
    const verdict = judge(parseReport(report([finding('SANDBOX_JS_CHECK', 'MEDIUM', 'main/other.ts')])), [{ check: 'SANDBOX_JS_CHECK', file: 'main/y.ts', reason: 'r' }]);
    expect(verdict.unaccepted.map((f) => f.file)).toEqual(['main/other.ts']);
  });

  it('refuses what is not its report: not JSON, cut short, another shape, a finding without a severity', () => {
    expect(() => parseReport('Something went wrong\n')).toThrow(/not an electronegativity report: not JSON/);
    expect(() => parseReport(report([finding('CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A')]).slice(0, 40))).toThrow(/not JSON/);
    expect(() => parseReport(JSON.stringify({ findings: [] }))).toThrow(/not an electronegativity report/);
    const { severity: _severity, ...noSeverity } = finding('CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A');
    expect(() => parseReport(report([noSeverity]))).toThrow(/severity/);
  });
});
