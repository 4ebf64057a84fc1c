import type { z } from 'zod';
import type { IpcChannel, IpcChannels, IpcOutput } from '../../../shared/ipc/contract';
import type { ServiceConnectionChannel } from '../../../shared/ipc/service-connection';
import type { AuditConsole } from '../audit/audit-console';
import type { SignIn } from '../auth/sign-in';
import type { ServiceClient } from '../client/service-client';
import type { ConnectionMonitor } from '../connection/connection-monitor';
import type { IncidentConsole } from '../incidents/incident-console';
import { CoreError } from '../core-error';
import { orOfflineCopy, type OfflineDirectory } from '../offline/offline-directory';
import { createPostureConsole, type PostureConsole } from '../posture/posture-console';
import { createTrustPageConsole, type TrustPageConsole } from '../trust-page/trust-page-console';

type Handler<C extends IpcChannel> = (input: z.output<IpcChannels[C]['input']>) => Promise<IpcOutput<C>>;

/** Channels the console core answers: all but the Connect screen's, which the console host answers. */
export type CoreChannel = Exclude<IpcChannel, ServiceConnectionChannel>;

/** One handler per core channel; the mapped type makes a missing one a type error. */
export type IpcHandlers = { [C in CoreChannel]: Handler<C> };

/** Some of the contract's channels, for a dispatch that answers only those. */
export type ChannelHandlers = { [C in IpcChannel]?: Handler<C> };

export interface HandlerDeps {
  client: Pick<ServiceClient, 'call'>;
  monitor: Pick<ConnectionMonitor, 'status' | 'check'>;
  auth: Omit<SignIn, 'subscribe' | 'resume' | 'sessionEnded'>;
  app: { version: string; mode: 'electron' | 'browser'; platform: string };
  audit: Omit<AuditConsole, 'verifier' | 'close'>;
  /** Absent where a test of another domain builds handlers without the offline store. */
  incidents?: Omit<IncidentConsole, 'subscribe' | 'close' | 'readReplica'>;
  /** The replica's tenants, members and sessions, for when the service cannot be reached. */
  directory?: OfflineDirectory;
  /** Saves a table's rows as CSV (tables/table-export.ts); absent where a test of another domain builds handlers. */
  exportCsv?: (input: z.output<IpcChannels['tables.exportCsv']['input']>) => Promise<IpcOutput<'tables.exportCsv'>>;
  /** The monitor's status with the outbox's count and sync state folded in. */
  connectionStatus?: (status: IpcOutput<'connection.status'>) => Promise<IpcOutput<'connection.status'>>;
  /** Absent in tests of other domains: posture then reads through `client` and cannot save exports. */
  posture?: PostureConsole;
  trustPage?: TrustPageConsole;
}

// A failed service call may be the first sign of a changed connection; the
// indicator should not wait for the next periodic probe to show it.
const CONNECTION_CODES = new Set(['service_unreachable', 'certificate_mismatch']);

const noIncidents = (): never => {
  throw new CoreError('internal_error', 'This console was started without its incident store.');
};
const absentIncidents: Omit<IncidentConsole, 'subscribe' | 'close' | 'readReplica'> = {
  list: noIncidents,
  get: noIncidents,
  create: noIncidents,
  edit: noIncidents,
  declare: noIncidents,
  sync: noIncidents,
  status: noIncidents,
  resolveConflict: noIncidents,
  resync: noIncidents,
  export: noIncidents,
};

const noDirectory: OfflineDirectory = { members: async () => null, sessions: async () => null, tenants: async () => null };

const noExportPath = (): never => {
  throw new CoreError('internal_error', 'This console was started without a place to save exports.');
};

const noExportCsv = (): never => {
  throw new CoreError('internal_error', 'This console was started without table exports.');
};

