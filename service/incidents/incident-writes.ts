import type { AuditDetails } from '../../shared/audit/event';
import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { z } from 'zod';
import type { CreateIncidentRequestSchema, IncidentEditRequest, IncidentEditResult } from '../../shared/incidents/api';
import { IncidentEditResultSchema } from '../../shared/incidents/api';
import { draftNotice } from '../../shared/incidents/documents';
import { judgeEditTime, MAX_CLOCK_SKEW_MS, type EditTimeProblem } from '../../shared/incidents/edit-time';
import { applyIncidentEdit, type EditProblem } from '../../shared/incidents/edits';
import type { Incident, IncidentDetails, TimelineEntry } from '../../shared/incidents/incident';
import { appendAuditEvent, freeText, type Actor } from '../audit/audit-log';
import type { DeadlinePoint } from '../../shared/incidents/deadline-moves';
import type { PlatformTx } from '../db/db';
import { ApiError } from '../http/api-error';
import {
  claimEditRequest,
  existingTenants,
  existingUsers,
  findEditRequest,
  getIncident,
  insertEntry,
  insertIncident,
  markNoticeSent,
  nextChangeSeq,
  noticesOf,
  relinkTenants,
  sentOf,
  storeEditResult,
  touchIncident,
  updateIncident,
} from './incident-repository';
import { offlineWindows } from './offline-window';

/**
 * Incident writes, in platform scope, each with its audit event in the same
 * transaction. Audit events go to the platform's log only: the incident is the
 * platform's record, and a tenant's log can only be appended in that tenant's own
 * transaction. Details carry ids, kinds and lengths — never note text, titles or
 * descriptions, which may hold personal data.
 */

type CreateIncident = z.output<typeof CreateIncidentRequestSchema>;

const unknownRefs = async (tx: PlatformTx, body: { affectedTenantIds: readonly string[]; commanderId: string | null; assigneeIds: readonly string[] }) => {
  const issues: { path: string; message: string }[] = [];
  const tenants = await existingTenants(tx, body.affectedTenantIds);
  body.affectedTenantIds.forEach((id, i) => {
    if (!tenants.has(id)) issues.push({ path: `body.affectedTenantIds.${i}`, message: 'No tenant with this id.' });
  });
  const people = [...(body.commanderId ? [body.commanderId] : []), ...body.assigneeIds];
  const users = await existingUsers(tx, people);
  if (body.commanderId && !users.has(body.commanderId)) issues.push({ path: 'body.commanderId', message: 'No user with this id.' });
  body.assigneeIds.forEach((id, i) => {
    if (!users.has(id)) issues.push({ path: `body.assigneeIds.${i}`, message: 'No user with this id.' });
  });
  return issues;
};

/**
 * An incident declared with its own id (a console that declared it offline): a resend
 * of the same body by the same person is the same incident; anything else under that
 * id is refused. Serialised on the id, so parallel resends open it once.
 */
const earlierDeclaration = async (tx: PlatformTx, id: string, sha256: string): Promise<boolean> => {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [id]);
  const earlier = await findEditRequest(tx, id);
  if (earlier) {
    if (earlier.requestSha256 !== sha256) throw new ApiError(409, 'idempotency_key_reused', 'This incident id was already used for a different declaration.');
    return true;
  }
  if (await getIncident(tx, id, false)) throw new ApiError(409, 'incident_exists', 'An incident with this id exists already.');
  return false;
};

/**
 * The incident's opening time: the receipt, or the time a console declared it offline
 * when that falls in the session's offline window (as an edit's time is judged), so its
 * offline edits made after the declaration keep their times too.
 */
