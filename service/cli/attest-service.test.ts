import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TenantListSchema } from '../../shared/api/endpoints';
import { TenantCreatedSchema } from '../../shared/tenants/api';
import { LoginResponseSchema, SessionTokensSchema } from '../../shared/identity/schemas';
import { SpkiFingerprintSchema } from '../../shared/tls/fingerprint';
import { base32Decode, currentCode } from '../identity/totp';
import { copyPgliteTemplate, removeTempDirs, tempDir } from '../testing/databases';
import { loadOrCreateAuditSigner } from '../audit/signing-key';
import { treeHeadSigning } from '../audit/tree-heads';
import { PLATFORM_TENANT_ID } from '../db/db';
import { openDatabase } from '../db/open-database';
import { openPgliteEngine } from '../db/pglite-engine';
import { pinnedRequest } from '../testing/pinned-https';
import { spkiFingerprint } from '../tls/spki-fingerprint';

const CLI = fileURLToPath(new URL('./attest-service.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Child = ChildProcessByStdio<null, Readable, Readable>;

/** The real CLI, as `npm run service` runs it (tsx), without the npm wrapper. */
const run = (args: string[]): { child: Child; stdout: () => string; stderr: () => string; exit: Promise<number | null> } => {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = { ...inherited, ATTEST_LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => out, stderr: () => err, exit };
};

const waitForLine = async (p: ReturnType<typeof run>, timeoutMs = 30_000): Promise<string> => {
  const started = Date.now();
  while (!p.stdout().includes('\n')) {
    if (p.child.exitCode !== null) throw new Error(`CLI exited ${p.child.exitCode}: ${p.stderr()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`no ready line: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return p.stdout().split('\n')[0] ?? '';
};

const preparedDataDir = async (): Promise<string> => {
  const dir = tempDir('attest-cli-');
  await copyPgliteTemplate(join(dir, 'pgdata'));
  return dir;
};

// Each test runs the real CLI several times in a row, and each run opens PGlite afresh (~3 s on a quiet machine).
describe('attest-service CLI', { timeout: 120_000 }, () => {
  afterAll(removeTempDirs);

  it('serves --demo: one ready line on stdout, a working pinned API, a clean SIGTERM', async () => {
    const dataDir = await preparedDataDir();
    const p = run(['--data', dataDir, '--port', '0', '--demo']);
    const line = await waitForLine(p);
    const ready = JSON.parse(line) as {
      event: string;
      url: string;
      fingerprint: string;
      dataDir: string;
      demo: { token: string; email: string; password: string; totpSecret: string; people: { email: string; totpSecret: string }[] };
    };
    expect(Object.keys(ready)).toEqual(['event', 'url', 'fingerprint', 'dataDir', 'demo']);
    expect(ready.event).toBe('ready');
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.dataDir).toBe(dataDir);
    expect(SpkiFingerprintSchema.parse(ready.fingerprint)).toBe(spkiFingerprint(readFileSync(join(dataDir, 'tls', 'cert.pem'))));
    expect(Object.keys(ready.demo)).toEqual(['token', 'email', 'password', 'totpSecret', 'people']);
    expect(ready.demo.totpSecret).toMatch(/^[A-Z2-7]+$/);
    // The other enrolled demo people, for a second person (approvals): Noah is Northwind's admin.
    expect(ready.demo.people.map((p) => p.email)).toContain('noah@northwind.example');
    for (const person of ready.demo.people) expect(person.totpSecret).toMatch(/^[A-Z2-7]+$/);

    // The demo officer signs in with password and a code computed from the secret.
    const post = (path: string, body: object) =>
      pinnedRequest(`${ready.url}${path}`, ready.fingerprint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const login = LoginResponseSchema.parse((await post('/v1/auth/login', { email: ready.demo.email, password: ready.demo.password })).json());
    if (login.next !== 'mfa') throw new Error(`expected an MFA step, got ${login.next}`);
    const code = await currentCode(base32Decode(ready.demo.totpSecret), new Date());
    const signedIn = await post('/v1/auth/mfa', { challengeId: login.challengeId, code });
    expect(signedIn.status).toBe(200);
    const tokens = SessionTokensSchema.parse(signedIn.json());
    const mine = await pinnedRequest(`${ready.url}/v1/tenants`, ready.fingerprint, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(TenantListSchema.parse(mine.json()).items).toHaveLength(6);

    const res = await pinnedRequest(`${ready.url}/v1/tenants`, ready.fingerprint, { headers: { authorization: `Bearer ${ready.demo.token}` } });
    expect(res.status).toBe(200);
    const names = TenantListSchema.parse(res.json()).items.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['Northwind Health', 'Acme Analytics', 'Globex Retail', 'Initech Payroll', 'Umbrella Labs']));

    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toBe(`${line}\n`);
    for (const secret of [ready.demo.token, ready.demo.password, ready.demo.totpSecret]) expect(p.stderr()).not.toContain(secret);
  });

  it('user add prints a generated password, TOTP secret and recovery codes once', async () => {
    const dataDir = await preparedDataDir();
    const p = run(['user', 'add', '--data', dataDir, '--email', 'aud@example.com', '--platform-role', 'auditor']);
    expect(await p.exit).toBe(0);
    const out = JSON.parse(p.stdout()) as { userId: string; email: string; password: string; totpSecret: string; recoveryCodes: string[] };
    expect(out.email).toBe('aud@example.com');
    expect(out.password.length).toBeGreaterThanOrEqual(12);
    expect(out.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(out.recoveryCodes).toHaveLength(10);
    expect(p.stderr()).not.toContain(out.password);
    const again = run(['user', 'add', '--data', dataDir, '--email', 'AUD@example.com', '--platform-role', 'auditor']);
    expect(await again.exit).toBe(1);
    expect(again.stderr()).toMatch(/already exists/);
  });

  it('tenant create prints the tenant and the owner invitation once; a known name needs --slug, a taken slug another (exit 2)', async () => {
    const dataDir = await preparedDataDir();
    const p = run(['tenant', 'create', '--data', dataDir, '--name', 'Globex Health', '--region', 'eu', '--plan', 'team', '--owner', 'ceo@globex.example']);
    expect(await p.exit, p.stderr()).toBe(0);
    const out = TenantCreatedSchema.parse(JSON.parse(p.stdout()));
    expect(out.tenant).toMatchObject({ name: 'Globex Health', slug: 'globex-health', region: 'eu', plan: 'team', status: 'active' });
    expect(out.invite.member).toMatchObject({ email: 'ceo@globex.example', role: 'owner', status: 'invited' });
    expect(p.stdout().split('\n')).toEqual([expect.any(String), '']);
    expect(p.stderr()).not.toContain(out.invite.token);

    const sameName = run(['tenant', 'create', '--data', dataDir, '--name', 'Globex Health', '--region', 'us', '--plan', 'free', '--owner', 'x@globex.example']);
    expect(await sameName.exit).toBe(2);
    expect(sameName.stdout()).toBe('');
    expect(sameName.stderr()).toMatch(/exists; give --slug/);
    const takenSlug = run(['tenant', 'create', '--data', dataDir, '--name', 'Globex US', '--slug', 'globex-health', '--region', 'us', '--plan', 'free', '--owner', 'x@globex.example']);
    expect(await takenSlug.exit).toBe(2);
    expect(takenSlug.stderr()).toMatch(/slug "globex-health" is taken/);
    const badSlug = run(['tenant', 'create', '--data', dataDir, '--name', 'Globex US', '--slug', 'Globex_US', '--region', 'us', '--plan', 'free', '--owner', 'x@globex.example']);
    expect(await badSlug.exit).toBe(2);
    expect(badSlug.stderr()).toMatch(/--slug must be/);
    const second = run(['tenant', 'create', '--data', dataDir, '--name', 'Globex Health', '--slug', 'globex-us', '--region', 'us', '--plan', 'free', '--owner', 'x@globex.example']);
    expect(await second.exit, second.stderr()).toBe(0);
    // user add names a tenant by its slug when two share a name.
    const user = run(['user', 'add', '--data', dataDir, '--email', 'ed@globex.example', '--tenant', 'globex-us', '--role', 'editor']);
    expect(await user.exit, user.stderr()).toBe(0);
    const ambiguous = run(['user', 'add', '--data', dataDir, '--email', 'vi@globex.example', '--tenant', 'Globex Health', '--role', 'viewer']);
    expect(await ambiguous.exit).toBe(1);
    expect(ambiguous.stderr()).toMatch(/several tenants are named/);
  });

  it('init prints a token once and refuses once an operator exists; token create issues another', async () => {
    const dataDir = await preparedDataDir();
    const first = run(['init', '--data', dataDir]);
    expect(await first.exit).toBe(0);
    expect(first.stdout()).toMatch(/^atst_op_[A-Za-z0-9_-]{43}\n$/);
    expect(first.stderr()).toMatch(/shown once/);

    const second = run(['init', '--data', dataDir]);
    expect(await second.exit).toBe(1);
    expect(second.stdout()).toBe('');
    expect(second.stderr()).toMatch(/an operator already exists/);

    const another = run(['token', 'create', '--data', dataDir, '--label', 'console (npm start)']);
    expect(await another.exit).toBe(0);
    expect(another.stdout()).toMatch(/^atst_op_[A-Za-z0-9_-]{43}\n$/);
    expect(another.stdout()).not.toBe(first.stdout());
  });

  it('audit verify passes an intact log across a key rotation, and names the first bad sequence number after tampering', async () => {
    const dataDir = await preparedDataDir();
    expect(await run(['init', '--data', dataDir]).exit).toBe(0);
    // A head signed with the data directory's key, as the running service would.
    const db = await openDatabase({ kind: 'pglite', dir: join(dataDir, 'pgdata') });
    const head = await treeHeadSigning(db, await loadOrCreateAuditSigner(dataDir), () => new Date()).issue(PLATFORM_TENANT_ID);
    await db.close();
    expect(head.treeSize).toBe(2);

    const rotate = run(['audit', 'rotate-key', '--data', dataDir]);
    expect(await rotate.exit).toBe(0);
    expect(rotate.stdout()).toMatch(/^[0-9a-f]{16}\n$/);
    expect(rotate.stdout().trim()).not.toBe(head.keyId);

    const ok = run(['audit', 'verify', '--data', dataDir]);
    expect(await ok.exit).toBe(0);
    expect(ok.stdout()).toBe('audit verify: 1 logs, 2 events, 1 signed tree heads: all verified\n');

    const engine = await openPgliteEngine(join(dataDir, 'pgdata'));
    await engine.query(`UPDATE audit_events SET target = 'operator:someone-else' WHERE seq = 1`);
    await engine.close();
    const bad = run(['audit', 'verify', '--data', dataDir, '--tenant', PLATFORM_TENANT_ID]);
    expect(await bad.exit).toBe(1);
    expect(bad.stdout()).toBe('');
    expect(bad.stderr()).toBe(
      `attest-service: audit log ${PLATFORM_TENANT_ID}: first bad sequence number 1: event 1 was altered: its stored fields do not hash to its leaf\n`,
    );
  }, 120_000);

  it('answers bad flags with usage on stderr and exit code 2', async () => {
    const p = run(['--bogus']);
    expect(await p.exit).toBe(2);
    expect(p.stdout()).toBe('');
    expect(p.stderr()).toMatch(/Unknown option '--bogus'[\s\S]*Usage:/);
  });
});
