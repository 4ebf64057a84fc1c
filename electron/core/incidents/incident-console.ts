import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIT_PULL_MAX_LIMIT } from '../../../shared/audit/api';
import { EditConflictDetailsSchema, type IncidentNotice, type NoticeFacts } from '../../../shared/incidents/api';
import { incidentDeadlines, isOverdue } from '../../../shared/incidents/deadlines';
import { applyIncidentEdit, type EditProblem, type IncidentEdit } from '../../../shared/incidents/edits';
import { sentNotices, type Incident, type TimelineEntry } from '../../../shared/incidents/incident';
import type { z } from 'zod';
import { describeDetails } from '../../../shared/incidents/details-text';
import type {
  ConflictChoice,
  IncidentConflict,
  IncidentEditInput,
  IncidentExportInputSchema,
  IncidentExportResultSchema,
  IncidentListInputSchema,
  IncidentListItem,
  IncidentView,
  ResolveConflictInput,
  SyncStatus,
} from '../../../shared/ipc/incidents';
import type { CreateIncidentRequestSchema, IncidentDetail } from '../../../shared/incidents/api';
import type { ErrorCode } from '../../../shared/errors/codes';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { ChooseExportPath } from '../audit/audit-console';
import type { PdfPrinter } from '../documents/pdf-printer';
import { replaceFileDurably } from '../../../shared/node/durable-file';
import type { ServiceClient } from '../client/service-client';
import { NOT_REACHED_CODES } from '../client/not-reached';
import { ServiceError } from '../client/service-error';
import { CoreError, describeCause } from '../core-error';
import { pullDirectory } from '../offline/directory-pull';
import { openOutboxJournal, type OutboxEntry, type OutboxJournal } from '../offline/outbox-journal';
import { createReplica, loadReplica, type Replica } from '../offline/replica-database';
import { offlineKey } from '../vault/offline-keys';
import { incidentDocumentHtml } from './document-html';
import type { Vault } from '../vault/vault';

/**
 * The console's incidents, online or offline. Every edit goes to the outbox
 * (fsynced) and is acknowledged as pending before any network call; sync pushes
 * the outbox in order with its idempotency keys, then pulls the changes feed into
 * the replica. Reads are the replica with the pending edits applied on top.
 */

/** What the outbox journals: edits, and the user's answer to a conflict (kept until its edit is applied). */
export type OutboxRecord =
  | { type: 'edit'; edit: IncidentEdit }
  | { type: 'resolution'; ofSeq: number; choice: ConflictChoice; baseVersion: number; at: string; /** merge_notes: the note as the user left it. */ text?: string };

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
const PULL_PAGE = 500;
/** The pull endpoint's largest page: a first pull of a busy log is a few dozen requests, not hundreds. */
const AUDIT_PAGE = AUDIT_PULL_MAX_LIMIT;
/** The smallest page the audit pull falls back to when pages are too large for the client. */
const MIN_AUDIT_PAGE = 50;
/** Codes about the session, not the edit: sync stops and waits for a sign-in. */
const SESSION = new Set(['auth_required', 'invalid_token', 'session_expired', 'session_revoked', 'not_signed_in', 'step_up_required', 'rate_limited', 'service_unavailable']);