const openingTimes = async (tx: PlatformTx, body: CreateIncident, now: Date, sessionId: string | null, id: string) => {
  const detectedAt = new Date(body.detectedAt).toISOString();
  if (body.declaredAt === undefined) return { at: now.toISOString(), recordedAt: null };
  const times = judgeEditTime(body.declaredAt, {
    receivedAt: now,
    windows: sessionId === null ? [] : await offlineWindows(tx, sessionId, id),
    createdAt: detectedAt,
    detectedAt,
  });
  if (times === 'time_in_future') {
    throw new ApiError(400, 'incident_time_in_future', 'The declaration is dated in the future; check this device\'s clock.', [{ path: 'body.declaredAt', message: 'Cannot be in the future.' }]);
  }
  if (times === 'time_before_creation') {
    throw new ApiError(400, 'validation_failed', 'Invalid request body.', [{ path: 'body.declaredAt', message: 'Cannot be before the detection time.' }]);
  }
  return { at: times.at, recordedAt: times.recordedAt };
};

export interface OpenContext {
  /** The caller's session: an offline declaration keeps its time within that session's window. */
  readonly sessionId: string | null;
}

/** Opens an incident; returns its id (an earlier declaration's, unchanged, when this is a resend of it). */
export const openIncident = async (tx: PlatformTx, body: CreateIncident, actor: Actor, requestId: string, now: Date, context: OpenContext = { sessionId: null }): Promise<string> => {
  const sha256 = createHash('sha256')
    .update(canonicalize({ actor, body }) ?? '')
    .digest('hex');
  if (body.id !== undefined && (await earlierDeclaration(tx, body.id, sha256))) return body.id;
  const affected = [...new Set(body.affectedTenantIds)];
  const issues = await unknownRefs(tx, { ...body, affectedTenantIds: affected });
  if (body.detectedAt && Date.parse(body.detectedAt) > now.getTime() + MAX_CLOCK_SKEW_MS) {
    issues.push({ path: 'body.detectedAt', message: 'Detection cannot be in the future.' });
  }
  if (issues.length > 0) throw new ApiError(400, 'validation_failed', 'Invalid request body.', issues);
  const id = body.id ?? randomUUID();
  const { at, recordedAt } = await openingTimes(tx, body, now, context.sessionId, id);
  const incident: Incident = {
    id,
    title: body.title,
    description: body.description,
    severity: body.severity,
    status: 'detected',
    commanderId: body.commanderId,
    assigneeIds: [...new Set(body.assigneeIds)],
    affectedTenantIds: affected,
    personalData: body.personalData,
    detectedAt: new Date(body.detectedAt).toISOString(),
    awareAt: body.awareAt === null ? null : new Date(body.awareAt).toISOString(),
    verifiedAt: body.verifiedAt === null ? null : new Date(body.verifiedAt).toISOString(),
    classifiedAt: null,
    resolvedAt: null,
    reviewPublishedAt: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await insertIncident(tx, incident, body.notice, await nextChangeSeq(tx));
  if (body.id !== undefined) await claimEditRequest(tx, id, sha256, id);
  await appendAuditEvent(tx, {
    actor,
    action: 'incident.opened',
    target: `incident:${incident.id}`,
    requestId,
    details: {
      severity: incident.severity,
      personalData: incident.personalData,
      affectedTenantIds: affected,
      titleLength: incident.title.length,
      ...(recordedAt === null ? {} : { recordedAt, receivedAt: now.toISOString() }),
    },
  });
  return incident.id;
};

const PROBLEMS: Readonly<Record<Exclude<EditProblem, 'version_conflict' | 'wrong_incident'>, () => ApiError>> = {
  same_details: () => new ApiError(409, 'no_change', 'The incident already has these details.'),
  time_before_detection: () =>
    new ApiError(400, 'incident_time_before_detection', 'Awareness and verification cannot be before the incident was detected.'),
  transition_not_allowed: () => new ApiError(409, 'transition_not_allowed', 'The incident cannot move to that status from its current one.'),
  same_status: () => new ApiError(409, 'no_change', 'The incident already has that status.'),
  same_severity: () => new ApiError(409, 'no_change', 'The incident already has that severity.'),
  tenant_not_affected: () => new ApiError(409, 'tenant_not_affected', 'That tenant is not affected by this incident.'),
  downgrade_reason_required: () =>
    new ApiError(400, 'downgrade_reason_required', 'Lowering the severity needs a reason; say why in the change.', [{ path: 'body.edit.reason', message: 'Give a reason.' }]),
  unsent_notices_reason_required: () =>
    new ApiError(400, 'unsent_notices_reason_required', 'Notices the policy asks for are not sent yet; send them, or give a reason to resolve anyway.', [
      { path: 'body.edit.reason', message: 'Give a reason.' },
    ]),
};

const TIME_PROBLEMS: Readonly<Record<EditTimeProblem, () => ApiError>> = {
  time_in_future: () =>
    new ApiError(400, 'incident_time_in_future', 'The edit is dated in the future; check this device\'s clock.', [{ path: 'body.edit.at', message: 'Cannot be in the future.' }]),
  time_before_creation: () =>
    new ApiError(400, 'incident_time_before_creation', 'The edit is dated before the incident was opened; check this device\'s clock.', [
      { path: 'body.edit.at', message: 'Cannot be before the incident was opened or detected.' },
    ]),
};

const AUDIT_OF: Readonly<Record<TimelineEntry['kind'], string>> = {
  note: 'incident.note_added',
  status_change: 'incident.status_changed',
  severity_change: 'incident.severity_changed',
  assignment: 'incident.assigned',
  notification_sent: 'incident.notice_sent',
  details_change: 'incident.details_changed',
};

/** Which details changed, with the values that are not free text (title and description only by length). */
const detailsAudit = (d: IncidentDetails): AuditDetails => ({
  ...(d.title === undefined ? {} : { titleLength: d.title.length }),
  ...(d.description === undefined ? {} : { descriptionLength: d.description.length }),
  ...(d.affectedTenantIds === undefined ? {} : { affectedTenantIds: d.affectedTenantIds }),
  ...(d.personalData === undefined ? {} : { personalData: d.personalData }),
  ...(d.awareAt === undefined ? {} : { awareAt: d.awareAt }),
  ...(d.verifiedAt === undefined ? {} : { verifiedAt: d.verifiedAt }),
});

/** What the audit event records of the entry: ids, kinds and its three times, never free text. */
const auditDetails = (entry: TimelineEntry): AuditDetails => ({
  ...auditFields(entry),
  ...(entry.recordedAt === undefined ? {} : { recordedAt: entry.recordedAt }),
  ...(entry.receivedAt === undefined ? {} : { receivedAt: entry.receivedAt }),
});

const pointAudit = (p: DeadlinePoint): string => (typeof p === 'string' ? p : p.due);

/** The reason of a status or severity change: free text, so it goes to the event's erasable part. */
const auditPersonal = (entry: TimelineEntry): Record<string, string> | undefined =>
  (entry.kind === 'status_change' || entry.kind === 'severity_change') && entry.reason !== undefined ? freeText({ reason: entry.reason }).personal : undefined;

const auditFields = (entry: TimelineEntry): AuditDetails => {
  switch (entry.kind) {
    case 'note':
      return { entryId: entry.id, at: entry.at, textLength: entry.text.length };
    case 'status_change':
    case 'severity_change':
      return {
        entryId: entry.id,
        at: entry.at,
        from: entry.from,
        to: entry.to,
        ...(entry.reason === undefined ? {} : freeText({ reason: entry.reason }).lengths),
        ...(entry.deadlineMoves === undefined ? {} : { deadlineMoves: entry.deadlineMoves.map((m) => ({ id: m.id, from: pointAudit(m.from), to: pointAudit(m.to) })) }),
      };
    case 'assignment':
      return { entryId: entry.id, at: entry.at, commanderId: entry.commanderId, assigneeIds: entry.assigneeIds };
    case 'notification_sent':
      return { entryId: entry.id, at: entry.at, notice: entry.notice, tenantId: entry.tenantId };
    case 'details_change':
      return { entryId: entry.id, at: entry.at, fields: Object.keys(entry.to), from: detailsAudit(entry.from), to: detailsAudit(entry.to) };
  }
};

/** A details edit's own checks before it applies: tenants that exist, and times that have happened. */
const checkDetails = async (tx: PlatformTx, changes: IncidentDetails, now: Date): Promise<void> => {
  if (changes.affectedTenantIds !== undefined) {
    const issues = await unknownRefs(tx, { affectedTenantIds: changes.affectedTenantIds, commanderId: null, assigneeIds: [] });
    if (issues.length > 0) {
      throw new ApiError(400, 'validation_failed', 'Invalid request body.', issues.map((i) => ({ ...i, path: i.path.replace(/^body\./, 'body.edit.changes.') })));
    }
  }
  const future = (['awareAt', 'verifiedAt'] as const).filter((f) => {
    const t = changes[f];
    return typeof t === 'string' && Date.parse(t) > now.getTime() + MAX_CLOCK_SKEW_MS;
  });
  if (future.length > 0) {
    throw new ApiError(
      400,
      'incident_time_in_future',
      'Awareness and verification times cannot be in the future.',
      future.map((f) => ({ path: `body.edit.changes.${f}`, message: 'Cannot be in the future.' })),
    );
  }
};

const requestHash = (incidentId: string, actor: Actor, request: IncidentEditRequest): string =>
  createHash('sha256')
    .update(canonicalize({ incidentId, actor, edit: request.edit }) ?? '')
    .digest('hex');

const replay = (stored: { requestSha256: string; result: unknown }, sha256: string): IncidentEditResult => {
  if (stored.requestSha256 !== sha256) {
    throw new ApiError(409, 'idempotency_key_reused', 'This idempotency key was already used for a different edit; send a new key.');
  }
  return IncidentEditResultSchema.parse(stored.result);
};

/** Who sent an edit, and when and in which session the service received it. */
export interface EditContext {
  readonly actor: Actor;
  readonly requestId: string;
  /** The service's clock as the edit arrived: its receipt time. */
  readonly now: Date;
  /** The caller's session, whose sync bounds how far back an offline edit may claim (./offline-window.ts); null for tokens. */
  readonly sessionId: string | null;
}

/**
 * Applies an edit exactly once per idempotency key. A resend of the same request
 * returns the first result unchanged and changes nothing; the same key with
 * anything else is refused. A refused edit stores nothing, so its key stays free.
 * The edit's own time is a claim: judgeEditTime decides what counts.
 */
export const applyEdit = async (tx: PlatformTx, incidentId: string, request: IncidentEditRequest, context: EditContext): Promise<IncidentEditResult> => {
  const { actor, requestId, now, sessionId } = context;
  const { idempotencyKey } = request;
  // Stored and compared in one form: UTC, milliseconds, as the database gives it back.
  const edit = { ...request.edit, at: new Date(request.edit.at).toISOString() };
  if (edit.incidentId !== incidentId) {
    throw new ApiError(400, 'validation_failed', 'The edit names another incident than the path.', [
      { path: 'body.edit.incidentId', message: 'Must match the incident in the path.' },
    ]);
  }
  const sha256 = requestHash(incidentId, actor, request);
  const earlier = await findEditRequest(tx, idempotencyKey);
  if (earlier) return replay(earlier, sha256);
  // Edits of one incident are serialised on its row.
  const current = await getIncident(tx, incidentId, true);
  if (!current) throw new ApiError(404, 'not_found', 'No incident with this id.');
  if (!(await claimEditRequest(tx, idempotencyKey, sha256, incidentId))) {
    const raced = await findEditRequest(tx, idempotencyKey);
    if (!raced) throw new Error('idempotency key claimed but not found');
    return replay(raced, sha256);
  }
  const times = judgeEditTime(edit.at, {
    receivedAt: now,
    windows: sessionId === null ? [] : await offlineWindows(tx, sessionId, incidentId),
    createdAt: current.incident.createdAt,
    detectedAt: current.incident.detectedAt,
  });
  if (typeof times === 'string') throw TIME_PROBLEMS[times]();
  if (edit.kind === 'assignment') {
    const issues = await unknownRefs(tx, { affectedTenantIds: [], commanderId: edit.commanderId, assigneeIds: edit.assigneeIds });
    if (issues.length > 0) throw new ApiError(400, 'validation_failed', 'Invalid request body.', issues.map((i) => ({ ...i, path: i.path.replace(/^body\./, 'body.edit.') })));
  }
  if (edit.kind === 'details') await checkDetails(tx, edit.changes, now);
  const sent = sentOf((await noticesOf(tx, [incidentId])).get(incidentId) ?? []);
  const outcome = applyIncidentEdit(current.incident, edit, { entryId: randomUUID(), actorId: actor.id, times, sent });
  if (outcome === 'version_conflict') {
    throw new ApiError(
      409,
      'edit_conflict',
      `The incident changed since version ${'baseVersion' in edit ? edit.baseVersion : '?'}; it is now at version ${current.incident.version}.`,
      undefined,
      undefined,
      { incident: current.incident },
    );
  }
  if (outcome === 'wrong_incident') throw new Error('edit incident checked above');
  if (typeof outcome === 'string') throw PROBLEMS[outcome]();
  const { incident, entry } = outcome;
  const removed = current.incident.affectedTenantIds.filter((t) => !incident.affectedTenantIds.includes(t));
  const added = incident.affectedTenantIds.filter((t) => !current.incident.affectedTenantIds.includes(t));
  if (removed.length > 0) {
    const sent = ((await noticesOf(tx, [incidentId])).get(incidentId) ?? []).filter((n) => n.sentAt !== null && removed.includes(n.tenantId));
    if (sent.length > 0) {
      throw new ApiError(409, 'tenant_already_notified', 'A tenant that was already sent a notice stays affected; add a note to correct the record instead.', [
        ...new Set(sent.map((n) => n.tenantId)),
      ].map((t) => ({ path: 'body.edit.changes.affectedTenantIds', message: `Tenant ${t} was already notified.` })));
    }
  }
  const seq = await nextChangeSeq(tx);
  if (incident !== current.incident) await updateIncident(tx, incident, seq);
  else await touchIncident(tx, incidentId, seq);
  if (added.length > 0 || removed.length > 0) await relinkTenants(tx, incidentId, added, removed, seq);
  if (entry.kind === 'notification_sent') {
    const notice = (await noticesOf(tx, [incidentId])).get(incidentId)?.find((n) => n.tenantId === entry.tenantId && n.kind === entry.notice);
    // The service keeps notices only for listed tenants; an incident without any has no one to notify.
    if (!notice) throw PROBLEMS.tenant_not_affected();
    const text = notice.sentText ?? draftNotice(incident, current.noticeFacts, { kind: entry.notice, tenantName: notice.tenantName });
    await markNoticeSent(tx, { incidentId, tenantId: entry.tenantId, kind: entry.notice, text, at: entry.at, by: actor.id }, seq);
  }
  await insertEntry(tx, { ...entry, recordedAt: times.recordedAt, receivedAt: times.receivedAt }, seq);
  const personal = auditPersonal(entry);
  await appendAuditEvent(tx, {
    actor,
    action: AUDIT_OF[entry.kind],
    target: `incident:${incidentId}`,
    requestId,
    details: auditDetails(entry),
    ...(personal === undefined ? {} : { personal }),
  });
  const result: IncidentEditResult = { idempotencyKey, incident, entry };
  await storeEditResult(tx, idempotencyKey, result);
  return result;
};
