import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { z } from 'zod';
import { IncidentNoticeSchema, NoticeFactsSchema, type IncidentNotice, type NoticeFacts } from '../../../shared/incidents/api';
import { AuditEventSchema, type AuditEvent } from '../../../shared/audit/event';
import { IncidentSchema, TimelineEntrySchema, type Incident, type SentNotice, type TimelineEntry } from '../../../shared/incidents/incident';
import { CoreError, describeCause } from '../core-error';
import { DIRECTORY_SCHEMA, directoryOf, type DirectoryReplica } from './replica-directory';
import { readReplicaFile, REPLICA_REBUILD_ADVICE, writeReplicaFile } from './replica-file';

/**
 * The local replica: a sql.js database of what the signed-in person may see,
 * kept in memory and written to disk as an encrypted snapshot (replica-file.ts)
 * now and then, never per edit. Rows keep the service's JSON as it came, with the
 * columns queries filter and sort on beside it.
 */
export const REPLICA_SCHEMA_VERSION = 5;

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
  ) STRICT;
  CREATE INDEX incidents_by_status ON incidents (status, severity, detected_at);
  CREATE TABLE timeline (
    incident_id TEXT NOT NULL,
    id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (incident_id, id)
  ) STRICT;
  CREATE INDEX timeline_by_time ON timeline (incident_id, at, id);
  CREATE TABLE incident_notices (
    incident_id TEXT PRIMARY KEY,
    notice_facts TEXT NOT NULL,
    notices TEXT NOT NULL
  ) STRICT;
  CREATE TABLE audit_events (
    tenant_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
  ) STRICT;
  CREATE INDEX audit_by_action ON audit_events (tenant_id, action, seq);
  CREATE INDEX audit_by_time ON audit_events (tenant_id, at, seq);
  ${DIRECTORY_SCHEMA}
  PRAGMA user_version = ${REPLICA_SCHEMA_VERSION};
