/**
 * The page's own link to the console core. In Electron the preload is always
 * there; in browser mode the page talks to the core over a WebSocket that can
 * drop or be refused, which the shell shows alongside the service's status.
 */
export type TransportState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'reconnecting'; attempt: number; retryAt: number }
  | { kind: 'rejected'; reason: 'bad_secret' | 'bad_origin' }
  /** Opened without the `#bridge=` launch key (or reloaded, which discards it). */
  | { kind: 'missing_secret' };

export interface TransportSource {
  readonly transport: TransportState;
  onTransportChange(listener: (state: TransportState) => void): () => void;
}
