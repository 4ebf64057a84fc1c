import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../../shared/audit/event';
import { csvCell, CSV_COLUMNS, exportAuditLog, exportFileName } from './audit-export';
import { TestLog } from './audit-log.fixture';

const TENANT = '7d0c4c1e-8f5e-4a57-9a43-4f3c2b1a0e9d';
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'attest-export-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('audit export', () => {
  it('exports exactly what the filters show: a source whose streamed export knows only the time range is read page by page instead', async () => {
    const log = new TestLog(TENANT, 300);
    let streamed = 0;
    const source = { ...log.source(), export: async () => { streamed++; throw new Error('the unfiltered export must not be used'); } };
    const path = join(tempDir(), 'filtered.ndjson');
    const filters = { actor: 'u-3', actionPrefix: 'session.' };
    const saved = await exportAuditLog({ source, tenantId: TENANT, format: 'ndjson', path, filters, pageSize: 7 });
    const events = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => AuditEventSchema.parse(JSON.parse(line)));
    const expected = log.served.filter((e) => e.actor.id === 'u-3' && e.action.startsWith('session.'));
    expect(expected.length).toBeGreaterThan(5);
    expect(events).toEqual(expected);
    expect(saved.events).toBe(expected.length);
    expect(streamed).toBe(0);
  });

  it('names the file after the filter that made it, with no more than 8 characters of an id and nothing a path could use', () => {
    const now = new Date('2026-12-05T01:02:03.004Z');
    expect(exportFileName('7d0c4c1e', 'csv', {}, now)).toBe('attest-audit-7d0c4c1e-2026-12-05T01-02-03-004Z.csv');
    expect(exportFileName('platform', 'ndjson', { actor: '0b8f4e2a-1111-2222-3333-444455556666', actionPrefix: 'session.', outcome: 'denied', from: '2026-01-01T00:00:00.000Z' }, now)).toBe(
      'attest-audit-platform-filtered-actor-0b8f4e2a_action-session.-all_denied_range-2026-12-05T01-02-03-004Z.ndjson',
    );
    expect(exportFileName('platform', 'csv', { target: '../../etc/passwd' }, now)).toBe('attest-audit-platform-filtered-target-..-..-etc-passwd-2026-12-05T01-02-03-004Z.csv');
  });

  it('streams every event as NDJSON, page by page, with progress', async () => {
    const log = new TestLog(TENANT, 2500);
    const path = join(tempDir(), 'log.ndjson');
    const progress: number[] = [];
    const saved = await exportAuditLog({ source: log.source(), tenantId: TENANT, format: 'ndjson', path, total: 2500, pageSize: 1000, onProgress: (p) => progress.push(p.done) });
    const text = readFileSync(path, 'utf8');
    expect(saved).toEqual({ path, events: 2500, bytes: Buffer.byteLength(text) });
    const events = text.trimEnd().split('\n').map((line) => AuditEventSchema.parse(JSON.parse(line)));
    expect(events).toEqual(log.served);
    expect(progress).toEqual([1000, 2000, 2500]);
  });

  it('writes CSV with a header, RFC 4180 quoting, and no cell a spreadsheet would run as a formula', async () => {
    const log = new TestLog(TENANT, 3);
    log.served[1] = { ...log.served[1]!, target: '=HYPERLINK("http://evil","x")', details: { note: 'a, "quoted"\nline' } };
    const path = join(tempDir(), 'log.csv');
    const saved = await exportAuditLog({ source: log.source(), tenantId: TENANT, format: 'csv', path });
    expect(saved.events).toBe(3);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(text).toContain('"{""note"":""a, \\""quoted\\""\\nline""}"');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell(null)).toBe('');
  });

  it('leaves no file behind when the source fails midway', async () => {
    const log = new TestLog(TENANT, 50);
    const dir = tempDir();
    const source = log.source();
    let pages = 0;
    const failing = { ...source, events: async (...args: Parameters<typeof source.events>) => {
      if (++pages === 2) throw Object.assign(new Error('The service at https://127.0.0.1:1 cannot be reached.'), { code: 'service_unreachable' });
      return source.events(...args);
    } };
    await expect(exportAuditLog({ source: failing, tenantId: TENANT, format: 'ndjson', path: join(dir, 'x.ndjson'), pageSize: 10 })).rejects.toThrow(/cannot be reached/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