export function createHandlers({ client, monitor, auth, app, audit, incidents = absentIncidents, directory = noDirectory, exportCsv = noExportCsv, connectionStatus, posture, trustPage }: HandlerDeps): IpcHandlers {
  const postureConsole = posture ?? createPostureConsole({ client, chooseExportPath: noExportPath });
  const trustPages = trustPage ?? createTrustPageConsole({ client, chooseExportPath: noExportPath });
  const withSync = async (status: Promise<IpcOutput<'connection.status'>>) => (connectionStatus ? connectionStatus(await status) : status);
  const viaService = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      const result = await auth.guard(work);
      // A call that got through while the indicator says offline (the service came back
      // between probes): re-probe now rather than show "not reachable" beside fresh results.
      void monitor.status().then((status) => (status.state === 'online' ? undefined : monitor.check()));
      return result;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && CONNECTION_CODES.has(code)) void monitor.check();
      throw error;
    }
  };

  return {
    'app.info': async () => ({ ...app }),
    'connection.status': () => withSync(monitor.status()),
    'connection.retry': () => withSync(monitor.check()),

    'auth.state': () => auth.state(),
    'auth.login': (input) => viaService(() => auth.login(input)),
    'auth.verify': (input) => viaService(() => auth.verify(input)),
    'auth.enrolStart': () => viaService(() => auth.enrolStart()),
    'auth.enrolComplete': (input) => viaService(() => auth.enrolComplete(input)),
    'auth.cancel': () => auth.cancel(),
    'auth.logout': () => auth.logout(),
    'auth.stepUp': (input) => viaService(() => auth.stepUp(input)),
    'auth.acceptInvite': (input) => viaService(() => auth.acceptInvite(input)),
    'invites.accept': ({ token }) =>
      viaService(async () => {
        // Only as the person signed in now: never with a session the keychain holds but nobody resumed.
        if ((await auth.state()).step !== 'signed_in') throw new CoreError('not_signed_in', 'Sign in first; then accept the invitation from the account menu.');
        const accepted = await client.call('acceptInvite', { body: { token } });
        await auth.refreshMe();
        return accepted;
      }),

    'tenants.list': () =>
      orOfflineCopy(
        () => viaService(async () => (await client.call('listTenants', { query: {} })).items),
        () => directory.tenants(),
      ),
    'tenants.get': ({ id }) => viaService(() => client.call('getTenant', { params: { tenantId: id } })),
    'tenants.create': (body) => viaService(() => client.call('createTenant', { body })),
    'tenants.settings': ({ tenantId }) => viaService(() => client.call('getTenantSettings', { params: { tenantId } })),
    'tenants.updateSettings': ({ tenantId, ...body }) => viaService(() => client.call('updateTenantSettings', { params: { tenantId }, body })),
    'tenants.summary': ({ tenantId }) => viaService(() => client.call('getTenantSummary', { params: { tenantId } })),
    'tenants.suspend': ({ tenantId, reason }) => viaService(() => client.call('suspendTenant', { params: { tenantId }, body: { reason } })),
    'tenants.reinstate': ({ tenantId, reason }) => viaService(() => client.call('reinstateTenant', { params: { tenantId }, body: { reason } })),
    'tenants.setPlan': ({ tenantId, plan }) => viaService(() => client.call('setTenantPlan', { params: { tenantId }, body: { plan } })),
    'members.list': ({ tenantId, query }) =>
      orOfflineCopy(
        () => viaService(() => client.call('listMembers', { params: { tenantId }, query: query ?? {} })),
        () => directory.members(tenantId, query ?? {}),
      ),
    'members.invite': ({ tenantId, email, role }) => viaService(() => client.call('inviteMember', { params: { tenantId }, body: { email, role } })),
    'members.deactivate': ({ tenantId, userId }) => viaService(() => client.call('deactivateMember', { params: { tenantId, userId } })),
    'members.reactivate': ({ tenantId, userId }) => viaService(() => client.call('reactivateMember', { params: { tenantId, userId } })),
    'members.resetMfa': ({ tenantId, userId }) => viaService(() => client.call('resetMemberMfa', { params: { tenantId, userId } })),
    'members.mfaPolicy': ({ tenantId }) => viaService(() => client.call('getMfaPolicy', { params: { tenantId } })),
    'members.setMfaPolicy': ({ tenantId, policy }) => viaService(() => client.call('setMfaPolicy', { params: { tenantId }, body: policy })),
    'members.changeRole': ({ tenantId, userId, role }) =>
      viaService(() => client.call('changeMemberRole', { params: { tenantId, userId }, body: { role } })),

    'audit.events': (input) => viaService(() => audit.events(input)),
    'audit.status': (input) => viaService(() => audit.status(input)),
    'audit.verifyEvent': (input) => viaService(() => audit.verifyEvent(input)),
    'audit.verifyLog': (input) => viaService(() => audit.verifyLog(input)),
    'audit.dismissAlert': (input) => audit.dismissAlert(input),
    'audit.export': (input) => viaService(() => audit.export(input)),
    'tables.exportCsv': (input) => exportCsv(input),
    'sessions.list': ({ tenantId, userId, flagged, cursor, limit }) =>
      orOfflineCopy(
        () =>
          viaService(async () => {
            const query: { userId?: string; flagged?: 'true' | 'false'; cursor?: string; limit?: number } = {
              ...(userId === undefined ? {} : { userId }),
              ...(flagged === undefined ? {} : { flagged: flagged ? 'true' : 'false' }),
              ...(cursor === undefined ? {} : { cursor }),
              ...(limit === undefined ? {} : { limit }),
            };
            const { items, nextCursor } = await client.call('listSessions', { params: { tenantId }, query });
            return { items, ...(nextCursor === undefined ? {} : { nextCursor }) };
          }),
        () => directory.sessions(tenantId, { userId, flagged }),
      ),
    'sessions.revoke': ({ tenantId, sessionId }) => viaService(() => client.call('revokeSession', { params: { tenantId, sessionId } })),
    'sessions.reviewFlags': ({ tenantId, sessionId, outcome, note }) =>
      viaService(() => client.call('reviewSessionFlags', { params: { tenantId, sessionId }, body: { outcome, ...(note === undefined ? {} : { note }) } })),
    'sessions.revokeUser': ({ tenantId, userId }) => viaService(() => client.call('revokeUserSessions', { params: { tenantId, userId } })),
    'sessions.revokeAllButMine': ({ tenantId, reason }) => viaService(() => client.call('revokeTenantSessions', { params: { tenantId }, body: { reason } })),
    'approvals.list': () => viaService(async () => (await client.call('listApprovals')).items),
    'approvals.approve': ({ tenantId, approvalId, comment }) =>
      viaService(() => client.call('approveRequest', { params: { tenantId, approvalId }, body: { comment } })),
    'approvals.deny': ({ tenantId, approvalId, comment }) => viaService(() => client.call('denyRequest', { params: { tenantId, approvalId }, body: { comment } })),
    'approvals.withdraw': ({ tenantId, approvalId }) => viaService(() => client.call('withdrawRequest', { params: { tenantId, approvalId } })),
    'approvals.requestMemberRemoval': ({ tenantId, userIds, reason }) =>
      viaService(() => client.call('requestMemberRemoval', { params: { tenantId }, body: { userIds, reason } })),
    'approvals.requestPlatformRole': (input) => viaService(() => client.call('requestPlatformRole', { body: input })),
    'apiTokens.list': ({ tenantId }) => viaService(async () => (await client.call('listApiTokens', { params: { tenantId } })).items),
    'apiTokens.create': ({ tenantId, ...body }) => viaService(() => client.call('createApiToken', { params: { tenantId }, body })),
    'apiTokens.rotate': ({ tenantId, tokenId, expiresAt }) => viaService(() => client.call('rotateApiToken', { params: { tenantId, tokenId }, body: { expiresAt } })),
    'apiTokens.revoke': ({ tenantId, tokenId }) => viaService(() => client.call('revokeApiToken', { params: { tenantId, tokenId } })),
    'people.search': ({ q }) => viaService(async () => (await client.call('searchPeople', { query: { q } })).items),
    'people.get': ({ userId }) => viaService(() => client.call('getPerson', { params: { userId } })),
    'people.cutOffPlan': ({ userId }) => viaService(() => client.call('cutOffPlan', { params: { userId } })),
    'people.cutOff': ({ userId, reason }) => viaService(() => client.call('cutOff', { params: { userId }, body: { reason } })),
    'accessReviews.list': ({ tenantId }) => viaService(async () => (await client.call('listAccessReviews', { params: { tenantId } })).items),
    'accessReviews.start': ({ tenantId, ...body }) => viaService(() => client.call('startAccessReview', { params: { tenantId }, body })),
    'accessReviews.get': ({ tenantId, reviewId }) => viaService(() => client.call('getAccessReview', { params: { tenantId, reviewId } })),
    'accessReviews.decide': ({ tenantId, reviewId, userId, ...body }) =>
      viaService(() => client.call('decideAccessReviewItem', { params: { tenantId, reviewId, userId }, body })),
    'accessReviews.keepUndecided': ({ tenantId, reviewId, comment }) =>
      viaService(() => client.call('keepUndecidedAccessReviewItems', { params: { tenantId, reviewId }, body: { comment } })),
    'accessReviews.close': ({ tenantId, reviewId }) => viaService(() => client.call('closeAccessReview', { params: { tenantId, reviewId } })),

    // Reads and edits are local (replica and outbox), so they answer offline.
    'incidents.list': (input) => incidents.list(input),
    'incidents.get': ({ incidentId }) => incidents.get(incidentId),
    'incidents.edit': (input) => incidents.edit(input),
    'incidents.declare': (input) => incidents.declare(input),
    'incidents.syncStatus': () => incidents.status(),
    'incidents.resolveConflict': (input) => incidents.resolveConflict(input),
    'incidents.create': (input) => viaService(() => incidents.create(input)),
    'incidents.sync': () => viaService(() => incidents.sync()),
    'incidents.resync': () => viaService(() => incidents.resync()),
    'incidents.export': (input) => viaService(() => incidents.export(input)),

    'posture.get': ({ tenantId }) => viaService(() => postureConsole.get(tenantId)),
    'posture.snapshots': ({ tenantId, limit }) => viaService(() => postureConsole.snapshots(tenantId, limit)),
    'posture.evaluate': ({ tenantId }) => viaService(() => postureConsole.evaluate(tenantId)),
    'posture.exportEvidence': ({ tenantId }) => viaService(() => postureConsole.exportEvidence(tenantId)),
    'posture.remediations': ({ tenantId }) => viaService(() => postureConsole.remediations(tenantId)),
    'posture.setRemediation': ({ tenantId, controlId, plan }) => viaService(() => postureConsole.setRemediation(tenantId, controlId, plan)),
    'posture.removeRemediation': ({ tenantId, controlId }) => viaService(() => postureConsole.removeRemediation(tenantId, controlId)),
    'trustPage.preview': ({ tenantId }) => viaService(() => trustPages.preview(tenantId)),
    'trustPage.publications': ({ tenantId }) => viaService(() => trustPages.publications(tenantId)),
    'trustPage.publish': ({ tenantId }) => viaService(() => trustPages.publish(tenantId)),
    // Offline too: the check itself needs no service (the key pin is skipped, and the result says so).
    'trustPage.verify': (input) => trustPages.verify(input),
    'trustPage.exportBundle': ({ tenantId }) => viaService(() => trustPages.exportBundle(tenantId)),
    'trustPage.export': (input) => viaService(() => trustPages.exportPage(input)),
  };
}
