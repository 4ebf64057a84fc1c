import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SyncStatus } from '../../../shared/ipc/incidents';
import { CoreError } from '../core-error';
import { nobodySignedIn, ownerBinding, ownerFolder, ownerKeyAccount, type OfflineOwner } from '../offline/offline-owner';
import { openOutboxJournal, type OutboxJournal } from '../offline/outbox-journal';
import { createReplica, loadReplica, type Replica } from '../offline/replica-database';
import { syncDirectory } from '../../../shared/node/durable-file';
import { offlineKey } from '../vault/offline-keys';
import type { Vault } from '../vault/vault';
import { createIncidentConflicts, type IncidentConflicts } from './incident-conflicts';
import { pendingCount, type OutboxRecord } from './outbox-records';

/** One person's outbox and replica (in their own folder, under their own keys) and the sync state that goes with them. */
export interface PersonCopy {
  owner: OfflineOwner;
  readonly outbox: OutboxJournal<OutboxRecord>;
  replica: Replica;
  readonly replicaKey: Buffer;
  readonly replicaPath: string;
  readonly conflicts: IncidentConflicts;
  /** Edits journaled and not yet acknowledged, counted on open and kept on append and acknowledge: status() is asked on every emit. */
  pendingEdits: number;
  lastSyncedAt: string | null;
  problem: SyncStatus['problem'];
  /** Set when the replica file was refused: pulls wait for an explicit resync, which replaces it. */
  replicaRefused: CoreError | null;
}

export interface PersonCopies {
  /** The copy of the person signed in now (opened on first use, its replica refilled when their scope changed); null while nobody is. */
  current(): Promise<PersonCopy | null>;
  /** The same, refused with not_signed_in while nobody is signed in. */
  mine(): Promise<PersonCopy>;
  /** Whether the person signed in now is the copy's owner: a sync checks before each request it sends for them. */
  owns(copy: PersonCopy): Promise<boolean>;
  close(): Promise<void>;
}

