import type { endpoints } from '../../shared/api/endpoints';
import { reviewMarkdown } from '../../shared/incidents/documents';
import { actorOf, type Principal } from '../auth/principal';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';
import { changesAfter, detailOf, incidentList, inScope, loadIncident, noticeOf } from './incident-views';
import { recordFeedPull, recordRefusal } from './offline-window';
import { applyEdit, openIncident } from './incident-writes';

const who = (principal: Principal | null) => {
  if (!principal) throw new Error('unauthenticated');
  return actorOf(principal);
};

/** The session a person calls in; tokens have none, so their edits always count from receipt. */
const sessionOf = (principal: Principal | null): string | null => (principal?.kind === 'user' ? principal.session.id : null);

const notFound = () => new ApiError(404, 'not_found', 'No incident with this id affects this tenant.');

/**
 * Writes are platform-wide (incidents.write is a platform-only permission). Reads
 * name a scope in the path: a tenant (its owners and admins, and platform staff,
 * get that tenant's view through row-level security) or the nil UUID, which the
 * permission matrix opens to platform roles only (every incident, every tenant).
 */
export const incidentHandlers = ({ db, now }: HandlerDeps) =>
  ({
    createIncident: async ({ body, principal, requestId }) => {
      const at = now();
      return db.platform(async (tx) => {
        const id = await openIncident(tx, body, who(principal), requestId, at, { sessionId: sessionOf(principal) });
        const loaded = await loadIncident(tx, id);
        if (!loaded) throw new Error('incident vanished');
        return detailOf(loaded, at);
      });
    },
    applyIncidentEdit: async ({ params, body, principal, requestId }) => {
      const context = { actor: who(principal), requestId, now: now(), sessionId: sessionOf(principal) };
      try {
        return await db.platform((tx) => applyEdit(tx, params.incidentId, body, context));
      } catch (error) {
        // The console holds the session's later edits of this incident behind the refusal (a conflict
        // the user resolves after pulling again): they keep the window the session had now.
        const { sessionId } = context;
        if (sessionId !== null && error instanceof ApiError && error.status < 500) {
          await db.platform((tx) => recordRefusal(tx, sessionId, params.incidentId, context.now));
        }
        throw error;
      }
    },
    listIncidents: async ({ params, query }) => {
      const at = now();
      const items = await inScope(db, params.tenantId, (tx) => incidentList(tx, query, at));
      return { items, now: at.toISOString() };
    },
    incidentChanges: async ({ params, query, principal }) => {
      const at = now();
      const page = await inScope(db, params.tenantId, (tx) => changesAfter(tx, Number(query.cursor ?? 0), query.limit));
      // Served: the session's device has synced up to here, so its offline edits may claim no earlier time.
      const sessionId = sessionOf(principal);
      if (sessionId !== null) await db.platform((tx) => recordFeedPull(tx, sessionId, at));
      return { ...page, nextCursor: String(page.nextCursor) };
    },
    getIncident: async ({ params }) => {
      const loaded = await inScope(db, params.tenantId, (tx) => loadIncident(tx, params.incidentId));
      if (!loaded) throw notFound();
      return detailOf(loaded, now());
    },
    exportIncidentNotice: async ({ params }) => {
      // A notice belongs to one tenant: read in that tenant's scope (for the nil UUID there is none).
      const loaded = await inScope(db, params.tenantId, (tx) => loadIncident(tx, params.incidentId));
      if (!loaded) throw notFound();
      const notice = noticeOf(loaded, params.tenantId, params.kind);
      if (!notice) throw new ApiError(404, 'not_found', 'This tenant has no notice of this kind for the incident.');
      return {
        filename: `incident-${params.incidentId.slice(0, 8)}-${params.kind}-notice.md`,
        markdown: notice.text,
        incidentTitle: loaded.stored.incident.title,
        tenantName: notice.tenantName,
      };
    },
    exportIncidentReview: async ({ params }) => {
      const at = now();
      const loaded = await inScope(db, params.tenantId, (tx) => loadIncident(tx, params.incidentId));
      if (!loaded) throw notFound();
      const detail = detailOf(loaded, at);
      const names = new Map(loaded.notices.map((n) => [n.tenantId as string, n.tenantName]));
      return {
        filename: `incident-${params.incidentId.slice(0, 8)}-review.md`,
        markdown: reviewMarkdown(detail.incident, detail.noticeFacts, detail.timeline, detail.deadlines, names),
        incidentTitle: detail.incident.title,
        tenantName: null,
      };
    },
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
