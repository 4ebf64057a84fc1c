import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState } from '../../../shared/ipc/contract';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { ownerFolder, ownerKeyAccount } from '../offline/offline-owner';
import { ok, signIn, startConsole, type ConsoleUnderTest } from '../testing/console-under-test.fixture';
import { createKeytarVault } from '../vault/keytar-vault';
import type { Vault } from '../vault/vault';

/**
 * Threat: a second person at a shared desktop. An incident responder syncs incidents to the
 * console, writes an edit offline and signs out; a person the service refuses incidents to
 * signs in on the same console. Real service over HTTPS, real OS keychain (gnome-keyring over
 * D-Bus via scripts/with-keyring.sh, as npm test runs it).
 */
describe('shared desk: the incidents offline copy is its owner’s alone', () => {
  let service: RealService;
  let tenantId: TenantId;
  const cleanup: Array<() => Promise<void>> = [];
  const vaults: Array<{ vault: Vault; users: TestUser[] }> = [];

  beforeAll(async () => {
    service = await startRealService();
    tenantId = await service.tenant();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
    for (const { vault, users } of vaults.splice(0)) {
      await vault.delete('refresh-token');
      for (const u of users) for (const kind of ['outbox-key', 'replica-key'] as const) await vault.delete(ownerKeyAccount(kind, u.userId));
    }
  });
  afterAll(() => service.close());

  const keychain = (users: TestUser[]): Vault => {
    const vault = createKeytarVault({ service: `attest-test-shared-desk-${process.pid}-${Date.now()}-${vaults.length}` });
    vaults.push({ vault, users });
    return vault;
  };
  const serviceNotes = (incidentId: string) =>
    service.db.platform((tx) =>
      tx.query<{ actor_id: string; text: string }>(`SELECT actor_id, body->>'text' AS text FROM incident_timeline WHERE incident_id = $1 AND kind = 'note' ORDER BY at`, [incidentId]),
    );
  const editsPushed = () => service.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/edits')).length;
  const refused = (code: string) => ({ ok: false, error: { code } });
  const untilSignedIn = async (c: ConsoleUnderTest) => {
    for (let i = 0; i < 100; i++) {
      if ((ok<'auth.state'>(await c.call('auth.state')) as AuthState).step === 'signed_in') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the session did not resume');
  };

  /** A responder's console: one incident synced, one note written offline (pending), then signed out offline. */
  const responderSignedOut = async () => {
    const responder = await service.user({ platformRoles: ['security_officer'] });
    const viewer = await service.user({ memberships: [{ tenantId, role: 'viewer' }] });
    const c = await startConsole(service, cleanup, { vault: keychain([responder, viewer]) });
    await signIn(service, c, responder);
    const title = `Leaked deploy key ${Math.random().toString(36).slice(2, 8)}`;
    const incident = ok<'incidents.create'>(
      await c.call('incidents.create', {
        title,
        severity: 'P1',
        personalData: true,
        affectedTenantIds: [tenantId],
        detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
        awareAt: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    ).incident;
    ok(await c.call('incidents.sync'));
    await c.link.cut();
    ok(await c.call('incidents.edit', { incidentId: incident.id, change: { kind: 'note', text: 'Rotated the key on the build host' } }));
    expect(ok<'incidents.syncStatus'>(await c.call('incidents.syncStatus'))).toMatchObject({ pendingEdits: 1 });
    // Signed out while the service is away: the console forgets the session at once.
    expect(ok<'auth.logout'>(await c.call('auth.logout'))).toMatchObject({ step: 'signed_out' });
    return { c, responder, viewer, incident, title };
  };

  it('after sign-out nothing of the copy is readable: list, get, counts, conflicts, edits, sync, export, directory all refuse', async () => {
    const { c, incident, responder, title } = await responderSignedOut();

    await expect(c.call('incidents.list', {})).resolves.toMatchObject(refused('not_signed_in'));
    await expect(c.call('incidents.get', { incidentId: incident.id })).resolves.toMatchObject(refused('not_signed_in'));
    await expect(c.call('incidents.edit', { incidentId: incident.id, change: { kind: 'note', text: 'x' } })).resolves.toMatchObject(refused('not_signed_in'));
    await expect(c.call('incidents.resolveConflict', { seq: 1, choice: 'keep_theirs' })).resolves.toMatchObject(refused('not_signed_in'));
    await expect(c.call('incidents.sync')).resolves.toMatchObject(refused('not_signed_in'));
    await expect(c.call('incidents.resync')).resolves.toMatchObject(refused('not_signed_in'));
    await expect(c.call('incidents.export', { incidentId: incident.id, document: 'review' })).resolves.toMatchObject(refused('not_signed_in'));
    // No counts either: pending edits and conflicts are the owner's business.
    expect(ok<'incidents.syncStatus'>(await c.call('incidents.syncStatus'))).toEqual({
      syncing: false,
      pendingEdits: 0,
      conflicts: 0,
      lastSyncedAt: null,
      problem: null,
      progress: null,
    });
    expect(ok<'connection.status'>(await c.call('connection.status'))).toMatchObject({ pendingEdits: 0 });
    await expect(c.call('members.list', { tenantId })).resolves.toMatchObject({ ok: false });
    await expect(c.call('tenants.list')).resolves.toMatchObject({ ok: false });

    // On disk the copy stays, sealed: the files are there, the title is not readable in them.
    const folder = ownerFolder(join(c.dataDir, 'incidents'), responder.userId);
    for (const file of ['outbox.journal', 'replica.db']) expect(readFileSync(join(folder, file)).includes(Buffer.from(title))).toBe(false);
    expect(readFileSync(join(folder, 'outbox.journal')).includes(Buffer.from('Rotated the key'))).toBe(false);
  });

  it('the next person (refused incidents by the service) sees none of it, and the owner’s pending edit goes out only under the owner’s session', async () => {
    const { c, incident, responder, viewer } = await responderSignedOut();
    const outboxPath = join(ownerFolder(join(c.dataDir, 'incidents'), responder.userId), 'outbox.journal');
    const outboxBefore = readFileSync(outboxPath);
    await c.link.restore();
    await c.call('connection.retry');

    const pushedBefore = editsPushed();
    await signIn(service, c, viewer);
    // Their own sync (started at sign-in, and asked for here) pulls what the service lets them see: no incidents.
    const theirs = ok<'incidents.sync'>(await c.call('incidents.sync'));
    expect(theirs).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: { code: 'forbidden' } });
    expect(ok<'incidents.list'>(await c.call('incidents.list', {})).items).toEqual([]);
    await expect(c.call('incidents.get', { incidentId: incident.id })).resolves.toMatchObject(refused('not_in_offline_copy'));
    await expect(c.call('incidents.edit', { incidentId: incident.id, change: { kind: 'note', text: 'x' } })).resolves.toMatchObject(refused('not_in_offline_copy'));
    await expect(c.call('incidents.resolveConflict', { seq: 1, choice: 'keep_theirs' })).resolves.toMatchObject(refused('not_found'));
    await expect(c.call('incidents.export', { incidentId: incident.id, document: 'review' })).resolves.toMatchObject(refused('forbidden'));
    expect(ok<'incidents.syncStatus'>(await c.call('incidents.syncStatus'))).toMatchObject({ pendingEdits: 0, conflicts: 0 });
    expect(ok<'connection.status'>(await c.call('connection.status'))).toMatchObject({ pendingEdits: 0 });
    // Offline, their directory is their own too: never the responder's lists.
    await c.link.cut();
    expect(ok<'incidents.list'>(await c.call('incidents.list', {})).items).toEqual([]);
    await c.link.restore();
    await c.call('connection.retry');

    // The responder's edit was not sent under the viewer's session, and is still journaled as it was.
    expect(editsPushed()).toBe(pushedBefore);
    expect((await serviceNotes(incident.id)).map((n) => n.text)).not.toContain('Rotated the key on the build host');
    expect(readFileSync(outboxPath).equals(outboxBefore)).toBe(true);

    ok(await c.call('auth.logout'));
    await signIn(service, c, responder);
    expect(ok<'incidents.syncStatus'>(await c.call('incidents.syncStatus')).conflicts).toBe(0);
    expect(ok<'incidents.sync'>(await c.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, conflicts: 0, problem: null });
    // Sent once, under the responder's own session: the service records them as its author.
    expect(await serviceNotes(incident.id)).toEqual([{ actor_id: responder.userId, text: 'Rotated the key on the build host' }]);
    expect(ok<'incidents.list'>(await c.call('incidents.list', {})).items.map((i) => i.incident.id)).toContain(incident.id);
  });

  it('a console restarted with the owner signed out shows nothing until the owner signs in again', async () => {
    const { c, incident, responder } = await responderSignedOut();
    await c.close();
    const again = await startConsole(service, cleanup, { vault: c.vault, dataDir: c.dataDir, link: c.link });
    await c.link.restore();
    await again.call('connection.retry');
    await expect(again.call('incidents.list', {})).resolves.toMatchObject(refused('not_signed_in'));
    expect(ok<'incidents.syncStatus'>(await again.call('incidents.syncStatus'))).toMatchObject({ pendingEdits: 0 });
    await signIn(service, again, responder);
    await untilSignedIn(again);
    expect(ok<'incidents.syncStatus'>(await again.call('incidents.syncStatus')).pendingEdits).toBeLessThanOrEqual(1);
    expect(ok<'incidents.sync'>(await again.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, problem: null });
    expect((await serviceNotes(incident.id)).map((n) => n.actor_id)).toEqual([responder.userId]);
  });
});
