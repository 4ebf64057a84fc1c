import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PRINT_WINDOW_PREFERENCES } from '../core/documents/pdf-printer';
import { rendererContentSecurityPolicy } from '../core/renderer-hosting/security-headers';
import { judge, parseReport, type Accepted, type Finding } from './electronegativity-findings';

const root = resolve(import.meta.dirname, '../..');
const accepted = JSON.parse(readFileSync(join(import.meta.dirname, 'electronegativity-accepted.json'), 'utf8')) as Accepted[];

/** The CLI from its own tree (tools/electronegativity, installed by setup); ELECTRONEGATIVITY_BIN points elsewhere. */
const cli = (): string => {
  const bin = process.env.ELECTRONEGATIVITY_BIN ?? join(root, 'tools/electronegativity/node_modules/.bin/electronegativity');
  if (!existsSync(bin)) throw new Error(`electronegativity is not installed (${bin}): run npm run setup`);
  return bin;
};

const electronVersion = (): string => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  return (pkg.devDependencies.electron ?? '').replace(/^[^\d]*/, '');
};

/**
 * The CLI writes its CSV header and its rows in two writes it does not order (util/file.js: the
 * header truncating, the rows appending, both asynchronous). When the header lands second it
 * overwrites the start of the rows, and the report begins mid-row. Such a report is read as
 * malformed and the scan runs again, at most three times; a report that parses is judged as it is.
 * Only these two signs of the race retry: a finding that is not accepted fails at once.
 */
const scan = async (source: string, dir: string): Promise<Finding[]> => {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const report = join(dir, `report-${attempt}.csv`);
    await promisify(execFile)(cli(), ['-i', source, '-r', '-v', 'false', '-e', electronVersion(), '-o', report], { timeout: 100_000 });
    try {
      const findings = parseReport(await settledReport(report));
      // The other order: the rows appended before the header truncated the file. A real scan of
      // electron/ always finds something (the accepted findings), so no rows is this race too.
      if (findings.length > 0) return findings;
      lastError = new Error('the report held its header only');
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('malformed report row')) throw error;
      lastError = error;
    }
  }
  throw lastError;
};

/**
 * The report once its writer is done. The CLI may exit before its asynchronous write lands, and a
 * file that exists may still be half written: read when its size has held for 200 ms.
 */
const settledReport = async (report: string): Promise<string> => {
  let size = -1;
  for (let i = 0; i < 100; i += 1) {
    const now = existsSync(report) ? statSync(report).size : -1;
    if (now > 0 && now === size) return readFileSync(report, 'utf8');
    size = now;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no settled report at ${report}`);
};

describe('electronegativity over electron/', () => {
  it('finds nothing MEDIUM or worse that is not accepted with a reason, and no acceptance is stale', { timeout: 330_000 }, async () => {
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
  const csv = [
    'issue, severity, confidence, filename, location, sample, description, url',
    'CSP_GLOBAL_CHECK,"MEDIUM","CERTAIN","N/A","0:0",N/A,"No CSP has been detected",https://example.test/1',
    'NODE_INTEGRATION_JS_CHECK,"HIGH","FIRM","main/x.ts","3:1","new BrowserWindow({ title: ""a, b"" })","Disable nodeIntegration",https://example.test/2',
    'OPEN_EXTERNAL_JS_CHECK,"LOW","TENTATIVE","main/x.ts","9:1","shell.openExternal(u)","Review",https://example.test/3',
    '',
  ].join('\n');

  it('parses quoted fields with commas and doubled quotes, and blocks MEDIUM and HIGH findings not accepted', () => {
    const findings = parseReport(csv);
    expect(findings[1]).toMatchObject({ check: 'NODE_INTEGRATION_JS_CHECK', severity: 'HIGH', file: 'main/x.ts', sample: 'new BrowserWindow({ title: "a, b" })' });
    const verdict = judge(findings, [{ check: 'CSP_GLOBAL_CHECK', file: 'N/A', reason: 'r' }, { check: 'SANDBOX_JS_CHECK', file: 'main/y.ts', reason: 'r' }]);
    expect(verdict.unaccepted.map((f) => f.check)).toEqual(['NODE_INTEGRATION_JS_CHECK']);
    expect(verdict.stale.map((a) => a.check)).toEqual(['SANDBOX_JS_CHECK']);
  });

  it('refuses something that is not its report', () => {
    expect(() => parseReport('Something went wrong\n')).toThrow(/not an electronegativity CSV report/);
  });
});
