import { describe, expect, it } from 'vitest';
import { logSafeError } from './log-safe-error';

/** A driver error as PGlite and node-postgres build them: the statement and its values ride along. */
const driverError = (message: string, extra: Record<string, unknown>): Error => Object.assign(new Error(message), extra);

describe('logSafeError', () => {
  it('keeps kind, code, message, stack and schema names; drops the statement, its values and the failing row', () => {
    const err = driverError('duplicate key value violates unique constraint "users_email_key"', {
      code: '23505',
      severity: 'ERROR',
      table: 'users',
      constraint: 'users_email_key',
      detail: 'Key (email)=(ada@example.com) already exists.',
      where: 'unnamed portal parameter $1 = \'ada@example.com\'',
      query: 'INSERT INTO users (email) VALUES ($1)',
      params: ['ada@example.com'],
    });
    const logged = logSafeError(err);
    expect(logged).toMatchObject({ type: 'Error', code: '23505', severity: 'ERROR', table: 'users', constraint: 'users_email_key' });
    expect(logged.message).toBe(err.message);
    expect(JSON.stringify(logged)).not.toContain('ada@example.com');
    expect(JSON.stringify(logged)).not.toContain('INSERT');
  });

  it('follows causes and aggregated errors the same way, to a bounded depth', () => {
    const inner = driverError('connect ECONNREFUSED', { code: 'ECONNREFUSED', params: ['secret'] });
    const logged = logSafeError(new Error('query failed', { cause: new AggregateError([inner], 'all failed') }));
    expect(logged.cause?.errors?.[0]).toMatchObject({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    expect(JSON.stringify(logged)).not.toContain('secret');
    let deep: unknown = new Error('root');
    for (let i = 0; i < 10; i++) deep = new Error(`level ${i}`, { cause: deep });
    expect(JSON.stringify(logSafeError(deep)).match(/"type"/g)).toHaveLength(4);
  });

  it('logs only the kind of a thrown non-error', () => {
    expect(logSafeError({ password: 'hunter2' })).toEqual({ type: 'object', message: 'a thrown object', stack: '' });
    expect(logSafeError('ada@example.com')).toEqual({ type: 'string', message: 'a thrown string', stack: '' });
  });
});
