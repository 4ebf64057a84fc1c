import { describe, expect, it } from 'vitest';
import {
  formatConnectionFile,
  formatConnectionLink,
  groupFingerprint,
  MAX_CONNECTION_BYTES,
  parseConnectionFields,
  parseConnectionFile,
  parseConnectionLink,
  parseConnectionText,
} from './connection-file';

const PIN = 'ab'.repeat(32);
const target = { serviceUrl: 'https://attest.example.eu:8443', fingerprint: PIN, label: 'Acme EU', region: 'eu' as const };

describe('connection files and links', () => {
  it('round-trips the file and the link to the same target', () => {
    expect(parseConnectionFile(formatConnectionFile(target))).toEqual({ ok: true, target });
    expect(parseConnectionLink(formatConnectionLink(target))).toEqual({ ok: true, target });
    expect(parseConnectionText(`  ${formatConnectionLink(target)}\n`)).toEqual({ ok: true, target });
    expect(parseConnectionText(formatConnectionFile(target))).toEqual({ ok: true, target });
    const bare = { serviceUrl: 'https://127.0.0.1:8443', fingerprint: PIN };
    expect(parseConnectionLink(formatConnectionLink(bare))).toEqual({ ok: true, target: bare });
  });

  it('accepts a pin as people copy it (upper case, colons) and stores the canonical form', () => {
    const colons = PIN.toUpperCase().match(/../g)!.join(':');
    const text = JSON.stringify({ format: 'attest-connection', version: 1, serviceUrl: target.serviceUrl, fingerprint: colons });
    expect(parseConnectionFile(text)).toEqual({ ok: true, target: { serviceUrl: target.serviceUrl, fingerprint: PIN } });
  });

  it('refuses a cut or altered pin', () => {
    const link = formatConnectionLink(target).replace(`pin=${PIN}`, `pin=${PIN.slice(1)}`);
    expect(parseConnectionLink(link)).toMatchObject({ ok: false, code: 'connection_bad_fingerprint' });
    const json = JSON.parse(formatConnectionFile(target)) as Record<string, unknown>;
    expect(parseConnectionFile(JSON.stringify({ ...json, fingerprint: `${PIN.slice(1)}z` }))).toMatchObject({ ok: false, code: 'connection_bad_fingerprint' });
  });

  it('refuses plain HTTP, in the file and in the link', () => {
    const json = JSON.parse(formatConnectionFile(target)) as Record<string, unknown>;
    const http = parseConnectionFile(JSON.stringify({ ...json, serviceUrl: 'http://attest.example.eu' }));
    expect(http).toMatchObject({ ok: false, code: 'connection_insecure_url' });
    expect(http.ok ? '' : http.message).toContain('only connects over HTTPS');
    expect(parseConnectionLink(`attest://connect?v=1&url=${encodeURIComponent('http://x.example')}&pin=${PIN}`)).toMatchObject({
      ok: false,
      code: 'connection_insecure_url',
    });
    expect(parseConnectionLink(`attest://connect?v=1&url=${encodeURIComponent('ftp://x.example')}&pin=${PIN}`)).toMatchObject({ ok: false, code: 'connection_invalid' });
  });

  it('refuses an unknown version with what to do', () => {
    const json = JSON.parse(formatConnectionFile(target)) as Record<string, unknown>;
    const v2 = parseConnectionFile(JSON.stringify({ ...json, version: 2 }));
    expect(v2).toMatchObject({ ok: false, code: 'connection_unknown_version' });
    expect(v2.ok ? '' : v2.message).toBe(
      'This connection file has version 2; this console reads version 1. Update the console, or ask your administrator for a version 1 file.',
    );
    expect(parseConnectionLink(formatConnectionLink(target).replace('v=1', 'v=9'))).toMatchObject({ ok: false, code: 'connection_unknown_version' });
    expect(parseConnectionFile(JSON.stringify({ ...json, version: undefined }))).toMatchObject({ ok: false, code: 'connection_unknown_version' });
  });

  it('refuses oversized input before parsing it', () => {
    const json = JSON.parse(formatConnectionFile(target)) as Record<string, unknown>;
    const big = JSON.stringify({ ...json, label: 'x'.repeat(MAX_CONNECTION_BYTES) });
    expect(parseConnectionFile(big)).toMatchObject({ ok: false, code: 'connection_too_large' });
    expect(parseConnectionLink(`${formatConnectionLink(target)}&label=${'x'.repeat(MAX_CONNECTION_BYTES)}`)).toMatchObject({ ok: false, code: 'connection_too_large' });
  });

  it('refuses garbage with a stable code and never throws', () => {
    for (const fields of [{ serviceUrl: 'x', fingerprint: 'x' }, { serviceUrl: '\u0000é', fingerprint: PIN }, { serviceUrl: '', fingerprint: PIN }]) {
      expect(parseConnectionFields(fields)).toMatchObject({ ok: false, code: expect.stringMatching(/^connection_(invalid|bad_fingerprint)$/) });
    }
    for (const text of ['', 'hello', '{', '[]', 'null', '"attest"', '{"format":"other","version":1}', '\u0000\u0001', 'https://attest.example.eu']) {
      const parsed = parseConnectionText(text);
      expect(parsed.ok, text).toBe(false);
      expect(parsed.ok ? '' : parsed.code).toMatch(/^connection_(unreadable|invalid)$/);
    }
    const json = JSON.parse(formatConnectionFile(target)) as Record<string, unknown>;
    expect(parseConnectionFile(JSON.stringify({ ...json, extra: 1 }))).toMatchObject({ ok: false, code: 'connection_invalid' });
    expect(parseConnectionFile(JSON.stringify({ ...json, label: 'a\u202eb' }))).toMatchObject({ ok: false, code: 'connection_invalid' });
    expect(parseConnectionFile(JSON.stringify({ ...json, serviceUrl: 'https://user:pw@x.example' }))).toMatchObject({ ok: false, code: 'connection_invalid' });
    expect(parseConnectionLink(`${formatConnectionLink(target)}&token=abc`)).toMatchObject({ ok: false, code: 'connection_invalid' });
  });

  it('groups a pin by four for reading', () => {
    expect(groupFingerprint('0123456789abcdef')).toBe('0123 4567 89ab cdef');
  });
});
