/**
 * The real CLI (`npm run -s service -- trust-page …` without the npm wrapper) on
 * pages the real service published: exit 0 when all holds, 1 naming the first
 * failure, 2 on usage; offline, with no data directory and no DATABASE_URL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ephemeralAuditSigner } from '../audit/signing-key';
import { membersKit } from '../security/members-kit';
import { removeTempDirs, tempDir } from '../testing/databases';
import { createTestTenant } from '../testing/identity-fixtures';
import { inProcessService } from '../testing/in-process-service';
import { publishedPages, type PublishedPage } from '../trust-page/published-pages';

const CLI = fileURLToPath(new URL('./attest-service.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const cli = async (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  // HOME elsewhere: nothing may be read from (or created in) a data directory.
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'trust-page', ...args], { cwd: ROOT, env: { ...env, HOME: tempDir('attest-home-'), XDG_DATA_HOME: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
};

const pem = (raw: Uint8Array): string =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;

describe('attest-service trust-page verify / diff', () => {
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000);
  const svc = inProcessService('pglite', { now: () => clock });
  const kit = membersKit(svc, () => clock);
  const pages = publishedPages(svc, kit);
  afterAll(removeTempDirs);

  it('verify: 0 on a fresh page (pinned or not), 1 naming a changed sentence or another key, 2 on usage; diff prints the sentence diff', async () => {
    const dir = tempDir('attest-trust-cli-');
    const tenant = await createTestTenant(svc.t.db, 'CLI Co');
    const before: PublishedPage = await pages.publish(tenant, 2);
    const after = await pages.republishWithMfaEnforced(tenant);
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const html = file('page.html', before.html);
    const md = file('page.md', before.markdown);
    const key = file('key.pem', pem(before.publicKey));
    const otherKey = file('other.pem', pem(ephemeralAuditSigner().publicKey));

    const pinned = await cli(['verify', html, '--key', key]);
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.stderr).toContain('Trust page of CLI Co verifies');
    expect(JSON.parse(pinned.stdout)).toMatchObject({ ok: true, keyPinned: true });
    const unpinned = await cli(['verify', md]);
    expect(unpinned.code, unpinned.stderr).toBe(0);
    expect(unpinned.stderr).toContain('NOT pinned');

    const changed = await cli(['verify', file('changed.html', before.html.replace(/(data-control="access.least_privilege">)\d+%/, (_, p: string) => `${p}1%`))]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/sentence_changed: access\.least_privilege: the page says "1% of active members/);
    const wrongKey = await cli(['verify', html, '--key', otherKey]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('signature_invalid');
    const garbage = await cli(['verify', file('garbage.txt', 'not a page')]);
    expect([garbage.code, garbage.stderr]).toEqual([1, expect.stringContaining('unparseable')]);
    expect((await cli(['verify', join(dir, 'missing.html')])).code).toBe(1);

    for (const args of [['verify'], ['verify', html, '--key', html], ['verify', html, '--bogus'], ['frobnicate']]) {
      const usage = await cli(args);
      expect(usage.code, args.join(' ')).toBe(2);
      expect(usage.stderr).toContain('Usage:');
    }

    const diff = await cli(['diff', html, file('after.md', after.markdown)]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/changed auth\.mfa \(Authentication\) fail -> pass\n {2}- A second factor is not enforced[^\n]*\n {2}- A remediation plan is kept[^\n]*\n {2}\+ Every member signs in with a second factor/);
    expect((await cli(['diff', html])).code).toBe(2);
    expect((await cli(['diff', html, file('junk', 'junk')])).code).toBe(1);
  }, 120_000);
});
