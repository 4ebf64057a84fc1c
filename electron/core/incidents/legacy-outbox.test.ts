import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState } from '../../../shared/ipc/contract';
import type { TestUser } from '../../../service/testing/identity-fixtures';
import { startRealService, type RealService } from '../../../service/testing/real-service';
import { openOutboxJournal } from '../offline/outbox-journal';
import { writeReplicaFile } from '../offline/replica-file';
import { ok, signIn, startConsole, type ConsoleUnderTest } from '../testing/console-under-test.fixture';
import type { OutboxRecord } from './outbox-records';

/**
 * An earlier console kept one outbox and one replica for whoever was signed in. Its unsynced
 * edits are its last session's: they go to the person whose stored session this console
 * resumes, and to nobody who signs in afresh.
 */
describe('the outbox of an earlier console (one for everyone)', () => {
  let service: RealService;
  const cleanup: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    service = await startRealService();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  afterAll(() => service.close());

  const notes = (incidentId: string) =>
    service.db.platform((tx) =>
      tx.query<{ actor_id: string; text: string }>(`SELECT actor_id, body->>'text' AS text FROM incident_timeline WHERE incident_id = $1 AND kind = 'note'`, [incidentId]),
    );
  const untilSignedIn = async (c: ConsoleUnderTest) => {
    for (let i = 0; i < 100; i++) {
      if ((ok<'auth.state'>(await c.call('auth.state')) as AuthState).step === 'signed_in') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the session did not resume');
  };

  /** A synced incident, then the files an earlier console leaves: a pending note in incidents/outbox.journal, a replica beside it. */
  const earlierConsole = async (author: TestUser) => {
    const first = await startConsole(service, cleanup);
    await signIn(service, first, author);
    const incident = ok<'incidents.create'>(
      await first.call('incidents.create', { title: 'Before the upgrade', severity: 'P2', personalData: false, affectedTenantIds: [], detectedAt: new Date(Date.now() - 3_600_000).toISOString() }),
    ).incident;
    await first.close();
    const dir = join(first.dataDir, 'incidents');
    mkdirSync(dir, { recursive: true });
    const outboxKey = randomBytes(32);
    await first.vault.set('outbox-key', outboxKey.toString('base64'));
    await first.vault.set('replica-key', randomBytes(32).toString('base64'));
    const journal = await openOutboxJournal<OutboxRecord>(join(dir, 'outbox.journal'), outboxKey);
    await journal.append({ type: 'edit', edit: { kind: 'note', incidentId: incident.id, at: new Date().toISOString(), text: 'Written before the upgrade' } });
    await journal.close();
    await writeReplicaFile(join(dir, 'replica.db'), new TextEncoder().encode('an earlier replica'), Buffer.from((await first.vault.get('replica-key'))!, 'base64'));
    return { first, dir, incident };
  };

  it('goes to the person whose stored session the console resumes, and is pushed once under their session', async () => {
    const author = await service.user({ platformRoles: ['security_officer'] });
    const { first, dir, incident } = await earlierConsole(author);
    const again = await startConsole(service, cleanup, { vault: first.vault, dataDir: first.dataDir });
    await untilSignedIn(again);
    expect(ok<'incidents.sync'>(await again.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, problem: null });
    expect(await notes(incident.id)).toEqual([{ actor_id: author.userId, text: 'Written before the upgrade' }]);
    expect(existsSync(join(dir, 'outbox.journal'))).toBe(false);
    expect(existsSync(join(dir, 'replica.db'))).toBe(false);
    expect(await first.vault.get('outbox-key')).toBeNull();
    expect(await first.vault.get('replica-key')).toBeNull();
  });

  it('is not read, pushed or touched for someone who signs in afresh', async () => {
    const author = await service.user({ platformRoles: ['security_officer'] });
    const { first, dir, incident } = await earlierConsole(author);
    // Signed out since: the stored session is gone, so nobody's session continues the earlier one.
    await first.vault.delete('refresh-token');
    const bytes = readFileSync(join(dir, 'outbox.journal'));
    const again = await startConsole(service, cleanup, { vault: first.vault, dataDir: first.dataDir });
    await signIn(service, again, await service.user({ platformRoles: ['security_officer'] }));
    expect(ok<'incidents.sync'>(await again.call('incidents.sync'))).toMatchObject({ pendingEdits: 0, problem: null });
    expect(await notes(incident.id)).toEqual([]);
    expect(readFileSync(join(dir, 'outbox.journal')).equals(bytes)).toBe(true);
    expect(await first.vault.get('outbox-key')).not.toBeNull();
  });
});