`;

let sqlJs: Promise<SqlJsStatic> | undefined;
const loadSqlJs = (): Promise<SqlJsStatic> => (sqlJs ??= initSqlJs());

export interface Replica extends DirectoryReplica {
  readonly db: Database;
  /** Whom and which scope the replica was filled for (offline-owner.ts decides); null before it was bound. */
  boundTo(): string | null;
  bindTo(owner: string): void;
  /** Where the last pull stopped: the service's change cursor, null before the first. */
  syncCursor(): string | null;
  setSyncCursor(cursor: string): void;
  upsertIncident(incident: Incident): void;
  incidents(): Incident[];
  incident(id: string): Incident | null;
  /** Drops an incident with its timeline and notices (it left the scope this replica is for). */
  removeIncident(id: string): void;
  /** Adds a timeline entry; one already present (same id) is left as it is. */
  addTimelineEntry(entry: TimelineEntry): void;
  timeline(incidentId: string): TimelineEntry[];
  /** Every incident's notices recorded as sent, in timeline order, by incident: what a list of all incidents needs of the timelines, in one query. */
  sentNoticesByIncident(): Map<string, SentNotice[]>;
  /** The notice facts and notices (drafts and sent) of an incident, as the service last sent them. */
  setNotices(incidentId: string, facts: NoticeFacts, notices: readonly IncidentNotice[]): void;
  notices(incidentId: string): { facts: NoticeFacts; notices: IncidentNotice[] } | null;
  /** The tenants the notices name, by incident, in one query: of every incident, or of the one given. */
  noticeTenantsByIncident(incidentId?: string): Map<string, Array<{ tenantId: string; tenantName: string }>>;
  /** Where the last audit pull stopped (the log's seq cursor), null before the first. */
  auditCursor(): string | null;
  setAuditCursor(cursor: string): void;
  /**
   * Stores audit events as the service sent them; one already present is left as it is. The
   * events are the service client's, already parsed with AuditEventSchema: not checked again here.
   */
  addAuditEvents(events: readonly AuditEvent[]): void;
  /** The newest events of a log first, filtered like the service's audit query. */
  auditEvents(filter: { tenantId: string; action?: string; outcome?: string; from?: string; to?: string; limit: number }): AuditEvent[];
  /** Drops events older than `before` (the replica keeps a bounded window); returns how many. */
  pruneAuditEvents(before: string): number;
  /** Writes the encrypted snapshot to `path` durably. */
  save(path: string, key: Uint8Array): Promise<void>;
  close(): void;
}

/** An incident as every reader of the replica's shared, parsed copy gets it: frozen, with its lists. */
const frozen = (incident: Incident): Incident => {
  Object.freeze(incident.assigneeIds);
  Object.freeze(incident.affectedTenantIds);
  return Object.freeze(incident);
};

const wrap = (db: Database): Replica => {
  const all = (sql: string, params: (string | number)[] = []): Array<Record<string, unknown>> => {
    const statement = db.prepare(sql, params);
    try {
      const rows: Array<Record<string, unknown>> = [];
      while (statement.step()) rows.push(statement.getAsObject());
      return rows;
    } finally {
      statement.free();
    }
  };
  // Every incident parsed and checked, and every sent notice, kept until a write changes them: the
  // list, its alert check and each view read them all, and parsing 5,000 rows cost as much as the
  // rest of the list. Only this wrapper writes those tables. Frozen, as every reader shares them.
  let parsedIncidents: readonly Incident[] | null = null;
  let sentByIncident: ReadonlyMap<string, readonly SentNotice[]> | null = null;
  const readSent = (): ReadonlyMap<string, readonly SentNotice[]> => {
    const byIncident = new Map<string, SentNotice[]>();
    for (const row of all(`SELECT incident_id, data FROM timeline WHERE kind = 'notification_sent' ORDER BY incident_id, at, id`)) {
      const entry = TimelineEntrySchema.parse(JSON.parse(row.data as string));
      if (entry.kind !== 'notification_sent') continue;
      const list = byIncident.get(row.incident_id as string) ?? [];
      list.push(Object.freeze({ notice: entry.notice, tenantId: entry.tenantId, at: entry.at }));
      byIncident.set(row.incident_id as string, list);
    }
    for (const list of byIncident.values()) Object.freeze(list);
    return byIncident;
  };
  return {
    db,
    ...directoryOf(db, all),
    boundTo: () => (all(`SELECT value FROM meta WHERE key = 'owner'`)[0]?.value as string | undefined) ?? null,
    bindTo: (owner) => db.run(`INSERT INTO meta (key, value) VALUES ('owner', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [owner]),
    syncCursor: () => (all(`SELECT value FROM meta WHERE key = 'sync_cursor'`)[0]?.value as string | undefined) ?? null,
    setSyncCursor: (cursor) => db.run(`INSERT INTO meta (key, value) VALUES ('sync_cursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [cursor]),
    upsertIncident: (incident) => {
      const i = IncidentSchema.parse(incident);
      db.run(
        `INSERT INTO incidents (id, severity, status, detected_at, version, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, status = excluded.status,
           detected_at = excluded.detected_at, version = excluded.version, data = excluded.data`,
        [i.id, i.severity, i.status, i.detectedAt, i.version, JSON.stringify(i)],
      );
      parsedIncidents = null;
    },
    incidents: () => {
      parsedIncidents ??= all(`SELECT data FROM incidents ORDER BY detected_at DESC, id`).map((r) => frozen(IncidentSchema.parse(JSON.parse(r.data as string))));
      return [...parsedIncidents];
    },
    incident: (id) => {
      const row = all(`SELECT data FROM incidents WHERE id = ?`, [id])[0];
      return row ? IncidentSchema.parse(JSON.parse(row.data as string)) : null;
    },
    removeIncident: (id) => {
      db.run('BEGIN');
      try {
        db.run(`DELETE FROM timeline WHERE incident_id = ?`, [id]);
        db.run(`DELETE FROM incident_notices WHERE incident_id = ?`, [id]);
        db.run(`DELETE FROM incidents WHERE id = ?`, [id]);
        db.run('COMMIT');
      } catch (error) {
        db.run('ROLLBACK');
        throw error;
      } finally {
        parsedIncidents = null;
        sentByIncident = null;
      }
    },
    addTimelineEntry: (entry) => {
      const e = TimelineEntrySchema.parse(entry);
      db.run(`INSERT INTO timeline (incident_id, id, at, kind, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [
        e.incidentId,
        e.id,
        e.at,
        e.kind,
        JSON.stringify(e),
      ]);
      if (e.kind === 'notification_sent') sentByIncident = null;
    },
    timeline: (incidentId) =>
      all(`SELECT data FROM timeline WHERE incident_id = ? ORDER BY at, id`, [incidentId]).map((r) => TimelineEntrySchema.parse(JSON.parse(r.data as string))),
    sentNoticesByIncident: () => new Map((sentByIncident ??= readSent()) as Map<string, SentNotice[]>),
    setNotices: (incidentId, facts, notices) =>
      db.run(
        `INSERT INTO incident_notices (incident_id, notice_facts, notices) VALUES (?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET notice_facts = excluded.notice_facts, notices = excluded.notices`,
        [incidentId, JSON.stringify(NoticeFactsSchema.parse(facts)), JSON.stringify(z.array(IncidentNoticeSchema).parse(notices))],
      ),
    notices: (incidentId) => {
      const row = all(`SELECT notice_facts, notices FROM incident_notices WHERE incident_id = ?`, [incidentId])[0];
      if (!row) return null;
      return {
        facts: NoticeFactsSchema.parse(JSON.parse(row.notice_facts as string)),
        notices: z.array(IncidentNoticeSchema).parse(JSON.parse(row.notices as string)),
      };
    },
    noticeTenantsByIncident: (incidentId) => {
      const byIncident = new Map<string, Array<{ tenantId: string; tenantName: string }>>();
      const rows = all(
        `SELECT n.incident_id, json_extract(j.value, '$.tenantId') AS tenant_id, json_extract(j.value, '$.tenantName') AS tenant_name
         FROM incident_notices n, json_each(n.notices) j${incidentId === undefined ? '' : ' WHERE n.incident_id = ?'}`,
        incidentId === undefined ? [] : [incidentId],
      );
      for (const row of rows) {
        // Checked by setNotices on the way in; only strings are names.
        if (typeof row.tenant_id !== 'string' || typeof row.tenant_name !== 'string') continue;
        const list = byIncident.get(row.incident_id as string) ?? [];
        list.push({ tenantId: row.tenant_id, tenantName: row.tenant_name });
        byIncident.set(row.incident_id as string, list);
      }
      return byIncident;
    },
    auditCursor: () => (all(`SELECT value FROM meta WHERE key = 'audit_cursor'`)[0]?.value as string | undefined) ?? null,
    setAuditCursor: (cursor) => db.run(`INSERT INTO meta (key, value) VALUES ('audit_cursor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [cursor]),
    addAuditEvents: (events) => {
      const insert = db.prepare(`INSERT INTO audit_events (tenant_id, seq, at, action, outcome, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
      db.run('BEGIN');
      try {
        // bind/step/reset: Statement.run does more per row, and a pull stores thousands of rows.
        for (const e of events) {
          insert.bind([e.tenantId, e.seq, e.at, e.action, e.outcome, JSON.stringify(e)]);
          insert.step();
          insert.reset();
        }
        db.run('COMMIT');
      } catch (error) {
        db.run('ROLLBACK');
        throw error;
      } finally {
        insert.free();
      }
    },
    auditEvents: ({ tenantId, action, outcome, from, to, limit }) => {
      const conditions: Array<[string, string | undefined]> = [
        ['tenant_id = ?', tenantId],
        ['action = ?', action],
        ['outcome = ?', outcome],
        ['at >= ?', from],
        ['at < ?', to],
      ];
      const used = conditions.filter((c): c is [string, string] => c[1] !== undefined);
      const where = used.map(([sql]) => sql);
      const params: (string | number)[] = [...used.map(([, value]) => value), limit];
      // Times never go back within a log, so newest-first by time is newest-first by seq; ordering a time
      // range by time lets SQLite walk the time index instead of scanning the log back from its end.
      const order = from !== undefined || to !== undefined ? 'at DESC, seq DESC' : 'seq DESC';
      return all(`SELECT data FROM audit_events WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`, params).map((r) =>
        AuditEventSchema.parse(JSON.parse(r.data as string)),
      );
    },
    pruneAuditEvents: (before) => {
      db.run(`DELETE FROM audit_events WHERE at < ?`, [before]);
      return db.getRowsModified();
    },
    save: (path, key) => writeReplicaFile(path, db.export(), key),
    close: () => db.close(),
  };
};

