import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TenantId } from '../../../shared/tenants/tenant';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { ok, signIn, startConsole } from '../testing/console-under-test.fixture';

/**
 * Threat: a second person at a shared desktop reads the audit log copy Verify log left on
 * disk (offline, the console falls back to it for Verify log and for exports). Real service
 * over HTTPS, the console core in browser mode (exports go to <dataDir>/exports).
 */
describe('shared desk: the offline copy of an audit log is its downloader’s alone', () => {
  let service: RealService;
  // The platform's log: sign-ins land in it, so it has events to copy.
  const tenantId = '00000000-0000-0000-0000-000000000000' as TenantId;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    service = await startRealService();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(() => service.close());

  it('after sign-out, and for the next person, Verify log from the copy and the offline export refuse; the owner still has it', async () => {
    const owner = await service.user({ platformRoles: ['security_officer'] });
    const next = await service.user({ platformRoles: ['security_officer'] });
    const c = await startConsole(service, cleanup);
    await signIn(service, c, owner);
    const verified = ok<'audit.verifyLog'>(await c.call('audit.verifyLog', { tenantId, source: 'service' }));
    expect(verified).toMatchObject({ ok: true, source: 'service' });
    expect(verified.treeSize).toBeGreaterThan(0);
    expect(ok<'audit.verifyLog'>(await c.call('audit.verifyLog', { tenantId, source: 'cache' }))).toMatchObject({ ok: true, source: 'cache' });
    ok(await c.call('auth.logout'));

    await c.link.cut();
    await expect(c.call('audit.verifyLog', { tenantId, source: 'cache' })).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    await expect(c.call('audit.verifyLog', { tenantId, source: 'auto' })).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    await expect(c.call('audit.export', { tenantId, format: 'ndjson' })).resolves.toMatchObject({ ok: false, error: { code: 'not_signed_in' } });

    await c.link.restore();
    await c.call('connection.retry');
    await signIn(service, c, next);
    await c.link.cut();
    // The next person has no copy of their own yet, and never the owner's.
    await expect(c.call('audit.verifyLog', { tenantId, source: 'cache' })).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    await expect(c.call('audit.export', { tenantId, format: 'ndjson' })).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    const exports = join(c.dataDir, 'exports');
    const written = existsSync(exports) ? readdirSync(exports).filter((f) => readFileSync(join(exports, f), 'utf8').includes('"seq"')) : [];
    expect(written).toEqual([]);

    await c.link.restore();
    await c.call('connection.retry');
    ok(await c.call('auth.logout'));
    await signIn(service, c, owner);
    await c.link.cut();
    expect(ok<'audit.verifyLog'>(await c.call('audit.verifyLog', { tenantId, source: 'cache' }))).toMatchObject({ ok: true, source: 'cache' });
  });
});
