import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupRendererAsset } from './renderer-assets';
import { rendererContentSecurityPolicy } from './security-headers';

describe('renderer assets', () => {
  let base: string;
  let root: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'attest-assets-'));
    root = join(base, 'dist');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'app-1234.js'), 'export {}');
    writeFileSync(join(root, '.env'), 'hidden');
    writeFileSync(join(base, 'secret.txt'), 'outside');
    symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves index.html for / and for client-side routes, never a folder listing', async () => {
    for (const path of ['/', '/tenants', '/tenants/abc', '/assets', '/assets/']) {
      await expect(lookupRendererAsset(root, path)).resolves.toMatchObject({ kind: 'file', path: join(root, 'index.html'), isIndex: true });
    }
  });

  it('serves files with their content type', async () => {
    await expect(lookupRendererAsset(root, '/assets/app-1234.js')).resolves.toMatchObject({
      kind: 'file',
      contentType: 'text/javascript; charset=utf-8',
      isIndex: false,
    });
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/link.txt',
    '/.env',
    '/missing.js',
  ])('refuses %s', async (path) => {
    await expect(lookupRendererAsset(root, path)).resolves.toMatchObject({ kind: expect.stringMatching(/^(not_found|bad_request)$/) });
  });

  it.each(['/%E0%A4%A', '/a\\..\\secret.txt', '/a%00.js', 'relative.js'])('rejects the malformed path %s', async (path) => {
    await expect(lookupRendererAsset(root, path)).resolves.toEqual({ kind: 'bad_request' });
  });

  it('builds a CSP without inline script or style', () => {
    const csp = rendererContentSecurityPolicy(['ws://127.0.0.1:1234']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-');
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:1234;");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
