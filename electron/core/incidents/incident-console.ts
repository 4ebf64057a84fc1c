import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { CreateIncidentRequestSchema, IncidentDetail } from '../../../shared/incidents/api';
import type {
  IncidentEditInput,
  IncidentExportInputSchema,
  IncidentExportResultSchema,
  IncidentListInputSchema,
  IncidentListItem,
  IncidentView,
  ResolveConflictInput,
  SyncStatus,
} from '../../../shared/ipc/incidents';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { ChooseExportPath } from '../audit/audit-console';
import type { ServiceClient } from '../client/service-client';
import { CoreError } from '../core-error';
import type { PdfPrinter } from '../documents/pdf-printer';
import { pullDirectory } from '../offline/directory-pull';
import { openOutboxJournal, type OutboxJournal } from '../offline/outbox-journal';
import { createReplica, loadReplica, type Replica } from '../offline/replica-database';
import { offlineKey } from '../vault/offline-keys';
import type { Vault } from '../vault/vault';
import { pullAudit } from './audit-pull';
import { pullChanges } from './changes-pull';
import { createIncidentConflicts } from './incident-conflicts';
import { createIncidentExport } from './incident-export';
import { incidentView, listView, localView } from './incident-views';
import { offlineEdit } from './offline-edit';
import { pushOutbox } from './outbox-push';
import { pendingRecords, type OutboxRecord } from './outbox-records';
import { createSyncQueue } from './sync-queue';

export { derivedUuid, type OutboxRecord } from './outbox-records';

/**
 * The console's incidents, online or offline. Every edit goes to the outbox
 * (fsynced) and is acknowledged as pending before any network call; sync pushes
 * the outbox in order with its idempotency keys, then pulls the changes feed into
 * the replica. Reads are the replica with the pending edits applied on top.
 */
export interface IncidentConsole {
  list(filter: z.output<typeof IncidentListInputSchema>): Promise<{ items: IncidentListItem[]; now: string }>;
  get(incidentId: string): Promise<IncidentView>;
  create(request: z.output<typeof CreateIncidentRequestSchema>): Promise<IncidentDetail>;
  edit(input: IncidentEditInput): Promise<{ seq: number; idempotencyKey: string; pending: true }>;
  sync(): Promise<SyncStatus>;
  status(): Promise<SyncStatus>;
  resolveConflict(input: ResolveConflictInput): Promise<SyncStatus>;
  /** Replaces the replica with a fresh pull from the service; the outbox is never touched. */
  resync(): Promise<SyncStatus>;
  export(input: z.output<typeof IncidentExportInputSchema>): Promise<z.output<typeof IncidentExportResultSchema>>;
  subscribe(listener: (status: SyncStatus) => void): () => void;
  /** Reads the replica as it stands (an empty one while it is unavailable), e.g. for offline reads of the directory. */
  readReplica<T>(read: (replica: Replica) => T): Promise<T>;
  close(): Promise<void>;
}

export interface IncidentConsoleOptions {
  client: Pick<ServiceClient, 'call'>;
  vault: Vault;
  /** The folder holding outbox.journal and replica.db. */
  dir: string;
  /** Who is signed in, when known: the tenant scope of the reads and the actor of pending entries. */
  me: () => Promise<{ userId: string; scope: TenantId } | null>;
  chooseExportPath: ChooseExportPath;
  /** Prints documents to PDF files; absent in browser mode, where the page prints the HTML the export returns. */
  pdfPrinter?: PdfPrinter;
  /** Days of audit events the replica keeps (the service's log is the record; this is for offline reading). */
  auditDays?: number;
  /** Called once an edit is journaled: the moment to try pushing it. */
  onSaved?: () => void;
  now?: () => Date;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

interface Opened {
  outbox: OutboxJournal<OutboxRecord>;
  replica: Replica;
  replicaKey: Buffer;
}

export function createIncidentConsole(options: IncidentConsoleOptions): IncidentConsole {
  const { client, vault, dir } = options;
  const now = options.now ?? (() => new Date());
  const outboxPath = join(dir, 'outbox.journal');
  const replicaPath = join(dir, 'replica.db');
  const listeners = new Set<(status: SyncStatus) => void>();
  const conflicts = createIncidentConflicts();
  const exportDocument = createIncidentExport({ client, chooseExportPath: options.chooseExportPath, pdfPrinter: options.pdfPrinter, now });
  let lastSyncedAt: string | null = null;
  let problem: SyncStatus['problem'] = null;
  /** Set when the replica file was refused: pulls wait for an explicit resync, which replaces it. */
  let replicaRefused: CoreError | null = null;
  let closed = false;
  const notInOfflineCopy = () =>
    new CoreError(
      'not_in_offline_copy',
      `This incident is not in your offline copy yet; it will load when the service is reachable${lastSyncedAt === null ? '' : ` (last synced ${lastSyncedAt})`}.`,
    );
  /** Edits journaled and not yet acknowledged, counted on open and kept on append and acknowledge: status() is asked on every emit. */
  let pendingEdits = 0;
  /** How far the running sync is; null between syncs. Listeners hear of it once per edit or page, not per event. */
  let progress: SyncStatus['progress'] = null;

  let opening: Promise<Opened> | undefined;
  const opened = (): Promise<Opened> => {
    opening ??= (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const outbox = await openOutboxJournal<OutboxRecord>(outboxPath, await offlineKey(vault, 'outbox-key'));
      const replicaKey = await offlineKey(vault, 'replica-key');
      let replica: Replica | null = null;
      try {
        replica = await loadReplica(replicaPath, replicaKey);
      } catch (error) {
        if (!(error instanceof CoreError)) throw error;
        replicaRefused = error;
        problem = { code: error.code, message: error.message };
      }
      pendingEdits = pendingRecords(outbox).edits.length;
      return { outbox, replica: replica ?? (await createReplica()), replicaKey };
    })();
    opening.catch(() => {
      opening = undefined;
    });
    return opening;
  };

