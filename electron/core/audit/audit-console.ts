import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { AuditEventPage } from '../../../shared/audit/api';
import {
  PLATFORM_AUDIT_LOG,
  type AuditAlert,
  type AuditDismissAlertInputSchema,
  type AuditEventsInputSchema,
  type AuditExportInputSchema,
  type AuditExportResult,
  type AuditProgress,
  type AuditStatus,
  type AuditStatusInputSchema,
  type AuditVerifyEventInputSchema,
  type AuditVerifyLogInputSchema,
  type EventVerification,
  type VerifyLogResult,
} from '../../../shared/ipc/audit';
import { IpcError } from '../../../shared/ipc/contract';
import { CoreError } from '../core-error';
import { cachedAuditSource } from './audit-cache';
import { exportAuditLog, exportFileName } from './audit-export';
import type { AuditLogSource } from './audit-source';
import { createAuditStateStore } from './audit-state';
import { createAuditVerifier, type AuditVerifier } from './audit-verifier';

/** Asks the user where to save an export; null when they cancel. */
export type ChooseExportPath = (suggestedName: string) => Promise<string | null>;

/** Browser mode has no native save dialog and the page must not name paths: exports land in the data directory. */
export const exportsDirChooser =
  (dataDir: string): ChooseExportPath =>
  async (suggestedName) => {
    const dir = join(dataDir, 'exports');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return join(dir, suggestedName);
  };

export interface AuditConsoleOptions {
  service: AuditLogSource;
  dataDir: string;
  chooseExportPath: ChooseExportPath;
  emitProgress(progress: AuditProgress): void;
  emitAlert(alert: AuditAlert): void;
  /** How often the logs opened in the Audit view get their newest tree head checked; 0 turns it off. */
  watchIntervalMs?: number;
  /** The folder of the signed-in person's offline copies of logs (refusing while nobody is signed in); dataDir by default. */
  copiesDir?: () => Promise<string>;
}

const DEFAULT_WATCH_INTERVAL_MS = 30_000;

type In<S extends z.ZodType> = z.output<S>;

/** The audit channels of the IPC contract, over the verifier. */
export interface AuditConsole {
  readonly verifier: AuditVerifier;
  events(input: In<typeof AuditEventsInputSchema>): Promise<AuditEventPage>;
  status(input: In<typeof AuditStatusInputSchema>): Promise<AuditStatus>;
  verifyEvent(input: In<typeof AuditVerifyEventInputSchema>): Promise<EventVerification>;
  verifyLog(input: In<typeof AuditVerifyLogInputSchema>): Promise<VerifyLogResult>;
  dismissAlert(input: In<typeof AuditDismissAlertInputSchema>): Promise<AuditAlert>;
  export(input: In<typeof AuditExportInputSchema>): Promise<AuditExportResult>;
  close(): void;
}

/** When these fail, the offline copy stands in. */
const OFFLINE_CODES = new Set(['service_unreachable', 'not_signed_in', 'certificate_mismatch']);
const isOffline = (error: unknown): boolean => error instanceof IpcError && OFFLINE_CODES.has(error.code);

export function createAuditConsole(options: AuditConsoleOptions): AuditConsole {
  const { service, dataDir } = options;
  const store = createAuditStateStore(dataDir);
  const copiesDir = options.copiesDir ?? (async () => dataDir);
  const verifier = createAuditVerifier({ store, dataDir, copiesDir, onAlert: options.emitAlert });
  /** The offline copy of the person signed in (refused while nobody is). */
  const cache = async (): Promise<AuditLogSource> => cachedAuditSource(await copiesDir(), store);
  const running = new Set<string>();

  // Logs the user has looked at get each new tree head checked in the background, so an
  // inconsistent head raises its alert without waiting for the next click.
  const watched = new Set<string>();
  const interval = options.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  let watching = false;
  const timer =
    interval > 0
      ? setInterval(() => {
          if (watching) return;
          watching = true;
          void Promise.allSettled([...watched].map((tenantId) => verifier.checkTreeHead(tenantId, service))).finally(() => {
            watching = false;
          });
        }, interval)
      : undefined;
  timer?.unref();

  const exclusive = async <T>(key: string, what: string, work: () => Promise<T>): Promise<T> => {
    if (running.has(key)) throw new CoreError('conflict', `${what} is already running for this log; wait for it to finish.`);
    running.add(key);
    try {
      return await work();
    } finally {
      running.delete(key);
    }
  };

  return {
    verifier,
    events: ({ tenantId, ...query }) => service.events(tenantId, query),

    async status({ tenantId, refresh }) {
      let refreshError: AuditStatus['refreshError'] = null;
      if (refresh) {
        watched.add(tenantId);
        try {
          await verifier.checkTreeHead(tenantId, service);
        } catch (error) {
          if (!(error instanceof IpcError)) throw error;
          refreshError = { code: error.code, message: error.message };
        }
      }
      return { ...(await verifier.status(tenantId)), refreshError };
    },

    verifyEvent: ({ tenantId, seq }) => verifier.verifyEvent(tenantId, seq, service),

    verifyLog: ({ tenantId, source }) =>
      exclusive(`verify ${tenantId}`, 'Verify log', async () => {
        const onProgress = (p: Omit<AuditProgress, 'operation' | 'tenantId'>) => options.emitProgress({ operation: 'verify', tenantId, ...p });
        if (source === 'cache') return verifier.verifyLog(tenantId, await cache(), onProgress);
        try {
          return await verifier.verifyLog(tenantId, service, onProgress);
        } catch (error) {
          if (source === 'auto' && isOffline(error)) return verifier.verifyLog(tenantId, await cache(), onProgress);
          throw error;
        }
      }),

    dismissAlert: ({ alertId, note }) => verifier.dismissAlert(alertId, note),

    export: ({ tenantId, format, ...filters }) =>
      exclusive(`export ${tenantId}`, 'An export', async () => {
        const label = tenantId === PLATFORM_AUDIT_LOG ? 'platform' : tenantId.slice(0, 8);
        const path = await options.chooseExportPath(exportFileName(label, format, filters, new Date()));
        if (path === null) return { state: 'cancelled' };
        const filtered = Object.values(filters).some((v) => v !== undefined);
        const head = (await verifier.status(tenantId)).verifiedHead;
        const run = (source: AuditLogSource) =>
          exportAuditLog({
            source,
            tenantId,
            format,
            filters,
            path,
            total: filtered ? null : (head?.treeSize ?? null),
            onProgress: (p) => options.emitProgress({ operation: 'export', tenantId, ...p }),
          });
        let saved;
        try {
          saved = await run(service);
        } catch (error) {
          if (!isOffline(error)) throw error;
          saved = await run(await cache());
        }
        return { state: 'saved', ...saved };
      }),

    close() {
      clearInterval(timer);
      watched.clear();
    },
  };
}
