import { IpcError, type ConnectionStatus } from '../../../shared/ipc/contract';
import { CertificateMismatchError } from '../client/certificate-mismatch-error';
import type { ServiceClient } from '../client/service-client';
import { ServiceError } from '../client/service-error';

export interface ConnectionMonitor {
  /** The last known status; waits for the first probe if none has finished yet. */
  status(): Promise<ConnectionStatus>;
  /** Probes now. Concurrent calls share one probe. */
  check(): Promise<ConnectionStatus>;
  /** Called with the new status whenever the state, message or fingerprints change. */
  subscribe(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}

export interface ConnectionMonitorOptions {
  client: Pick<ServiceClient, 'call' | 'serviceUrl' | 'fingerprint'>;
  /** Time between periodic probes; 0 turns them off. */
  intervalMs?: number;
  now?: () => Date;
}

const DEFAULT_INTERVAL_MS = 15_000;

type Verdict = Omit<ConnectionStatus, 'serviceUrl' | 'checkedAt'>;

export function createConnectionMonitor(options: ConnectionMonitorOptions): ConnectionMonitor {
  const { client } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const now = options.now ?? (() => new Date());
  const listeners = new Set<(status: ConnectionStatus) => void>();
  let last: ConnectionStatus | undefined;
  let inFlight: Promise<ConnectionStatus> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = (): void => {
    if (closed || intervalMs <= 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => void check(), intervalMs);
    timer.unref();
  };

  const check = (): Promise<ConnectionStatus> => {
    inFlight ??= probe(client)
      .then((verdict) => {
        const status: ConnectionStatus = { ...verdict, serviceUrl: client.serviceUrl, checkedAt: now().toISOString() };
        const changed = last === undefined || sameness(last) !== sameness(status);
        last = status;
        if (changed && !closed) for (const listener of listeners) listener(status);
        return status;
      })
      .finally(() => {
        inFlight = undefined;
        schedule();
      });
    return inFlight;
  };

  return {
    status: () => (last ? Promise.resolve(last) : check()),
    check,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      listeners.clear();
    },
  };
}

const sameness = ({ checkedAt: _checkedAt, ...rest }: ConnectionStatus): string => JSON.stringify(rest);

async function probe(client: ConnectionMonitorOptions['client']): Promise<Verdict> {
  try {
    // Reachability and the pin only: whether anyone is signed in is the auth state's business
    // (auth.changed), so this monitor never reports 'signed_out'.
    await client.call('health');
    return { state: 'online' };
  } catch (error) {
    return verdictOf(error, client.serviceUrl);
  }
}

function verdictOf(error: unknown, serviceUrl: string): Verdict {
  if (error instanceof CertificateMismatchError) {
    return {
      state: 'certificate_problem',
      message:
        `The service at ${serviceUrl} presented a certificate that does not match the pinned fingerprint, so the console sent nothing. ` +
        'If the service was set up again, pin the fingerprint it prints on start; otherwise the connection may be intercepted: ask your administrator.',
      expectedFingerprint: error.expectedFingerprint,
      presentedFingerprint: error.presentedFingerprint,
    };
  }
  if (error instanceof ServiceError) {
    return { state: 'offline', message: `The service answered with an error (${error.code}: ${error.message}). Retry in a moment.` };
  }
  return {
    state: 'offline',
    message: error instanceof IpcError ? error.message : 'Checking the connection failed unexpectedly. Retry in a moment.',
  };
}