  const view = async () => {
    const files = await opened();
    const who = await options.me().catch(() => null);
    return localView(files, who?.userId ?? NIL_UUID);
  };

  const status = async (): Promise<SyncStatus> => {
    // As it is now: a report's notify must not show the next report's progress.
    const progressNow = progress;
    const syncing = queue.running;
    try {
      await opened();
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      return { syncing, pendingEdits: 0, conflicts: conflicts.size, lastSyncedAt, problem: { code: error.code, message: error.message }, progress: progressNow };
    }
    return { syncing, pendingEdits, conflicts: conflicts.size, lastSyncedAt, problem, progress: progressNow };
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
      lastSyncedAt = now().toISOString();
      if (replicaRefused === null) problem = null;
    },
    failed: (error) => {
      problem = { code: error.code, message: error.message };
    },
    ended: () => {
      progress = null;
    },
  });

  const push = ({ outbox, replica }: Opened): Promise<boolean> =>
    pushOutbox({ client, outbox, replica, conflicts, onProgress: report, onApplied: () => (pendingEdits -= 1) });

  const pull = async ({ replica }: Opened, into: Replica = replica): Promise<boolean> => {
    const who = await options.me();
    if (!who) throw new CoreError('not_signed_in', 'Sign in to sync incidents with the service.');
    const changed = await pullChanges({ client, scope: who.scope, into, onProgress: report });
    const since = new Date(now().getTime() - (options.auditDays ?? 90) * 86_400_000).toISOString();
    const audited = await pullAudit({ client, scope: who.scope, into, since, onProgress: report });
    // Members and sessions of the person's tenants, for the Users and Sessions views offline.
    return (await pullDirectory({ client, into, now })) || audited || changed;
  };

  const sync = (): Promise<SyncStatus> =>
    queue.run(async () => {
      const o = await opened();
      const pushed = await push(o);
      const pulled = replicaRefused === null ? await pull(o) : false;
      // One snapshot per sync, never per edit.
      if ((pushed || pulled) && replicaRefused === null) await o.replica.save(replicaPath, o.replicaKey);
    });

  const resync = (): Promise<SyncStatus> =>
    queue.run(async () => {
      const o = await opened();
      await push(o);
      const fresh = await createReplica();
      try {
        await pull(o, fresh);
        await fresh.save(replicaPath, o.replicaKey);
      } catch (error) {
        fresh.close();
        throw error;
      }
      o.replica.close();
      o.replica = fresh;
      replicaRefused = null;
      problem = null;
    });

  return {
    async list(filter) {
      return listView(await view(), conflicts, filter, now());
    },

    async get(incidentId) {
      const shown = incidentView(await view(), conflicts, incidentId, now());
      if (!shown) throw notInOfflineCopy();
      return shown;
    },

    async create(request) {
      const o = await opened();
      const detail = await client.call('createIncident', { body: request });
      o.replica.upsertIncident(detail.incident);
      o.replica.setNotices(detail.incident.id, detail.noticeFacts, detail.notices);
      for (const e of detail.timeline) o.replica.addTimelineEntry(e);
      void notify();
      return detail;
    },

    async edit({ incidentId, change }) {
      const { outbox, replica } = await opened();
      const incident = (await view()).incidents.get(incidentId);
      if (!incident) throw notInOfflineCopy();
      const entry = await outbox.append({ type: 'edit', edit: offlineEdit(incident, replica, change, now().toISOString()) });
      pendingEdits += 1;
      void notify();
      options.onSaved?.();
      return { seq: entry.seq, idempotencyKey: entry.idempotencyKey, pending: true as const };
    },

    sync,
    status,

    async resolveConflict(input) {
      await conflicts.resolve(input, await opened(), now().toISOString());
      return sync();
    },

    resync,

    async export(input) {
      const who = await options.me();
      if (!who) throw new CoreError('not_signed_in', 'Sign in to export incident documents.');
      return exportDocument(who.scope, input);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async readReplica(read) {
      return read((await opened()).replica);
    },

    async close() {
      closed = true;
      listeners.clear();
      await queue.drain();
      if (opening) {
        const o = await opening.catch(() => null);
        if (o) {
          await o.outbox.close();
          o.replica.close();
        }
      }
    },
  };
}
