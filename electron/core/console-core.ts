import { ipcEvents, type IpcEvent, type IpcEventPayload } from '../../shared/ipc/contract';
import { createTableExport } from './tables/table-export';
import { AUDIT_CACHE_DIR } from './audit/audit-cache';
import { createAuditConsole, exportsDirChooser, type ChooseExportPath } from './audit/audit-console';
import { serviceAuditSource, type AuditLogSource } from './audit/audit-source';
import { createSignIn, RESUME_WHEN_ONLINE_CODES } from './auth/sign-in';
import { createTokenKeeper } from './auth/token-keeper';
import { createServiceClient, type ServiceClient } from './client/service-client';
import { resolveConfigDir } from './config/console-config';
import { createConnectionMonitor } from './connection/connection-monitor';
import { createDispatch, type Dispatch, type UnexpectedErrorReporter } from './ipc/dispatch';
import { createHandlers } from './ipc/handlers';
import { createIncidentConsole } from './incidents/incident-console';
import { createIncidentAlerts } from './incidents/incident-alerts';
import type { PdfPrinter } from './documents/pdf-printer';
import { createOfflineDirectory } from './offline/offline-directory';
import { createPostureConsole } from './posture/posture-console';
import { createTrustPageConsole, type ChooseOpenPath } from './trust-page/trust-page-console';
import { nobodySignedIn, offlineOwnerOf, ownerFolder } from './offline/offline-owner';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionStatus } from '../../shared/ipc/contract';
import type { Vault } from './vault/vault';

export type CoreEventListener = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;

export interface ConsoleCore {
  /** Answers one renderer call; never throws, never returns anything outside the contract. */
  dispatch: Dispatch;
  /** Contract events (connection.changed, auth.changed) for the renderer. */
  subscribe(listener: CoreEventListener): () => void;
  close(): Promise<void>;
}

export interface ConsoleCoreOptions {
  serviceUrl: string;
  /** SPKI SHA-256 pin of the service's certificate. */
  fingerprint: string;
  vault: Vault;
  mode: 'electron' | 'browser';
  version?: string;
  probeIntervalMs?: number;
  /** How often deadlines and assignments are checked for notifications (from the offline copy); 0 turns it off. */
  alertIntervalMs?: number;
  requestTimeoutMs?: number;
  /** Where the console keeps what it verified of audit logs and their offline copies; defaults to the config dir. */
  dataDir?: string;
  /** Where audit logs come from; defaults to the service (an offline replica can stand in). */
  auditSource?: AuditLogSource;
  /** Asks the user where to save an audit export (a save dialog in Electron); defaults to <dataDir>/exports. */
  chooseExportPath?: ChooseExportPath;
  /** Asks the user for a file to open (a dialog in Electron); absent in browser mode, where the page hands the file over. */
  chooseOpenPath?: ChooseOpenPath;
  /** Prints incident documents to PDF files (Electron); without one, the renderer is handed the HTML to print (browser mode). */
  pdfPrinter?: PdfPrinter;
  /** Receives exceptions the renderer only sees as internal_error; defaults to stderr. */
  reportUnexpected?: UnexpectedErrorReporter;
  /** The clock incident edits are stamped with; the system clock by default (tests run it with the service's). */
  now?: () => Date;
}

const reportToStderr: UnexpectedErrorReporter = (error, context) => {
  console.error(`attest console core: unexpected error in ${context}:`, error);
};

