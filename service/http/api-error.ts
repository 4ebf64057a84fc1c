import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors/codes';

export interface ApiIssue {
  readonly path: string;
  readonly message: string;
}

/** An error the client is meant to see: status, stable code and a message safe to show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: readonly ApiIssue[],
    readonly headers?: Readonly<Record<string, string>>,
    /** Sent as error.details: what the client needs to act on this code (never secrets). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export const issuesFrom = (error: z.ZodError, location: string): ApiIssue[] =>
  error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
