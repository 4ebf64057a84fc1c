import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { MAX_CLOCK_SKEW_MS } from '../../../shared/incidents/edit-time';
import type { CreateIncidentRequestSchema, IncidentDetail } from '../../../shared/incidents/api';
import type {
  DeclareIncidentInputSchema,
  IncidentEditInput,
  IncidentExportInputSchema,
  IncidentExportResultSchema,
  IncidentListInputSchema,
  IncidentListItem,
  IncidentView,
  ResolveConflictInput,
  SyncStatus,
} from '../../../shared/ipc/incidents';
import type { ChooseExportPath } from '../audit/audit-console';
import type { ServiceClient } from '../client/service-client';
import { CoreError } from '../core-error';
import type { PdfPrinter } from '../documents/pdf-printer';
import { pullDirectory } from '../offline/directory-pull';
import { nobodySignedIn, ownerBinding, type OfflineOwner } from '../offline/offline-owner';
import { createReplica, type Replica } from '../offline/replica-database';
import type { Vault } from '../vault/vault';
import { pullAudit } from './audit-pull';
import { pullChanges } from './changes-pull';
import { createIncidentExport } from './incident-export';
import { sentNotices } from '../../../shared/incidents/incident';
import { incidentView, listView, localView } from './incident-views';
import { offlineEdit } from './offline-edit';
import { pushOutbox } from './outbox-push';
import { createPersonCopies, type PersonCopy } from './person-copy';
import { createSyncQueue } from './sync-queue';

export { derivedUuid, type OutboxRecord } from './outbox-records';
import type { DeclaredIncident } from './outbox-records';

/**
 * The console's incidents, online or offline. Every edit goes to the outbox
 * (fsynced) and is acknowledged as pending before any network call; sync pushes
 * the outbox in order with its idempotency keys, then pulls the changes feed into
 * the replica. Reads are the replica with the pending edits applied on top.
 * Outbox and replica are the signed-in person's own (person-copy.ts): with nobody
 * signed in every read is refused, and nobody else's edits are ever pushed.
 */
export interface IncidentConsole {
  list(filter: z.output<typeof IncidentListInputSchema>): Promise<{ items: IncidentListItem[]; total: number; now: string; tenants: Record<string, string>; people: Record<string, string> }>;
  get(incidentId: string): Promise<IncidentView>;
  create(request: z.output<typeof CreateIncidentRequestSchema>): Promise<IncidentDetail>;
  /** Journals a declaration (fsynced) and acknowledges it as pending; the next sync opens it on the service. */
  declare(input: z.output<typeof DeclareIncidentInputSchema>): Promise<{ incidentId: string; seq: number; pending: true }>;
  edit(input: IncidentEditInput): Promise<{ seq: number; idempotencyKey: string; pending: true }>;
  sync(): Promise<SyncStatus>;
  /** The signed-in person's sync state; nothing (no edits, no conflicts, no problem) while nobody is signed in. */
  status(): Promise<SyncStatus>;
  resolveConflict(input: ResolveConflictInput): Promise<SyncStatus>;
  /** Replaces the replica with a fresh pull from the service; the outbox is never touched. */
  resync(): Promise<SyncStatus>;
  export(input: z.output<typeof IncidentExportInputSchema>): Promise<z.output<typeof IncidentExportResultSchema>>;
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** Reads the signed-in person's replica as it stands (e.g. for offline reads of the directory); not_signed_in while nobody is. */
  readReplica<T>(read: (replica: Replica) => T): Promise<T>;
  close(): Promise<void>;
}

export interface IncidentConsoleOptions {
  client: Pick<ServiceClient, 'call'>;
  vault: Vault;
  /** The incidents folder: each person's outbox.journal and replica.db in a folder of their own under it. */
  dir: string;
  /** Who is signed in now (offline-owner.ts): whose copy is read, the tenant scope it is filled from, the actor of pending entries. */
  owner: () => Promise<OfflineOwner | null>;
  /** The person whose stored session the console resumed: heir of an earlier console's single outbox. */
  legacyHeir?: () => string | null;
  chooseExportPath: ChooseExportPath;
  /** Prints documents to PDF files; absent in browser mode, where the page prints the HTML the export returns. */
  pdfPrinter?: PdfPrinter;
  /** Days of audit events the replica keeps (the service's log is the record; this is for offline reading). */
  auditDays?: number;
  /** Called once an edit is journaled: the moment to try pushing it. */
  onSaved?: () => void;
  now?: () => Date;
}

