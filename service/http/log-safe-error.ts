/**
 * How an error appears in the service's log: its kind, code, message and stack,
 * and the names a database error gives (constraint, table, column), never what
 * else it carries. Database drivers attach the failed statement and its values
 * (PGlite's `query` and `params`, PostgreSQL's `detail` and `where` such as
 * "Key (email)=(…) already exists"), and those values are what people typed.
 * Every `{ err }` the service logs goes through this one serializer (see app.ts).
 */

/** Fields of a database error that name schema objects, not data. */
const NAME_FIELDS = ['severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine'] as const;
const MAX_DEPTH = 3;

const stringField = (err: object, key: string): string | undefined => {
  const value = (err as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
};

export interface LoggedError {
  readonly type: string;
  readonly message: string;
  readonly stack: string;
  readonly code?: string;
  readonly cause?: LoggedError;
  readonly errors?: readonly LoggedError[];
  readonly [name: string]: unknown;
}

export const logSafeError = (err: unknown, depth = 0): LoggedError => {
  // A thrown non-Error could hold anything: its kind only.
  if (!(err instanceof Error)) {
    const type = err === null ? 'null' : typeof err;
    return { type, message: `a thrown ${type}`, stack: '' };
  }
  const code = stringField(err, 'code');
  const names = Object.fromEntries(NAME_FIELDS.flatMap((k) => (stringField(err, k) === undefined ? [] : [[k, stringField(err, k)]])));
  const deeper = depth < MAX_DEPTH;
  return {
    type: err.name,
    message: err.message,
    ...(code === undefined ? {} : { code }),
    ...names,
    stack: err.stack ?? '',
    ...(deeper && err.cause !== undefined ? { cause: logSafeError(err.cause, depth + 1) } : {}),
    ...(deeper && err instanceof AggregateError ? { errors: (err.errors as unknown[]).slice(0, 10).map((e) => logSafeError(e, depth + 1)) } : {}),
  };
};
