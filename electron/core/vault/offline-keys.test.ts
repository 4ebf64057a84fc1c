import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOutboxJournal } from '../offline/outbox-journal';
import { readReplicaFile, writeReplicaFile } from '../offline/replica-file';
import { createKeytarVault } from './keytar-vault';
import { offlineKey } from './offline-keys';

// The offline files' keys in the real OS keychain (gnome-keyring over D-Bus in the tests).
describe('offline keys in the OS keychain', () => {
  const service = `attest-test-offline-${process.pid}-${Date.now()}`;
  const dir = mkdtempSync(join(tmpdir(), 'attest-offline-keys-'));
  const vault = createKeytarVault({ service });
  afterAll(async () => {
    await vault.delete('outbox-key');
    await vault.delete('replica-key');
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a random key on first use, keeps it in the keychain, and a console started later finds the same one', async () => {
    const outbox = await offlineKey(vault, 'outbox-key');
    const replica = await offlineKey(vault, 'replica-key');
    expect(outbox).toHaveLength(32);
    expect(replica.equals(outbox)).toBe(false);
    expect(await vault.get('outbox-key')).toBe(outbox.toString('base64'));

    const later = createKeytarVault({ service });
    expect((await offlineKey(later, 'outbox-key')).equals(outbox)).toBe(true);
    expect((await offlineKey(later, 'replica-key')).equals(replica)).toBe(true);
  });

  it('opens the sealed files only with the keys from the keychain', async () => {
    const replicaPath = join(dir, 'replica.db');
    const outboxPath = join(dir, 'outbox.journal');
    await writeReplicaFile(replicaPath, new TextEncoder().encode('replica bytes'), await offlineKey(vault, 'replica-key'));
    const journal = await openOutboxJournal<{ note: string }>(outboxPath, await offlineKey(vault, 'outbox-key'));
    await journal.append({ note: 'kept' });
    await journal.close();

    const later = createKeytarVault({ service });
    expect(new TextDecoder().decode((await readReplicaFile(replicaPath, await offlineKey(later, 'replica-key')))!)).toBe('replica bytes');
    const reopened = await openOutboxJournal<{ note: string }>(outboxPath, await offlineKey(later, 'outbox-key'));
    expect(reopened.pending().map((e) => e.payload)).toEqual([{ note: 'kept' }]);
    await reopened.close();
    // The outbox's key is not the replica's: the replica refuses it.
    await expect(readReplicaFile(replicaPath, await offlineKey(later, 'outbox-key'))).rejects.toMatchObject({ code: 'replica_key_mismatch' });
  });

  it('refuses a keychain entry that is not a 32-byte key instead of replacing it (that would orphan the files it seals)', async () => {
    const other = createKeytarVault({ service: `${service}-damaged` });
    try {
      await other.set('replica-key', 'not a key');
      await expect(offlineKey(other, 'replica-key')).rejects.toMatchObject({ code: 'keychain_unavailable' });
      expect(await other.get('replica-key')).toBe('not a key');
    } finally {
      await other.delete('replica-key');
    }
  });
});