const NOBODY: SyncStatus = { syncing: false, pendingEdits: 0, conflicts: 0, lastSyncedAt: null, problem: null, progress: null };

export function createIncidentConsole(options: IncidentConsoleOptions): IncidentConsole {
  const { client } = options;
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(status: SyncStatus) => void>();
  const exportDocument = createIncidentExport({ client, chooseExportPath: options.chooseExportPath, pdfPrinter: options.pdfPrinter, now });
  let closed = false;
  /** The copy the running sync works on, and how far it is; null between syncs. Listeners hear of progress once per edit or page. */
  let syncingCopy: PersonCopy | null = null;
  let progress: SyncStatus['progress'] = null;
  const copies = createPersonCopies({ dir: options.dir, vault: options.vault, owner: options.owner, legacyHeir: options.legacyHeir, inUse: (c) => c === syncingCopy });

  const notInOfflineCopy = (copy: PersonCopy) =>
    new CoreError(
      'not_in_offline_copy',
      `This incident is not in your offline copy yet; it will load when the service is reachable${copy.lastSyncedAt === null ? '' : ` (last synced ${copy.lastSyncedAt})`}.`,
    );

  const status = async (): Promise<SyncStatus> => {
    // As it is now: a report's notify must not show the next report's progress.
    const progressNow = progress;
    let copy: PersonCopy | null;
    try {
      copy = await copies.current();
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      return { ...NOBODY, syncing: syncingCopy !== null, problem: { code: error.code, message: error.message } };
    }
    if (copy === null) return NOBODY;
    const { pendingEdits, conflicts, lastSyncedAt, problem } = copy;
    // A sync that has not picked its copy yet is the signed-in person's (it picks theirs).
    const mine = queue.running && (syncingCopy === null || syncingCopy === copy);
    return { syncing: mine, pendingEdits, conflicts: conflicts.size, lastSyncedAt, problem, progress: mine ? progressNow : null };
  };
  const notify = async (): Promise<SyncStatus> => {
    const s = await status();
    if (!closed) for (const listener of listeners) listener(s);
    return s;
  };
  const report = (next: NonNullable<SyncStatus['progress']>): void => {
    progress = next;
    void notify();
  };

  const queue = createSyncQueue({
    closed: () => closed,
    notify,
    succeeded: () => {
      if (!syncingCopy) return;
      syncingCopy.lastSyncedAt = now().toISOString();
      if (syncingCopy.replicaRefused === null) syncingCopy.problem = null;
    },
    failed: (error) => {
      if (syncingCopy) syncingCopy.problem = { code: error.code, message: error.message };
    },
    ended: () => {
      syncingCopy = null;
      progress = null;
    },
  });

  /** Runs sync work on the signed-in person's copy; refused while nobody is signed in. */
  const runSync = async (work: (copy: PersonCopy) => Promise<void>): Promise<SyncStatus> => {
    if (!closed && (await options.owner()) === null) throw nobodySignedIn();
    return queue.run(async () => {
      // The person signed in when the sync starts (after any sync before it): theirs are the files and the session.
      syncingCopy = await copies.mine();
      await work(syncingCopy);
    });
  };

  const push = (copy: PersonCopy): Promise<boolean> =>
    pushOutbox({
      client,
      outbox: copy.outbox,
      replica: copy.replica,
      conflicts: copy.conflicts,
      onProgress: report,
      onApplied: (count) => (copy.pendingEdits -= count),
      ownerSignedIn: () => copies.owns(copy),
    });

  const pull = async (copy: PersonCopy, into: Replica = copy.replica): Promise<boolean> => {
    const { scope } = copy.owner;
    if (scope === null) throw new CoreError('forbidden', 'Your account has no tenant or platform role: there are no incidents to sync.');
    // Each phase runs under the copy's owner's session: one who signed out meanwhile ends the pull.
    const stillTheirs = async () => {
      if (!(await copies.owns(copy))) throw nobodySignedIn();
    };
    await stillTheirs();
    const changed = await pullChanges({ client, scope, into, onProgress: report });
    await stillTheirs();
    const since = new Date(now().getTime() - (options.auditDays ?? 90) * 86_400_000).toISOString();
    const audited = await pullAudit({ client, scope, into, since, onProgress: report });
    await stillTheirs();
    // Members and sessions of the person's tenants, for the Users and Sessions views offline.
    return (await pullDirectory({ client, into, now })) || audited || changed;
  };

  const sync = (): Promise<SyncStatus> =>
    runSync(async (copy) => {
      const pushed = await push(copy);
      const pulled = copy.replicaRefused === null ? await pull(copy) : false;
      // One snapshot per sync, never per edit.
      if ((pushed || pulled) && copy.replicaRefused === null) await copy.replica.save(copy.replicaPath, copy.replicaKey);
    });

  const resync = (): Promise<SyncStatus> =>
    runSync(async (copy) => {
      await push(copy);
      const fresh = await createReplica();
      try {
        fresh.bindTo(ownerBinding(copy.owner));
        await pull(copy, fresh);
        await fresh.save(copy.replicaPath, copy.replicaKey);
      } catch (error) {
        fresh.close();
        throw error;
      }
      copy.replica.close();
      copy.replica = fresh;
      copy.replicaRefused = null;
      copy.problem = null;
    });

  /** The signed-in person's copy as they see it: their pending edits applied, as theirs. */
  const view = async () => {
    const copy = await copies.mine();
    return { copy, local: localView(copy, copy.owner.userId) };
  };

  return {
    async list(filter) {
      const { copy, local } = await view();
      return listView(local, copy.conflicts, filter, now());
    },

    async get(incidentId) {
      const { copy, local } = await view();
      const shown = incidentView(local, copy.conflicts, incidentId, now());
      if (!shown) throw notInOfflineCopy(copy);
      return shown;
    },

    async create(request) {
      const copy = await copies.mine();
      const detail = await client.call('createIncident', { body: request });
      // Signed out (or someone else signed in) while the service answered: the new incident is not theirs to keep.
      if (!(await copies.owns(copy))) return detail;
      copy.replica.upsertIncident(detail.incident);
      copy.replica.setNotices(detail.incident.id, detail.noticeFacts, detail.notices);
      for (const e of detail.timeline) copy.replica.addTimelineEntry(e);
      void notify();
      return detail;
    },

    async declare(input) {
      const copy = await copies.mine();
      const at = now();
      // The service refuses these too; said now, before anything is journaled.
      if (Date.parse(input.detectedAt) > at.getTime() + MAX_CLOCK_SKEW_MS) {
        throw new CoreError('incident_time_in_future', 'The detection time is in the future; check it (and this device\'s clock).');
      }
      const request: DeclaredIncident = {
        ...input,
        verifiedAt: null,
        commanderId: copy.owner.userId,
        assigneeIds: [copy.owner.userId],
        notice: { likelyImpact: '', mitigation: '', contactPoint: '' },
        id: randomUUID(),
        declaredAt: at.toISOString(),
      };
      const entry = await copy.outbox.append({ type: 'create', request });
      copy.pendingEdits += 1;
      void notify();
      options.onSaved?.();
      return { incidentId: request.id, seq: entry.seq, pending: true as const };
    },

    async edit({ incidentId, change }) {
      const { copy, local } = await view();
      const incident = local.incidents.get(incidentId);
      if (!incident) throw notInOfflineCopy(copy);
      const sent = sentNotices([...copy.replica.timeline(incidentId), ...(local.pendingEntries.get(incidentId) ?? [])]);
      const entry = await copy.outbox.append({ type: 'edit', edit: offlineEdit(incident, copy.replica, change, now().toISOString(), sent) });
      copy.pendingEdits += 1;
      void notify();
      options.onSaved?.();
      return { seq: entry.seq, idempotencyKey: entry.idempotencyKey, pending: true as const };
    },

    sync,
    status,

    async resolveConflict(input) {
      const copy = await copies.mine();
      await copy.conflicts.resolve(input, copy, now().toISOString());
      return sync();
    },

    resync,

    async export(input) {
      const owner = await options.owner();
      if (!owner) throw new CoreError('not_signed_in', 'Sign in to export incident documents.');
      if (owner.scope === null) throw new CoreError('forbidden', 'Your account has no tenant or platform role: there are no incident documents to export.');
      return exportDocument(owner.scope, input);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async readReplica(read) {
      return read((await copies.mine()).replica);
    },

    async close() {
      closed = true;
      listeners.clear();
      await queue.drain();
      await copies.close();
    },
  };
}