export function createConsoleCore(options: ConsoleCoreOptions): ConsoleCore {
  // The keeper refreshes through the client and the client asks the keeper for tokens;
  // the keeper only calls the (public) refresh endpoint, so there is no loop.
  const tokens = createTokenKeeper({
    vault: options.vault,
    refresh: (refreshToken) => client.call('refresh', { body: { refreshToken } }),
    onSessionEnded: (code) => signIn.sessionEnded(code),
  });
  const client: ServiceClient = createServiceClient({
    serviceUrl: options.serviceUrl,
    fingerprint: options.fingerprint,
    credentials: tokens,
    timeoutMs: options.requestTimeoutMs,
    userAgent: `Attest-Console/${options.version ?? 'dev'} (${options.mode}; ${process.platform})`,
  });
  const anonymousClient: ServiceClient = createServiceClient({
    serviceUrl: options.serviceUrl,
    fingerprint: options.fingerprint,
    timeoutMs: options.requestTimeoutMs,
    userAgent: `Attest-Console/${options.version ?? 'dev'} (${options.mode}; ${process.platform})`,
  });
  const signIn = createSignIn({ client, tokens, anonymous: anonymousClient });
  const monitor = createConnectionMonitor({ client, intervalMs: options.probeIntervalMs });
  const reportUnexpected = options.reportUnexpected ?? reportToStderr;
  const dataDir = options.dataDir ?? resolveConfigDir(undefined);
  // Whose offline copies are read and synced: the person signed in now, and nobody while nobody is.
  const owner = async () => offlineOwnerOf(await signIn.state());
  let legacyAuditCopies: Promise<void> | undefined;
  const audit = createAuditConsole({
    service: options.auditSource ?? serviceAuditSource(client),
    dataDir,
    // The logs' offline copies (written by Verify log) are the signed-in person's, like the incidents copy.
    copiesDir: async () => {
      const who = await owner();
      if (!who) throw nobodySignedIn();
      // An earlier console kept one copy for everyone: nobody's now, and Verify log downloads it again.
      legacyAuditCopies ??= rm(join(dataDir, AUDIT_CACHE_DIR), { recursive: true, force: true });
      await legacyAuditCopies;
      return ownerFolder(join(dataDir, 'audit-copies'), who.userId);
    },
    chooseExportPath: options.chooseExportPath ?? exportsDirChooser(dataDir),
    emitProgress: (progress) => emit('audit.progress', progress),
    emitAlert: (alert) => emit('audit.alert', alert),
  });
  // The person whose stored session this console resumed: an earlier console's single outbox is theirs.
  let legacyHeir: string | null = null;
  const resumeStoredSession = async (): Promise<void> => {
    const state = await signIn.resume();
    if (state.step === 'signed_in') legacyHeir ??= state.me.user.id;
  };
  const incidents = createIncidentConsole({
    client,
    vault: options.vault,
    dir: join(dataDir, 'incidents'),
    owner,
    legacyHeir: () => legacyHeir,
    chooseExportPath: options.chooseExportPath ?? exportsDirChooser(dataDir),
    pdfPrinter: options.pdfPrinter,
    // A new edit is pushed at once when the service is there; offline it waits for the next sync.
    onSaved: () => syncWhenOnline(),
    ...(options.now ? { now: options.now } : {}),
  });
  let lastMonitorStatus: ConnectionStatus | null = null;
  const withSync = async (status: ConnectionStatus): Promise<ConnectionStatus> => {
    const sync = await incidents.status().catch(() => null);
    if (!sync) return status;
    return { ...status, state: status.state === 'online' && sync.syncing ? 'syncing' : status.state, pendingEdits: sync.pendingEdits };
  };
  const dispatch = createDispatch(
    createHandlers({
      client,
      monitor,
      auth: signIn,
      app: { version: options.version ?? '0.0.0', mode: options.mode, platform: process.platform },
      audit,
      incidents,
      directory: createOfflineDirectory({
        read: (read) => incidents.readReplica(read),
        me: async () => {
          const state = await signIn.state();
          return state.step === 'signed_in' ? { userId: state.me.user.id, sessionId: state.me.session.id } : null;
        },
      }),
      exportCsv: createTableExport({ chooseExportPath: options.chooseExportPath ?? exportsDirChooser(dataDir) }),
      connectionStatus: withSync,
      posture: createPostureConsole({ client, chooseExportPath: options.chooseExportPath ?? exportsDirChooser(dataDir) }),
      trustPage: createTrustPageConsole({
        client,
        chooseExportPath: options.chooseExportPath ?? exportsDirChooser(dataDir),
        ...(options.chooseOpenPath ? { chooseOpenPath: options.chooseOpenPath } : {}),
        pdfPrinter: options.pdfPrinter,
      }),
    }),
    reportUnexpected,
  );

  const listeners = new Set<CoreEventListener>();
  let closed = false;
  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void => {
    if (!ipcEvents[event].safeParse(payload).success) {
      reportUnexpected(new Error(`${event} payload outside the contract`), event);
      return;
    }
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        reportUnexpected(error, `${event} listener`);
      }
    }
  };
  const syncWhenOnline = (): void => {
    if (lastMonitorStatus?.state === 'online') void signIn.state().then((s) => (s.step === 'signed_in' ? incidents.sync() : undefined));
  };
  const unsubscribeIncidents = incidents.subscribe((sync) => {
    emit('incidents.changed', sync);
    if (!sync.syncing) void checkAlerts().catch(() => undefined);
    // A sync that could not reach the service is news for the indicator before the next periodic probe.
    if (sync.problem?.code === 'service_unreachable' && lastMonitorStatus?.state === 'online') void monitor.check();
    if (!sync.syncing && sync.problem === null && sync.lastSyncedAt !== null && lastMonitorStatus?.state === 'offline') void monitor.check();
    if (lastMonitorStatus) void withSync(lastMonitorStatus).then((status) => emit('connection.changed', status));
  });
  // Per person: what was already assigned to someone at their first look is not news to them.
  const alertsOf = new Map<string, ReturnType<typeof createIncidentAlerts>>();
  const checkAlerts = async (): Promise<void> => {
    const me = await signIn.state().then((s) => (s.step === 'signed_in' ? s.me.user.id : null));
    if (me === null) return;
    const { items } = await incidents.list({});
    let alerts = alertsOf.get(me);
    if (!alerts) alertsOf.set(me, (alerts = createIncidentAlerts()));
    for (const alert of alerts.check(items, me)) emit('incidents.alert', alert);
  };
  const alertIntervalMs = options.alertIntervalMs ?? 30_000;
  const alertTimer = alertIntervalMs > 0 ? setInterval(() => void checkAlerts().catch(() => undefined), alertIntervalMs) : undefined;
  alertTimer?.unref();
  const unsubscribeMonitor = monitor.subscribe((status) => {
    lastMonitorStatus = status;
    void withSync(status).then((s) => emit('connection.changed', s));
    syncWhenOnline();
    // A session that could not be resumed because the service was away is resumed when it is back.
    if (status.state === 'online') {
      void signIn.state().then((state) => {
        if (state.step === 'signed_out' && state.code !== undefined && RESUME_WHEN_ONLINE_CODES.has(state.code)) void resumeStoredSession();
      });
    }
  });
  // The audit keys are first fetched on first use (the Audit view's first status check), not at
  // sign-in: a background call racing the user's first request could end an expiring session under it.
  const unsubscribeAuth = signIn.subscribe((state) => {
    emit('auth.changed', state);
    if (state.step === 'signed_in') syncWhenOnline();
  });
  void resumeStoredSession();
  void monitor.check();

  return {
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribeMonitor();
      unsubscribeAuth();
      unsubscribeIncidents();
      clearInterval(alertTimer);
      await incidents.close();
      monitor.close();
      audit.close();
      listeners.clear();
      await client.close();
      await anonymousClient.close();
    },
  };
}
