import { IpcError } from '../../shared/ipc/contract';
import type { ErrorCode } from '../../shared/errors/codes';

/**
 * An error the core means to surface: a stable code from shared/errors and a
 * message that says what to do next. Being an IpcError, dispatch passes its code
 * and message to the renderer as they are; any other exception is hidden.
 */
export class CoreError extends IpcError {
  constructor(
    override readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message);
    this.name = 'CoreError';
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

export const isCoreError = (error: unknown, code?: ErrorCode): error is CoreError =>
  error instanceof CoreError && (code === undefined || error.code === code);

export const describeCause = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
