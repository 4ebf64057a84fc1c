import type { NoticeFacts } from '../../shared/incidents/api';
import type { Incident, IncidentDetails, IncidentStatus, NoticeKind, SentNotice, Severity, TimelineEntry } from '../../shared/incidents/incident';
import { CLOSED_STATUSES, TimelineEntrySchema } from '../../shared/incidents/incident';
import type { TenantId } from '../../shared/tenants/tenant';
import type { PlatformTx, ScopedTx } from '../db/db';

/**
 * Incident rows. Reads take any scope: in a tenant scope row-level security
 * (migration 0010) shows only incidents linked to that tenant, only its own link
 * (affectedTenantIds lists just it), its own notices and the timeline entries it
 * may see. Writes are platform-only.
 */
type Ts = Date | string;
const iso = (t: Ts): string => new Date(t).toISOString();
const isoOrNull = (t: Ts | null): string | null => (t === null ? null : iso(t));

interface IncidentRow extends Record<string, unknown> {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  status: IncidentStatus;
  commander_id: string | null;
  assignee_ids: string[];
  affected: string[];
  personal_data: boolean;
  detected_at: Ts;
  aware_at: Ts | null;
  verified_at: Ts | null;
  classified_at: Ts | null;
  resolved_at: Ts | null;
  review_published_at: Ts | null;
  likely_impact: string;
  mitigation: string;
  contact_point: string;
  version: number;
  change_seq: string | number;
  created_at: Ts;
  updated_at: Ts;
}

export interface StoredIncident {
  readonly incident: Incident;
  readonly noticeFacts: NoticeFacts;
  readonly changeSeq: number;
}

const toStored = (r: IncidentRow): StoredIncident => ({
  incident: {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    status: r.status,
    commanderId: r.commander_id,
    assigneeIds: [...r.assignee_ids],
    affectedTenantIds: r.affected.map((t) => t as TenantId),
    personalData: r.personal_data,
    detectedAt: iso(r.detected_at),
    awareAt: isoOrNull(r.aware_at),
    verifiedAt: isoOrNull(r.verified_at),
    classifiedAt: isoOrNull(r.classified_at),
    resolvedAt: isoOrNull(r.resolved_at),
    reviewPublishedAt: isoOrNull(r.review_published_at),
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  },
  noticeFacts: { likelyImpact: r.likely_impact, mitigation: r.mitigation, contactPoint: r.contact_point },
  changeSeq: Number(r.change_seq),
});

// The subquery runs under the same row-level security: a tenant sees only its own link.
const SELECT = `SELECT i.*, ARRAY(SELECT it.tenant_id::text FROM incident_tenants it WHERE it.incident_id = i.id ORDER BY it.tenant_id) AS affected
  FROM incidents i`;

export const getIncident = async (tx: ScopedTx, id: string, forUpdate = false): Promise<StoredIncident | null> => {
  const rows = await tx.query<IncidentRow>(`${SELECT} WHERE i.id = $1${forUpdate ? ' FOR UPDATE OF i' : ''}`, [id]);
  return rows[0] ? toStored(rows[0]) : null;
};

export const listIncidents = async (tx: ScopedTx, filter: { severity?: Severity | undefined; status?: IncidentStatus | undefined }): Promise<StoredIncident[]> => {
  const rows = await tx.query<IncidentRow>(
    `${SELECT} WHERE ($1::text IS NULL OR i.severity = $1) AND ($2::text IS NULL OR i.status = $2)
     ORDER BY i.detected_at DESC, i.id`,
    [filter.severity ?? null, filter.status ?? null],
  );
  return rows.map(toStored);
};

/** Incidents not yet resolved that the scope sees (RLS: a tenant sees those that affect it). */
export const countOpenIncidents = async (tx: ScopedTx): Promise<number> =>
  Number((await tx.query<{ n: number | string }>('SELECT count(*) AS n FROM incidents i WHERE NOT (i.status = ANY($1::text[]))', [[...CLOSED_STATUSES]]))[0]?.n ?? 0);

/** Incidents whose last change is after `cursor`, in change order, at most `limit` (+1 to tell whether more wait). */
export const incidentsChangedAfter = async (tx: ScopedTx, cursor: number, limit: number): Promise<StoredIncident[]> =>
  (await tx.query<IncidentRow>(`${SELECT} WHERE i.change_seq > $1 ORDER BY i.change_seq LIMIT $2`, [cursor, limit])).map(toStored);

