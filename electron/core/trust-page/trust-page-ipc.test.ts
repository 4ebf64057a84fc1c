import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcOutput } from '../../../shared/ipc/contract';
import type { TenantRole } from '../../../shared/identity/roles';
import { TrustPageBundleSchema } from '../../../shared/trust-page/bundle';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { ok, signIn, startConsole } from '../testing/console-under-test.fixture';

/** What anyone on the internet gets: no token. (The test's own service; its certificate is self-signed.) */
const fetchPublic = (base: string, path: string) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(new URL(path, base), { rejectUnauthorized: false, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });

type Checked = Extract<IpcOutput<'trustPage.verify'>, { state: 'checked' }>;

describe('trust page channels (core, against the real service)', () => {
  let service: RealService;
  const cleanup: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    service = await startRealService();
  });
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });
  afterAll(() => service.close());

  const setUp = async (role: TenantRole, opts: { open?: string | null } = {}) => {
    const tenantId = await service.tenant();
    const user: TestUser = await service.user({ memberships: [{ tenantId, role }] });
    let picked: string | null = null;
    const c = await startConsole(service, cleanup, { chooseExportPath: async (name) => (picked = join(c.dataDir, name)) });
    await signIn(service, c, user);
    const stepUp = async () => expect(await c.call('auth.stepUp', { code: await service.code(user.secret) })).toMatchObject({ ok: true });
    return { tenantId, user, c, stepUp, picked: () => picked, ...opts };
  };

  it('an owner previews, publishes after step-up; the public page verifies in the console, and a changed number does not', async () => {
    const { tenantId, c, stepUp, picked } = await setUp('owner');
    const preview = ok<'trustPage.preview'>(await c.call('trustPage.preview', { tenantId }));
    expect(preview).toMatchObject({ format: 'html', preview: true });
    await expect(c.call('trustPage.publish', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'step_up_required' } });
    await expect(c.call('trustPage.exportBundle', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    await stepUp();
    const publication = ok<'trustPage.publish'>(await c.call('trustPage.publish', { tenantId }));
    expect(ok<'trustPage.publications'>(await c.call('trustPage.publications', { tenantId })).map((p) => p.id)).toEqual([publication.id]);

    const page = await fetchPublic(service.url, publication.path);
    expect(page.status).toBe(200);
    const good = ok<'trustPage.verify'>(await c.call('trustPage.verify', { source: 'text', name: 'page.html', text: page.text })) as Checked;
    expect(good).toMatchObject({ state: 'checked', file: 'page.html', ok: true, code: null, keyPinned: true });
    expect(good.message).toMatch(/^Verified: /);

    const tampered = page.text.replace(/(data-control="auth\.mfa">[^<]*?)(\d+)/, (_, head: string, n: string) => `${head}${Number(n) + 1}`);
    expect(tampered).not.toBe(page.text);
    const bad = ok<'trustPage.verify'>(await c.call('trustPage.verify', { source: 'text', name: 'page.html', text: tampered })) as Checked;
    expect(bad).toMatchObject({ ok: false, code: expect.stringMatching(/^sentence_|page_altered/) });
    await expect(c.call('trustPage.verify', { source: 'text', name: 'x.txt', text: 'hello' })).resolves.toMatchObject({ ok: true, value: { ok: false, code: 'unparseable' } });

    const saved = ok<'trustPage.exportBundle'>(await c.call('trustPage.exportBundle', { tenantId }));
    expect(saved).toMatchObject({ state: 'saved', path: picked() });
    const bundle = TrustPageBundleSchema.parse(JSON.parse(await readFile(picked()!, 'utf8')));
    expect(bundle.snapshot.id).toBe(publication.snapshotId);
  });

  it('a page signed by a key the service never published fails, even though it is self-consistent', async () => {
    const { tenantId, c, stepUp } = await setUp('admin');
    await stepUp();
    const publication = ok<'trustPage.publish'>(await c.call('trustPage.publish', { tenantId }));
    const text = (await fetchPublic(service.url, publication.path)).text;
    const forged = text.replace(/&quot;keyId&quot;:&quot;([0-9a-f]{16})&quot;/g, '&quot;keyId&quot;:&quot;0000000000000000&quot;');
    expect(forged).not.toBe(text);
    const result = ok<'trustPage.verify'>(await c.call('trustPage.verify', { source: 'text', name: 'f.html', text: forged })) as Checked;
    expect(result).toMatchObject({ ok: false, code: 'signature_invalid', keyPinned: true });
  });

  it('refuses bad input and callers without the permission; the dialog source needs a dialog', async () => {
    const { tenantId, c } = await setUp('viewer');
    await expect(c.call('trustPage.preview', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(c.call('trustPage.publish', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const other = await setUp('owner');
    await other.stepUp();
    await expect(other.c.call('trustPage.publish', { tenantId })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(c.call('trustPage.verify', { source: 'dialog' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    for (const input of [{ source: 'path', path: '/etc/passwd' }, { source: 'text', name: '', text: 'x' }, { source: 'text', name: 'a', text: 'x'.repeat(5_000_001) }, { source: 'dialog', path: '/etc/passwd' }]) {
      await expect(c.call('trustPage.verify', input)).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    await expect(c.call('trustPage.publications', { tenantId: 'nope' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('a file picked in the main process is read there and verified', async () => {
    const { tenantId, c, stepUp } = await setUp('owner');
    await stepUp();
    const publication = ok<'trustPage.publish'>(await c.call('trustPage.publish', { tenantId }));
    const path = join(c.dataDir, 'downloaded.html');
    await writeFile(path, (await fetchPublic(service.url, publication.path)).text);
    const d = await startConsole(service, cleanup, { chooseOpenPath: async () => path, dataDir: c.dataDir });
    await expect(d.call('trustPage.verify', { source: 'dialog' })).resolves.toMatchObject({ ok: true, value: { state: 'checked', file: 'downloaded.html', ok: true, keyPinned: false } });
    const cancelled = await startConsole(service, cleanup, { chooseOpenPath: async () => null });
    await expect(cancelled.call('trustPage.verify', { source: 'dialog' })).resolves.toEqual({ ok: true, value: { state: 'cancelled' } });
  });
});