export interface PersonCopiesOptions {
  /** The incidents folder: one folder per person under it. */
  dir: string;
  vault: Vault;
  owner: () => Promise<OfflineOwner | null>;
  /**
   * The person whose stored session the console resumed: an earlier console kept one outbox
   * for whoever was signed in, and only that session's person can be its author.
   */
  legacyHeir?: () => string | null;
  /** Whether a sync is working on this copy now: another person's copy is closed only after it. */
  inUse: (copy: PersonCopy) => boolean;
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

export function createPersonCopies(options: PersonCopiesOptions): PersonCopies {
  const { dir, vault } = options;
  const opening = new Map<string, Promise<PersonCopy>>();
  const opened = new Map<string, PersonCopy>();
  const rebinding = new Map<string, Promise<void>>();
  let closed = false;

  /**
   * An earlier console's files. Its outbox's pending entries go to its heir's outbox (same
   * idempotency keys, so a crash before the old file is gone repeats nothing on the service),
   * then the old file and key go; its replica is only a cache and goes at once.
   */
  const adoptLegacy = async (owner: OfflineOwner, outbox: OutboxJournal<OutboxRecord>): Promise<void> => {
    const legacyPath = join(dir, 'outbox.journal');
    const legacyKey = options.legacyHeir?.() === owner.userId && (await exists(legacyPath)) ? await vault.get('outbox-key') : null;
    if (legacyKey !== null) {
      const legacy = await openOutboxJournal<OutboxRecord>(legacyPath, Buffer.from(legacyKey, 'base64'));
      try {
        const seqs = new Map<number, number>();
        for (const e of legacy.pending()) {
          const payload = e.payload.type === 'resolution' ? { ...e.payload, ofSeq: seqs.get(e.payload.ofSeq) ?? e.payload.ofSeq } : e.payload;
          seqs.set(e.seq, (await outbox.append(payload, { idempotencyKey: e.idempotencyKey })).seq);
        }
      } finally {
        await legacy.close();
      }
      await rm(legacyPath, { force: true });
      await syncDirectory(dir);
      await vault.delete('outbox-key');
    }
    if (await exists(join(dir, 'replica.db'))) {
      await rm(join(dir, 'replica.db'), { force: true });
      await vault.delete('replica-key');
    }
  };

  /** A fresh replica bound to the owner and scope. */
  const freshReplica = async (owner: OfflineOwner): Promise<Replica> => {
    const replica = await createReplica();
    replica.bindTo(ownerBinding(owner));
    return replica;
  };

  const open = async (owner: OfflineOwner): Promise<PersonCopy> => {
    const folder = ownerFolder(dir, owner.userId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const outbox = await openOutboxJournal<OutboxRecord>(join(folder, 'outbox.journal'), await offlineKey(vault, ownerKeyAccount('outbox-key', owner.userId)));
    await adoptLegacy(owner, outbox);
    const replicaKey = await offlineKey(vault, ownerKeyAccount('replica-key', owner.userId));
    const replicaPath = join(folder, 'replica.db');
    let replica: Replica | null = null;
    let replicaRefused: CoreError | null = null;
    try {
      replica = await loadReplica(replicaPath, replicaKey);
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      replicaRefused = error;
    }
    // Filled for another scope (a role granted or ended since): refilled by the next sync, never shown.
    if (replica !== null && replica.boundTo() !== ownerBinding(owner)) {
      replica.close();
      replica = null;
    }
    return {
      owner,
      outbox,
      replica: replica ?? (await freshReplica(owner)),
      replicaKey,
      replicaPath,
      conflicts: createIncidentConflicts(),
      pendingEdits: pendingCount(outbox),
      lastSyncedAt: null,
      problem: replicaRefused === null ? null : { code: replicaRefused.code, message: replicaRefused.message },
      replicaRefused,
    };
  };

  const closedCopies = new WeakSet<PersonCopy>();
  /** Once only: console close and a person change can both come to the same copy. */
  const closeCopy = async (copy: PersonCopy): Promise<void> => {
    if (closedCopies.has(copy)) return;
    closedCopies.add(copy);
    await copy.outbox.close();
    copy.replica.close();
  };

  /** Other people's copies leave memory once no sync works on them. */
  const retireOthers = async (userId: string): Promise<void> => {
    for (const [id, copy] of opened) {
      if (id === userId || options.inUse(copy)) continue;
      opened.delete(id);
      opening.delete(id);
      await closeCopy(copy);
    }
  };

  /** The same person in another scope: the replica filled for the old one is dropped, the outbox stays. */
  const rebind = async (copy: PersonCopy, owner: OfflineOwner): Promise<void> => {
    const old = copy.replica;
    copy.replica = await freshReplica(owner);
    copy.owner = owner;
    copy.lastSyncedAt = null;
    copy.replicaRefused = null;
    copy.problem = null;
    if (!options.inUse(copy)) old.close();
  };

  const current = async (): Promise<PersonCopy | null> => {
    const owner = await options.owner();
    if (owner === null || closed) return null;
    let entry = opening.get(owner.userId);
    if (!entry) {
      const started = open(owner).then((copy) => {
        opened.set(owner.userId, copy);
        return copy;
      });
      entry = started;
      opening.set(owner.userId, started);
      started.catch(() => {
        if (opening.get(owner.userId) === started) opening.delete(owner.userId);
      });
    }
    const copy = await entry;
    if (copy.owner.scope !== owner.scope) {
      let done = rebinding.get(owner.userId);
      if (!done) {
        done = rebind(copy, owner).finally(() => rebinding.delete(owner.userId));
        rebinding.set(owner.userId, done);
      }
      await done;
    }
    await retireOthers(owner.userId);
    return copy;
  };

  return {
    current,
    async mine() {
      const copy = await current();
      if (copy === null) throw nobodySignedIn();
      return copy;
    },
    async owns(copy) {
      return (await options.owner())?.userId === copy.owner.userId;
    },
    async close() {
      closed = true;
      const all = await Promise.all([...opening.values()].map((p) => p.catch(() => null)));
      opening.clear();
      opened.clear();
      for (const copy of all) if (copy) await closeCopy(copy);
    },
  };
}
