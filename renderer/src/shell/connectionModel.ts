import type { ConnectionState, ConnectionStatus } from '../../../shared/ipc/contract';
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