/** A new, empty replica. */
export async function createReplica(): Promise<Replica> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(SCHEMA);
  return wrap(db);
}

/**
 * The replica saved at `path`, or null when there is none to use: none saved
 * yet, or one of an earlier schema (the next sync's save replaces it). A snapshot
 * that cannot be used (wrong key, damaged, foreign, newer schema) is refused with
 * a CoreError and left on disk.
 */
export async function loadReplica(path: string, key: Uint8Array): Promise<Replica | null> {
  const bytes = await readReplicaFile(path, key);
  if (bytes === null) return null;
  const SQL = await loadSqlJs();
  let db: Database | undefined;
  let schemaVersion: unknown;
  try {
    db = new SQL.Database(bytes);
    schemaVersion = db.exec('PRAGMA user_version')[0]?.values[0]?.[0];
  } catch (error) {
    db?.close();
    throw new CoreError('replica_corrupt', `The offline copy ${path} holds no readable database (${describeCause(error)}). ${REPLICA_REBUILD_ADVICE}`);
  }
  // An earlier console's copy holds only what the service will send again (edits not yet synced live in
  // the outbox): it is treated as no copy, and the next sync's full pull replaces it.
  if (typeof schemaVersion === 'number' && schemaVersion >= 1 && schemaVersion < REPLICA_SCHEMA_VERSION) {
    db.close();
    return null;
  }
  if (schemaVersion !== REPLICA_SCHEMA_VERSION) {
    db.close();
    throw new CoreError(
      'replica_unsupported_format',
      `The offline copy ${path} has schema version ${String(schemaVersion)}, from a newer version of this console (this one reads version ${REPLICA_SCHEMA_VERSION}). ${REPLICA_REBUILD_ADVICE}`,
    );
  }
  return wrap(db);
}
