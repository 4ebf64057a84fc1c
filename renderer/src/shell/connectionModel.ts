import type { ConnectionState, ConnectionStatus } from '../../../shared/ipc/contract';
import type { SyncStatus } from '../../../shared/ipc/incidents';
import type { TransportState } from '../platform/transport';

/** What the shell shows: the service's status, unless the page cannot reach the console core at all. */
export type DisplayState = ConnectionState | 'connecting';

export interface ConnectionDisplay {
  state: DisplayState;
  label: string;
  /** What happened, in one sentence. */
  message: string;
  /** Where the problem is: the service, or the page's own link to the console core. */
  source: 'service' | 'console';
}

const LABELS: Record<DisplayState, string> = {
  connecting: 'Connecting…',
  online: 'Online',
  offline: 'Offline',
  certificate_problem: 'Certificate problem',
  signed_out: 'Signed out',
  syncing: 'Syncing',
};

const SERVICE_MESSAGES: Record<ConnectionState, string> = {
  online: 'Connected to the service.',
  offline: 'The service is not reachable.',
  certificate_problem: 'The service presented a certificate that does not match the pinned fingerprint.',
  signed_out: 'The console has no valid operator token for this service.',
  syncing: 'Sending offline edits to the service and fetching changes.',
};

const pendingNote = (status: ConnectionStatus): string =>
  status.pendingEdits ? ` ${status.pendingEdits} edit${status.pendingEdits === 1 ? '' : 's'} pending sync.` : '';

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export const describeConnection = (
  status: ConnectionStatus | null,
  transport: TransportState | null,
  now: number = Date.now(),
): ConnectionDisplay => {
  const fromConsole = (state: DisplayState, message: string): ConnectionDisplay => ({
    state,
    label: LABELS[state],
    message,
    source: 'console',
  });
  switch (transport?.kind) {
    case 'missing_secret':
      return fromConsole(
        'offline',
        'This page was opened without its one-time launch key, or was reloaded (which discards it).',
      );
    case 'rejected':
      return fromConsole('offline', 'The console core refused this page’s launch key; keys change with every launch.');
    case 'reconnecting':
      return fromConsole(
        'offline',
        `Lost the link to the console core; reconnecting in ${seconds(transport.retryAt - now)} s.`,
      );
    case 'connecting':
      if (!status) return fromConsole('connecting', 'Connecting to the console core.');
      break;
    default:
      break;
  }
  if (!status) return fromConsole('connecting', 'Asking the console core for the service’s status.');
  return {
    state: status.state,
    label: status.pendingEdits ? `${LABELS[status.state]} · ${status.pendingEdits} pending` : LABELS[status.state],
    message: (status.message ?? SERVICE_MESSAGES[status.state]) + pendingNote(status),
    source: 'service',
  };
};

export interface SyncProgressDisplay {
  /** What the sync is doing, with its count: "Pulling audit events 40,000 / 100,000". */
  text: string;
  /** Share done, 0–1; undefined while the total is unknown (an indeterminate bar). */
  value: number | undefined;
}

const PHASES: Record<NonNullable<SyncStatus['progress']>['phase'], string> = {
  push: 'Sending offline edits',
  incidents: 'Pulling incident changes',
  audit: 'Pulling audit events',
};

/** The running sync's progress as the header shows it; null when no sync runs. */
export const describeSyncProgress = (progress: SyncStatus['progress'], locale?: string): SyncProgressDisplay | null => {
  if (!progress) return null;
  const count = new Intl.NumberFormat(locale);
  const { phase, done, total } = progress;
  if (total === null) return { text: `${PHASES[phase]} ${count.format(done)}…`, value: undefined };
  return { text: `${PHASES[phase]} ${count.format(done)} / ${count.format(total)}`, value: total === 0 ? 1 : Math.min(1, done / total) };
};
