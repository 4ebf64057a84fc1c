import type { AttestBridge } from '../../../shared/ipc/contract';

declare global {
  interface Window {
    /** Provided by the Electron preload; absent in browser mode. */
    readonly attest?: AttestBridge;
  }
}
