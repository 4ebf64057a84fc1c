import { IpcError } from '../../../shared/ipc/contract';

/** An error the service answered with ({error:{code,message,requestId}}), passed on with its code. */
export class ServiceError extends IpcError {
  constructor(
    code: string,
    message: string,
    readonly status: number,
    readonly requestId: string | undefined,
    /** Seconds to wait before trying again, from Retry-After (429, account_locked). */
    readonly retryAfterSeconds?: number,
    /** error.details: what the client needs to act on this code (edit_conflict: the current incident; audit_log_inconsistent: the missing event's seq). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message);
    this.name = 'ServiceError';
  }
}