/**
 * Incidents changed after `after` whose latest change is past `upTo` but that
 * gained timeline entries within (after, upTo]: a page of the feed must carry
 * them too, or those entries would fall between two pages.
 */
export const incidentsWithEntriesIn = async (tx: ScopedTx, after: number, upTo: number): Promise<StoredIncident[]> =>
  (
    await tx.query<IncidentRow>(
      `${SELECT} WHERE i.change_seq > $2 AND EXISTS (
         SELECT 1 FROM incident_timeline e WHERE e.incident_id = i.id AND e.change_seq > $1 AND e.change_seq <= $2)
       ORDER BY i.change_seq`,
      [after, upTo],
    )
  ).map(toStored);

/** The next change sequence; holds the counter's row lock until commit, so sequences commit in order. */
export const nextChangeSeq = async (tx: PlatformTx): Promise<number> => {
  const rows = await tx.query<{ last_seq: string | number }>('UPDATE incident_change_counter SET last_seq = last_seq + 1 WHERE id RETURNING last_seq');
  if (!rows[0]) throw new Error('incident change counter missing');
  return Number(rows[0].last_seq);
};

export const insertIncident = async (tx: PlatformTx, incident: Incident, facts: NoticeFacts, changeSeq: number): Promise<void> => {
  await tx.query(
    `INSERT INTO incidents (id, title, description, severity, status, commander_id, assignee_ids, personal_data, detected_at, aware_at,
       verified_at, classified_at, resolved_at, review_published_at, likely_impact, mitigation, contact_point, version, change_seq, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
    [
      incident.id,
      incident.title,
      incident.description,
      incident.severity,
      incident.status,
      incident.commanderId,
      incident.assigneeIds,
      incident.personalData,
      incident.detectedAt,
      incident.awareAt,
      incident.verifiedAt,
      incident.classifiedAt,
      incident.resolvedAt,
      incident.reviewPublishedAt,
      facts.likelyImpact,
      facts.mitigation,
      facts.contactPoint,
      incident.version,
      changeSeq,
      incident.createdAt,
      incident.updatedAt,
    ],
  );
  for (const tenantId of incident.affectedTenantIds) {
    await tx.query('INSERT INTO incident_tenants (tenant_id, incident_id) VALUES ($1, $2)', [tenantId, incident.id]);
    await tx.query(
      `INSERT INTO incident_notices (tenant_id, incident_id, kind, change_seq)
       SELECT $1, $2, k, $3 FROM unnest(ARRAY['customer', 'regulator', 'breach']) AS k`,
      [tenantId, incident.id, changeSeq],
    );
  }
};

/** Writes the fields an edit may change, and records the change on the incident. */
export const updateIncident = async (tx: PlatformTx, incident: Incident, changeSeq: number): Promise<void> => {
  await tx.query(
    `UPDATE incidents SET severity = $2, status = $3, commander_id = $4, assignee_ids = $5::uuid[], classified_at = $6, resolved_at = $7,
       review_published_at = $8, version = $9, updated_at = $10, change_seq = $11, title = $12, description = $13, personal_data = $14,
       aware_at = $15, verified_at = $16 WHERE id = $1`,
    [
      incident.id,
      incident.severity,
      incident.status,
      incident.commanderId,
      incident.assigneeIds,
      incident.classifiedAt,
      incident.resolvedAt,
      incident.reviewPublishedAt,
      incident.version,
      incident.updatedAt,
      changeSeq,
      incident.title,
      incident.description,
      incident.personalData,
      incident.awareAt,
      incident.verifiedAt,
    ],
  );
};

/** Links tenants newly affected (with their unsent notices) and unlinks those no longer affected (with theirs). */
export const relinkTenants = async (tx: PlatformTx, incidentId: string, added: readonly string[], removed: readonly string[], changeSeq: number): Promise<void> => {
  if (removed.length > 0) {
    await tx.query('DELETE FROM incident_notices WHERE incident_id = $1 AND tenant_id = ANY($2::uuid[])', [incidentId, [...removed]]);
    await tx.query('DELETE FROM incident_tenants WHERE incident_id = $1 AND tenant_id = ANY($2::uuid[])', [incidentId, [...removed]]);
  }
  for (const tenantId of added) {
    await tx.query('INSERT INTO incident_tenants (tenant_id, incident_id) VALUES ($1, $2)', [tenantId, incidentId]);
    await tx.query(
      `INSERT INTO incident_notices (tenant_id, incident_id, kind, change_seq)
       SELECT $1, $2, k, $3 FROM unnest(ARRAY['customer', 'regulator', 'breach']) AS k`,
      [tenantId, incidentId, changeSeq],
    );
  }
};

interface EntryRow extends Record<string, unknown> {
  incident_id: string;
  id: string;
  at: Ts;
  recorded_at: Ts;
  received_at: Ts;
  actor_id: string;
  kind: TimelineEntry['kind'];
  body: Record<string, unknown>;
}

const toEntry = (r: EntryRow): TimelineEntry =>
  TimelineEntrySchema.parse({
    ...r.body,
    id: r.id,
    incidentId: r.incident_id,
    at: iso(r.at),
    recordedAt: iso(r.recorded_at),
    receivedAt: iso(r.received_at),
    actorId: r.actor_id,
    kind: r.kind,
  });

/**
 * A details change as a tenant scope may read it: like its link rows, the affected
 * tenants it names are only itself (row-level security cannot reach into the body).
 */
const inTenantScope = (tx: ScopedTx, entry: TimelineEntry): TimelineEntry => {
  if (tx.scope !== 'tenant' || entry.kind !== 'details_change') return entry;
  const own = (d: IncidentDetails): IncidentDetails =>
    d.affectedTenantIds === undefined ? d : { ...d, affectedTenantIds: d.affectedTenantIds.filter((t) => t === tx.tenantId) };
  return { ...entry, from: own(entry.from), to: own(entry.to) };
};

/** Stores an entry the service received: the time that counts, and the recorded and received times beside it. */
export const insertEntry = async (tx: PlatformTx, entry: TimelineEntry & { recordedAt: string; receivedAt: string }, changeSeq: number): Promise<void> => {
  const { id, incidentId, at, recordedAt, receivedAt, actorId, kind, ...body } = entry;
  await tx.query(
    `INSERT INTO incident_timeline (incident_id, id, at, recorded_at, received_at, actor_id, kind, tenant_id, body, change_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
    [incidentId, id, at, recordedAt, receivedAt, actorId, kind, entry.kind === 'notification_sent' ? entry.tenantId : null, JSON.stringify(body), changeSeq],
  );
};

/** Timeline entries of these incidents in time order, optionally only those written in (after, upTo]. */
export const timelineOf = async (tx: ScopedTx, incidentIds: readonly string[], window?: { after: number; upTo: number }): Promise<Map<string, TimelineEntry[]>> => {
  const rows = await tx.query<EntryRow>(
    `SELECT incident_id, id, at, recorded_at, received_at, actor_id, kind, body FROM incident_timeline
     WHERE incident_id = ANY($1::uuid[]) AND ($2::bigint IS NULL OR (change_seq > $2 AND change_seq <= $3))
     ORDER BY incident_id, at, change_seq, id`,
    [[...incidentIds], window?.after ?? null, window?.upTo ?? null],
  );
  const byIncident = new Map<string, TimelineEntry[]>(incidentIds.map((id) => [id, []]));
  for (const r of rows) byIncident.get(r.incident_id)?.push(inTenantScope(tx, toEntry(r)));
  return byIncident;
};

export interface StoredNotice {
  readonly incidentId: string;
  readonly tenantId: TenantId;
  readonly tenantName: string;
  readonly kind: NoticeKind;
  readonly sentText: string | null;
  readonly sentAt: string | null;
  readonly sentBy: string | null;
}

interface NoticeRow extends Record<string, unknown> {
  incident_id: string;
  tenant_id: string;
  tenant_name: string;
  kind: NoticeKind;
  sent_text: string | null;
  sent_at: Ts | null;
  sent_by: string | null;
}

const KIND_ORDER = "array_position(ARRAY['customer', 'regulator', 'breach'], n.kind)";

export const noticesOf = async (tx: ScopedTx, incidentIds: readonly string[]): Promise<Map<string, StoredNotice[]>> => {
  const rows = await tx.query<NoticeRow>(
    `SELECT n.incident_id, n.tenant_id, t.name AS tenant_name, n.kind, n.sent_text, n.sent_at, n.sent_by
     FROM incident_notices n JOIN tenants t ON t.id = n.tenant_id
     WHERE n.incident_id = ANY($1::uuid[]) ORDER BY n.incident_id, t.name, n.tenant_id, ${KIND_ORDER}`,
    [[...incidentIds]],
  );
  const byIncident = new Map<string, StoredNotice[]>(incidentIds.map((id) => [id, []]));
  for (const r of rows) {
    byIncident.get(r.incident_id)?.push({
      incidentId: r.incident_id,
      tenantId: r.tenant_id as TenantId,
      tenantName: r.tenant_name,
      kind: r.kind,
      sentText: r.sent_text,
      sentAt: isoOrNull(r.sent_at),
      sentBy: r.sent_by,
    });
  }
  return byIncident;
};

/** Sent notices in the form the deadline clocks read. */
export const sentOf = (notices: readonly StoredNotice[]): SentNotice[] =>
  notices.flatMap((n) => (n.sentAt === null ? [] : [{ notice: n.kind, tenantId: n.tenantId, at: n.sentAt }]));

/**
 * Records a notice as sent: the first send freezes the text; the earliest time
 * stands (two responders may have marked it offline, in either order).
 */
export const markNoticeSent = async (
  tx: PlatformTx,
  n: { incidentId: string; tenantId: string; kind: NoticeKind; text: string; at: string; by: string },
  changeSeq: number,
): Promise<void> => {
  await tx.query(
    `UPDATE incident_notices SET
       sent_text = coalesce(sent_text, $4),
       sent_by = CASE WHEN sent_at IS NULL OR $5::timestamptz < sent_at THEN $6::uuid ELSE sent_by END,
       sent_at = least(coalesce(sent_at, $5::timestamptz), $5::timestamptz),
       change_seq = $7
     WHERE tenant_id = $2 AND incident_id = $1 AND kind = $3`,
    [n.incidentId, n.tenantId, n.kind, n.text, n.at, n.by, changeSeq],
  );
};

export const touchIncident = async (tx: PlatformTx, incidentId: string, changeSeq: number): Promise<void> => {
  await tx.query('UPDATE incidents SET change_seq = $2 WHERE id = $1', [incidentId, changeSeq]);
};

export const existingTenants = async (tx: PlatformTx, ids: readonly string[]): Promise<Set<string>> =>
  new Set((await tx.query<{ id: string }>('SELECT id::text AS id FROM tenants WHERE id = ANY($1::uuid[])', [[...ids]])).map((r) => r.id));

export const existingUsers = async (tx: PlatformTx, ids: readonly string[]): Promise<Set<string>> =>
  new Set((await tx.query<{ id: string }>('SELECT id::text AS id FROM users WHERE id = ANY($1::uuid[])', [[...ids]])).map((r) => r.id));

// Idempotency records.
interface EditRequestRow extends Record<string, unknown> {
  request_sha256: string;
  result: unknown;
}

export const findEditRequest = async (tx: PlatformTx, key: string): Promise<{ requestSha256: string; result: unknown } | null> => {
  const rows = await tx.query<EditRequestRow>('SELECT request_sha256, result FROM incident_edit_requests WHERE idempotency_key = $1', [key]);
  return rows[0] ? { requestSha256: rows[0].request_sha256, result: rows[0].result } : null;
};

/** Claims the key; false when another request holds it (PostgreSQL waits for that one to commit or roll back first). */
export const claimEditRequest = async (tx: PlatformTx, key: string, sha256: string, incidentId: string): Promise<boolean> =>
  (
    await tx.query(
      `INSERT INTO incident_edit_requests (idempotency_key, request_sha256, incident_id) VALUES ($1, $2, $3)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [key, sha256, incidentId],
    )
  ).length === 1;

export const storeEditResult = async (tx: PlatformTx, key: string, result: unknown): Promise<void> => {
  await tx.query('UPDATE incident_edit_requests SET result = $2::jsonb WHERE idempotency_key = $1', [key, JSON.stringify(result)]);
};
