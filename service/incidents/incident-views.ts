import type { IncidentChange, IncidentDetail, IncidentNotice, IncidentSummary } from '../../shared/incidents/api';
import { applicableRules, incidentDeadlines, isOverdue } from '../../shared/incidents/deadlines';
import { draftNotice } from '../../shared/incidents/documents';
import type { TenantId } from '../../shared/tenants/tenant';
import { PLATFORM_TENANT_ID, type Db, type ScopedTx } from '../db/db';
import type { Incident, IncidentStatus, Severity, TimelineEntry } from '../../shared/incidents/incident';
import { getIncident, incidentsChangedAfter, incidentsWithEntriesIn, listIncidents, noticesOf, sentOf, timelineOf, type StoredIncident, type StoredNotice } from './incident-repository';

/**
 * The reads of incidents, in the scope the path names: the nil UUID reads in
 * platform scope (the route table has allowed only platform roles there), a
 * tenant id in that tenant's scope, where row-level security decides what exists.
 */
export const inScope = <T>(db: Db, tenantId: TenantId, fn: (tx: ScopedTx) => Promise<T>): Promise<T> =>
  tenantId === PLATFORM_TENANT_ID ? db.platform(fn) : db.tenant(tenantId, fn);

const noticeView = (s: StoredIncident, n: StoredNotice): IncidentNotice => {
  const rules = applicableRules(s.incident);
  return {
    incidentId: n.incidentId,
    tenantId: n.tenantId,
    tenantName: n.tenantName,
    kind: n.kind,
    required: rules.some((r) => 'notice' in r.metBy && r.metBy.notice === n.kind),
    text: n.sentText ?? draftNotice(s.incident, s.noticeFacts, { kind: n.kind, tenantName: n.tenantName }),
    sentAt: n.sentAt,
    sentBy: n.sentBy,
  };
};

const summarise = (incident: Incident, notices: readonly StoredNotice[], now: Date): IncidentSummary => {
  const deadlines = incidentDeadlines(incident, sentOf(notices), now);
  return { incident, deadlines, overdue: isOverdue(deadlines) };
};

export const incidentList = async (
  tx: ScopedTx,
  filter: { severity?: Severity | undefined; status?: IncidentStatus | undefined; overdue?: boolean | undefined },
  now: Date,
): Promise<IncidentSummary[]> => {
  const stored = await listIncidents(tx, filter);
  const notices = await noticesOf(
    tx,
    stored.map((s) => s.incident.id),
  );
  const items = stored.map((s) => summarise(s.incident, notices.get(s.incident.id) ?? [], now));
  return filter.overdue === undefined ? items : items.filter((i) => i.overdue === filter.overdue);
};

export interface LoadedIncident {
  readonly stored: StoredIncident;
  readonly timeline: TimelineEntry[];
  readonly notices: StoredNotice[];
}

export const loadIncident = async (tx: ScopedTx, id: string): Promise<LoadedIncident | null> => {
  const stored = await getIncident(tx, id);
  if (!stored) return null;
  const [timeline, notices] = [(await timelineOf(tx, [id])).get(id) ?? [], (await noticesOf(tx, [id])).get(id) ?? []];
  return { stored, timeline, notices };
};

export const detailOf = ({ stored, timeline, notices }: LoadedIncident, now: Date): IncidentDetail => {
  const { deadlines, overdue } = summarise(stored.incident, notices, now);
  return {
    incident: stored.incident,
    noticeFacts: stored.noticeFacts,
    timeline,
    deadlines,
    overdue,
    notices: notices.map((n) => noticeView(stored, n)),
    now: now.toISOString(),
  };
};

export const noticeOf = (loaded: LoadedIncident, tenantId: string, kind: StoredNotice['kind']): IncidentNotice | null => {
  const n = loaded.notices.find((x) => x.tenantId === tenantId && x.kind === kind);
  return n ? noticeView(loaded.stored, n) : null;
};

/**
 * One page of the changes feed after `cursor`: up to `limit` incidents in order of
 * their latest change, plus any incident changed later that gained entries inside
 * the page's window. An incident may so appear on two pages (always in its current
 * state); each timeline entry comes exactly once, on the page whose window holds it.
 */
export const changesAfter = async (tx: ScopedTx, cursor: number, limit: number): Promise<{ items: IncidentChange[]; nextCursor: number; more: boolean }> => {
  const changed = await incidentsChangedAfter(tx, cursor, limit + 1);
  const last = changed.slice(0, limit).at(-1);
  if (!last) return { items: [], nextCursor: cursor, more: false };
  // Sequences commit in order (nextChangeSeq), so everything up to `last` is already visible.
  const first = changed.slice(0, limit);
  // Read committed: an incident of the first list may have moved past `last` since, and show up again here.
  const later = (await incidentsWithEntriesIn(tx, cursor, last.changeSeq)).filter((s) => !first.some((f) => f.incident.id === s.incident.id));
  const page = [...first, ...later];
  const ids = page.map((s) => s.incident.id);
  // Bounded above by the page's last change, so entries committed after the incidents were read wait for the next page.
  const entries = await timelineOf(tx, ids, { after: cursor, upTo: last.changeSeq });
  const notices = await noticesOf(tx, ids);
  return {
    items: page.map((s) => ({
      incident: s.incident,
      noticeFacts: s.noticeFacts,
      newEntries: entries.get(s.incident.id) ?? [],
      notices: (notices.get(s.incident.id) ?? []).map((n) => noticeView(s, n)),
    })),
    nextCursor: last.changeSeq,
    more: changed.length > limit,
  };
};
