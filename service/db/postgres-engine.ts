import pg from 'pg';
import type { Row, SqlEngine, SqlTx } from './engine';

export interface PostgresEngineOptions {
  /** Pool size; the default suits one service instance on a small machine. */
  max?: number;
  onError?: (err: Error) => void;
}

export const openPostgresEngine = async (url: string, options: PostgresEngineOptions = {}): Promise<SqlEngine> => {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (err) => options.onError?.(err));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw new Error(`cannot connect to PostgreSQL (DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = []) {
      const result = await pool.query<R>(text, [...params]);
      return result.rows;
    },
    async transaction<T>(fn: (tx: SqlTx) => Promise<T>) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const tx: SqlTx = {
          async query<R extends Row = Row>(text: string, params: readonly unknown[] = []) {
            const result = await client.query<R>(text, [...params]);
            return result.rows;
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        };
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
};
