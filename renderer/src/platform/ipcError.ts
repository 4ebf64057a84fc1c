import type { ErrorCode } from '../../../shared/errors/codes';
import { IpcError, type IpcErrorShape } from '../../../shared/ipc/contract';

/**
 * Codes the renderer raises itself, about its own link to the console core
 * (declared with every other code in shared/errors/codes.ts).
 */
export const RENDERER_ERROR_CODES = {
  /** The browser-mode link to the console core is down or not yet up. */
  bridgeUnavailable: 'bridge_unavailable',
  /** The page has no (or a refused) per-launch key, so it cannot reach the core at all. */
  bridgeNotAuthorised: 'bridge_not_authorised',
} as const satisfies Record<string, ErrorCode>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Whatever a bridge rejected with, as an IpcError with a code the UI can branch on. */
export const toIpcError = (error: unknown): IpcError => {
  if (error instanceof IpcError) return error;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    return new IpcError(error.code, error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new IpcError('unexpected_response', message || 'The console core failed without saying why.');
};

/** Whatever a bridge rejected with, as the plain `{ code, message }` a store keeps for its screen. */
export const toErrorShape = (error: unknown): IpcErrorShape => {
  const { code, message } = toIpcError(error);
  return { code, message };
};