/** A UUID derived from an idempotency key: the same resolution resent is the same request. */
export function derivedUuid(key: string, label: string): string {
  const h = createHash('sha256').update(`${key}\n${label}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const describeEdit = (edit: IncidentEdit): string => {
  switch (edit.kind) {
    case 'note':
      return `note “${edit.text}”`;
    case 'status':
      return `status → ${edit.to}`;
    case 'severity':
      return `severity → ${edit.to}`;
    case 'assignment':
      return `assignment → commander ${edit.commanderId ?? 'none'}, assignees ${edit.assigneeIds.join(', ') || 'none'}`;
    case 'notification_sent':
      return `${edit.notice} notice to ${edit.tenantId} marked sent`;
    case 'details':
      return `details → ${describeDetails(edit.changes)}`;
  }
};

/** Timeline entries that change an incident's fields (and so move its version). */
const FIELD_CHANGES: ReadonlySet<TimelineEntry['kind']> = new Set(['status_change', 'severity_change', 'assignment', 'details_change']);

const REFUSAL_CODES: Readonly<Record<Exclude<EditProblem, 'version_conflict' | 'wrong_incident'>, ErrorCode>> = {
  same_status: 'no_change',
  same_severity: 'no_change',
  same_details: 'no_change',
  tenant_not_affected: 'tenant_not_affected',
  transition_not_allowed: 'transition_not_allowed',
  time_before_detection: 'incident_time_before_detection',
};
const refusedEdit = (problem: EditProblem): CoreError => {
  const code = problem === 'version_conflict' || problem === 'wrong_incident' ? 'transition_not_allowed' : REFUSAL_CODES[problem];
  const message =
    problem === 'time_before_detection'
      ? 'Awareness and verification cannot be before the incident was detected.'
      : `This edit cannot apply to the incident as it stands (${problem.replaceAll('_', ' ')}).`;
  return new CoreError(code, message);
};

/** The latest field change the offline copy knows of (after the pull that followed the conflict): who moved the incident on. */
const theirChange = (replica: Replica, conflict: IncidentConflict): IncidentConflict['theirChange'] => {
  const entry = replica
    .timeline(conflict.incidentId)
    .filter((e) => FIELD_CHANGES.has(e.kind))
    .at(-1);
  return entry ? { at: entry.at, actorId: entry.actorId, entry } : null;
};

interface Pushed {
  request: { idempotencyKey: string; edit: IncidentEdit };
  seqs: number[];
}

export function createIncidentConsole(options: IncidentConsoleOptions): IncidentConsole {
  const { client, vault, dir } = options;
  const now = options.now ?? (() => new Date());
  const outboxPath = join(dir, 'outbox.journal');
  const replicaPath = join(dir, 'replica.db');
  const listeners = new Set<(status: SyncStatus) => void>();
  const conflicts = new Map<number, IncidentConflict>();
  let syncing: Promise<SyncStatus> | null = null;
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

  interface Opened {
    outbox: OutboxJournal<OutboxRecord>;
    replica: Replica;
    replicaKey: Buffer;
  }
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
      pendingEdits = editRecords(outbox).edits.length;
      return { outbox, replica: replica ?? (await createReplica()), replicaKey };
    })();
    opening.catch(() => {
      opening = undefined;
    });
    return opening;
  };

  const editRecords = (outbox: OutboxJournal<OutboxRecord>) => {
    const pending = outbox.pending();
    const resolutions = new Map<number, OutboxEntry<OutboxRecord> & { payload: Extract<OutboxRecord, { type: 'resolution' }> }>();
    for (const e of pending) if (e.payload.type === 'resolution') resolutions.set(e.payload.ofSeq, e as never);
    const edits = pending.filter((e): e is OutboxEntry<OutboxRecord> & { payload: Extract<OutboxRecord, { type: 'edit' }> } => e.payload.type === 'edit');
    return { edits, resolutions };
  };

  /** What sync sends for an outbox edit, given the user's answer to its conflict if any. */
  const requestFor = (
    entry: OutboxEntry<OutboxRecord> & { payload: Extract<OutboxRecord, { type: 'edit' }> },
    resolution: (OutboxEntry<OutboxRecord> & { payload: Extract<OutboxRecord, { type: 'resolution' }> }) | undefined,
  ): Pushed => {
    const edit = entry.payload.edit;
    if (!resolution) return { request: { idempotencyKey: entry.idempotencyKey, edit }, seqs: [entry.seq] };
    const r = resolution.payload;
    const seqs = [entry.seq, resolution.seq];
    if (r.choice === 'keep_mine' && 'baseVersion' in edit) {
      return { request: { idempotencyKey: derivedUuid(entry.idempotencyKey, `mine:${r.baseVersion}`), edit: { ...edit, baseVersion: r.baseVersion } }, seqs };
    }
    if (r.choice === 'merge_notes' && r.text !== undefined) {
      // The field stays as the service has it; the user's change lives on as their note.
      return { request: { idempotencyKey: derivedUuid(entry.idempotencyKey, `merge:${r.baseVersion}`), edit: { kind: 'note', incidentId: edit.incidentId, at: r.at, text: r.text } }, seqs };
    }
    // Keeping theirs drops the change but records, in the incident's own timeline, what was dropped.
    const text = `Offline edit not applied (kept the service's version ${r.baseVersion}): ${describeEdit(edit)}, made ${edit.at}.`;
    return {
      request: { idempotencyKey: derivedUuid(entry.idempotencyKey, 'theirs'), edit: { kind: 'note', incidentId: edit.incidentId, at: r.at, text } },
      seqs,
    };
  };

  /** The replica's incidents with the pending edits applied in order, and their pending entries. */
  const localView = async () => {
    const { outbox, replica } = await opened();
    const who = await options.me().catch(() => null);
    const actorId = who?.userId ?? NIL_UUID;
    const incidents = new Map<string, Incident>(replica.incidents().map((i) => [i.id, i]));
    const pendingEntries = new Map<string, TimelineEntry[]>();
    const pendingCount = new Map<string, number>();
    const { edits, resolutions } = editRecords(outbox);
    for (const entry of edits) {
      const { request } = requestFor(entry, resolutions.get(entry.seq));
      const base = incidents.get(request.edit.incidentId);
      pendingCount.set(request.edit.incidentId, (pendingCount.get(request.edit.incidentId) ?? 0) + 1);
      if (!base) continue;
      // Shown as the user meant it; whether it still applies on the service's version is sync's question.
      const shown = 'baseVersion' in request.edit ? { ...request.edit, baseVersion: base.version } : request.edit;
      const applied = applyIncidentEdit(base, shown, { entryId: derivedUuid(request.idempotencyKey, 'entry'), actorId });
      const entryShown: TimelineEntry =
        typeof applied === 'string'
          ? { id: derivedUuid(request.idempotencyKey, 'entry'), incidentId: base.id, at: request.edit.at, actorId, kind: 'note', text: `(pending: ${describeEdit(request.edit)})` }
          : applied.entry;
      if (typeof applied !== 'string') incidents.set(base.id, applied.incident);
      pendingEntries.set(base.id, [...(pendingEntries.get(base.id) ?? []), entryShown]);
    }
    return { replica, incidents, pendingEntries, pendingCount };
  };

  const status = async (): Promise<SyncStatus> => {
    // As it is now: a report's notify must not show the next report's progress.
    const progressNow = progress;
    try {
      await opened();
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      return { syncing: syncing !== null, pendingEdits: 0, conflicts: conflicts.size, lastSyncedAt, problem: { code: error.code, message: error.message }, progress: progressNow };
    }
    return { syncing: syncing !== null, pendingEdits, conflicts: conflicts.size, lastSyncedAt, problem, progress: progressNow };
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

  const push = async ({ outbox, replica }: Opened): Promise<boolean> => {
    let changed = false;
    const held = new Set<string>();
    const { edits, resolutions } = editRecords(outbox);
    let done = 0;
    if (edits.length > 0) report({ phase: 'push', done, total: edits.length });
    for (const entry of edits) {
      const incidentId = entry.payload.edit.incidentId;
      // Later edits of an incident wait behind its unresolved conflict, so its order holds.
      if (held.has(incidentId)) continue;
      const { request, seqs } = requestFor(entry, resolutions.get(entry.seq));
      try {
        const result = await client.call('applyIncidentEdit', { params: { incidentId }, body: request });
        replica.upsertIncident(result.incident);
        replica.addTimelineEntry(result.entry);
        await outbox.acknowledge(seqs);
        pendingEdits -= 1;
        conflicts.delete(entry.seq);
        changed = true;
      } catch (error) {
        if (!(error instanceof ServiceError) || error.status >= 500 || NOT_REACHED_CODES.has(error.code) || SESSION.has(error.code) || error.status === 401) throw error;
        const details = EditConflictDetailsSchema.safeParse(error.details);
        conflicts.set(entry.seq, {
          seq: entry.seq,
          incidentId,
          edit: request.edit as unknown as Record<string, unknown>,
          code: error.code,
          message: error.message,
          theirs: details.success ? details.data.incident : replica.incident(incidentId),
          theirChange: null,
        });
        held.add(incidentId);
      }
      progress = { phase: 'push', done: ++done, total: edits.length };
      void notify();
    }
    return changed;
  };

  const pull = async ({ replica }: Opened, into: Replica = replica): Promise<boolean> => {
    const who = await options.me();
    if (!who) throw new CoreError('not_signed_in', 'Sign in to sync incidents with the service.');
    let cursor = into.syncCursor() ?? undefined;
    let changed = false;
    let done = 0;
    report({ phase: 'incidents', done, total: null });
    for (;;) {
      const page = await client.call('incidentChanges', { params: { tenantId: who.scope }, query: { ...(cursor === undefined ? {} : { cursor }), limit: PULL_PAGE } });
      for (const item of page.items) {
        into.upsertIncident(item.incident);
        into.setNotices(item.incident.id, item.noticeFacts, item.notices);
        for (const e of item.newEntries) into.addTimelineEntry(e);
        changed = true;
      }
      done += page.items.length;
      report({ phase: 'incidents', done, total: null });
      if (page.nextCursor !== cursor) {
        into.setSyncCursor(page.nextCursor);
        cursor = page.nextCursor;
      }
      if (!page.more) break;
    }
    // The feed tells what changed in scope, not what left it (a tenant no longer affected stops seeing
    // the incident): what the scope no longer lists goes from the copy too.
    const listed = new Set((await client.call('listIncidents', { params: { tenantId: who.scope }, query: {} })).items.map((i) => i.incident.id));
    for (const incident of into.incidents()) {
      if (listed.has(incident.id)) continue;
      into.removeIncident(incident.id);
      changed = true;
    }
    const audited = await pullAudit(who.scope, into);
    // Members and sessions of the person's tenants, for the Users and Sessions views offline.
    return (await pullDirectory({ client, into, now })) || audited || changed;
  };

  /**
   * The log's events since the cursor (at first: the last `auditDays` days), in the pull endpoint's
   * large pages, the cursor stored with each; then the window's old end cut off.
   */
  const pullAudit = async (scope: TenantId, into: Replica): Promise<boolean> => {
    const since = new Date(now().getTime() - (options.auditDays ?? 90) * 86_400_000).toISOString();
    let cursor = into.auditCursor() ?? undefined;
    let changed = false;
    let done = 0;
    let limit = AUDIT_PAGE;
    report({ phase: 'audit', done, total: null });
    for (;;) {
      let page;
      try {
        page = await client.call('auditPull', { params: { tenantId: scope }, query: { ...(cursor === undefined ? { from: since } : { cursor }), limit } });
      } catch (error) {
        // Someone who may read incidents but not this log keeps an incidents-only replica.
        if (error instanceof ServiceError && error.status === 403) return changed;
        // Events with large details can make a page bigger than the client accepts: ask for fewer.
        if (error instanceof CoreError && error.code === 'response_too_large' && limit > MIN_AUDIT_PAGE) {
          limit = Math.max(MIN_AUDIT_PAGE, Math.floor(limit / 2));
          continue;
        }
        throw error;
      }
      const last = page.items.at(-1);
      if (last) {
        into.addAuditEvents(page.items);
        cursor = String(last.seq);
        into.setAuditCursor(cursor);
        changed = true;
      }
      done += page.items.length;
      report({ phase: 'audit', done, total: done + page.remaining });
      if (page.nextCursor === null || !last) break;
    }
    if (into.pruneAuditEvents(since) > 0) changed = true;
    return changed;
  };

  let queued: Promise<SyncStatus> | null = null;
  /** One sync at a time; asked during one, it runs again after it, so it sees every edit saved before the ask. */
  const runSync = (work: (o: Opened) => Promise<void>): Promise<SyncStatus> => {
    // After close the replica and outbox are gone: a sync asked for (or queued) then does nothing.
    if (closed) return notify();
    if (syncing !== null) {
      queued ??= syncing.then(() => {
        queued = null;
        return runSync(work);
      });
      return queued;
    }
    syncing = (async () => {
      void notify();
      try {
        const o = await opened();
        await work(o);
        lastSyncedAt = now().toISOString();
        if (replicaRefused === null) problem = null;
      } catch (error) {
        // A sync cut short by close() fails on the closed replica; nobody is waiting for it.
        if (closed) return notify();
        if (!(error instanceof CoreError || error instanceof ServiceError)) throw error;
        problem = { code: error.code, message: error.message };
      } finally {
        syncing = null;
        progress = null;
      }
      return notify();
    })();
    return syncing;
  };

  const sync = (): Promise<SyncStatus> =>
    runSync(async (o) => {
      const pushed = await push(o);
      const pulled = replicaRefused === null ? await pull(o) : false;
      // One snapshot per sync, never per edit.
      if ((pushed || pulled) && replicaRefused === null) await o.replica.save(replicaPath, o.replicaKey);
    });

  const resync = (): Promise<SyncStatus> =>
    runSync(async (o) => {
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

  const viewOf = (
    incident: Incident,
    timeline: TimelineEntry[],
    pendingCount: number,
    at: Date,
  ): Omit<IncidentListItem, 'incident'> & { deadlines: IncidentListItem['deadlines'] } => {
    const deadlines = incidentDeadlines(incident, sentNotices(timeline), at) as IncidentListItem['deadlines'];
    return {
      deadlines,
      overdue: isOverdue(deadlines),
      pendingEdits: pendingCount,
      conflicts: [...conflicts.values()].filter((c) => c.incidentId === incident.id).length,
    };
  };

  return {
    async list(filter) {
      const { replica, incidents, pendingEntries, pendingCount } = await localView();
      const at = now();
      const items: IncidentListItem[] = [];
      for (const incident of incidents.values()) {
        if (filter.severity !== undefined && incident.severity !== filter.severity) continue;
        if (filter.status !== undefined && incident.status !== filter.status) continue;
        const timeline = [...replica.timeline(incident.id), ...(pendingEntries.get(incident.id) ?? [])];
        const item = { incident, ...viewOf(incident, timeline, pendingCount.get(incident.id) ?? 0, at) };
        if (filter.overdue !== undefined && item.overdue !== filter.overdue) continue;
        items.push(item);
      }
      items.sort((a, b) => b.incident.detectedAt.localeCompare(a.incident.detectedAt) || a.incident.id.localeCompare(b.incident.id));
      return { items, now: at.toISOString() };
    },

    async get(incidentId) {
      const { replica, incidents, pendingEntries, pendingCount } = await localView();
      const incident = incidents.get(incidentId);
      if (!incident) throw notInOfflineCopy();
      const synced = replica.timeline(incidentId).map((entry) => ({ entry, pending: false }));
      const pending = (pendingEntries.get(incidentId) ?? []).map((entry) => ({ entry, pending: true }));
      const timeline = [...synced, ...pending];
      const stored = replica.notices(incidentId);
      const facts: NoticeFacts = stored?.facts ?? { likelyImpact: '', mitigation: '', contactPoint: '' };
      const notices: IncidentNotice[] = stored?.notices ?? [];
      const at = now();
      const view = viewOf(incident, timeline.map((t) => t.entry), pendingCount.get(incidentId) ?? 0, at);
      const shownConflicts = [...conflicts.values()].filter((c) => c.incidentId === incidentId).map((c) => ({ ...c, theirChange: theirChange(replica, c) }));
      const mentioned = [
        ...(incident.commanderId === null ? [] : [incident.commanderId]),
        ...incident.assigneeIds,
        ...timeline.flatMap(({ entry }) => [entry.actorId, ...(entry.kind === 'assignment' ? [...(entry.commanderId === null ? [] : [entry.commanderId]), ...entry.assigneeIds] : [])]),
        ...shownConflicts.flatMap((c) => (c.theirChange ? [c.theirChange.actorId] : [])),
      ];
      return {
        incident,
        noticeFacts: facts,
        timeline,
        deadlines: view.deadlines,
        overdue: view.overdue,
        notices,
        conflicts: shownConflicts,
        people: Object.fromEntries(replica.personNames(mentioned)),
        now: at.toISOString(),
      };
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
      const { incidents } = await localView();
      const incident = incidents.get(incidentId);
      if (!incident) throw notInOfflineCopy();
      const at = now().toISOString();
      const edit: IncidentEdit =
        change.kind === 'note' || change.kind === 'notification_sent'
          ? { ...change, incidentId, at }
          : ({ ...change, incidentId, at, baseVersion: incident.version } as IncidentEdit);
      // Refuse now what could never apply, rather than journal it for a certain conflict.
      const check = applyIncidentEdit(incident, edit, { entryId: NIL_UUID, actorId: NIL_UUID });
      if (typeof check === 'string') throw refusedEdit(check);
      if (edit.kind === 'details') {
        // The service keeps a tenant that was already notified; say so now, not after a sync.
        const removed = incident.affectedTenantIds.filter((t) => !check.incident.affectedTenantIds.includes(t));
        const notified = (replica.notices(incidentId)?.notices ?? []).filter((n) => n.sentAt !== null && removed.includes(n.tenantId));
        if (notified.length > 0) {
          throw new CoreError('tenant_already_notified', `${[...new Set(notified.map((n) => n.tenantName))].join(', ')} already received a notice and stays affected.`);
        }
      }
      const entry = await outbox.append({ type: 'edit', edit });
      pendingEdits += 1;
      void notify();
      options.onSaved?.();
      return { seq: entry.seq, idempotencyKey: entry.idempotencyKey, pending: true as const };
    },

    sync,
    status,

    async resolveConflict(input) {
      const { seq, choice } = input;
      const conflict = conflicts.get(seq);
      if (!conflict) throw new CoreError('not_found', 'No such conflict: it may have been resolved already.');
      const { outbox, replica } = await opened();
      const baseVersion = conflict.theirs?.version ?? replica.incident(conflict.incidentId)?.version ?? 0;
      const at = now().toISOString();
      // Journaled (fsynced) before anything is sent: a crash after this line still applies the answer, once.
      await outbox.append(
        input.choice === 'merge_notes' ? { type: 'resolution', ofSeq: seq, choice, baseVersion, at, text: input.text } : { type: 'resolution', ofSeq: seq, choice, baseVersion, at },
      );
      conflicts.delete(seq);
      return sync();
    },

    resync,

    async export({ incidentId, document, tenantId, format }) {
      const who = await options.me();
      if (!who) throw new CoreError('not_signed_in', 'Sign in to export incident documents.');
      const doc =
        document === 'review'
          ? await client.call('exportIncidentReview', { params: { tenantId: who.scope, incidentId } })
          : await client.call('exportIncidentNotice', { params: { tenantId: tenantId ?? who.scope, incidentId, kind: document } });
      const save = async (path: string, write: (path: string) => Promise<void>): Promise<void> => {
        try {
          await write(path);
        } catch (error) {
          throw new CoreError('internal_error', `The export could not be written (${describeCause(error)}).`, { cause: error });
        }
      };
      if (format === 'markdown') {
        const path = await options.chooseExportPath(doc.filename);
        if (path !== null) await save(path, (p) => replaceFileDurably(p, doc.markdown));
        return { format, saved: path !== null, filename: doc.filename, markdown: doc.markdown };
      }
      const filename = doc.filename.replace(/\.md$/, '') + '.pdf';
      const html = incidentDocumentHtml({ document, markdown: doc.markdown, incidentTitle: doc.incidentTitle, tenantName: doc.tenantName, generatedAt: now() });
      const printer = options.pdfPrinter;
      if (!printer) return { format, saved: false, filename, printHtml: html };
      const path = await options.chooseExportPath(filename);
      if (path !== null) await save(path, (p) => printer.printToFile(html, p));
      return { format, saved: path !== null, filename, printHtml: null };
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
      await syncing?.catch(() => undefined);
      await queued?.catch(() => undefined);
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
