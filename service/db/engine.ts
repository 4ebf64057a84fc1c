/**
 * The two storage engines behind one SQL dialect: embedded PGlite (a folder on
 * disk) and PostgreSQL. Only the migration runner and Db (db.ts) use this raw
 * layer; everything else goes through Db's scoped transactions.
 */
export type StorageEngine = 'pglite' | 'postgres';

export type Row = Record<string, unknown>;

export interface SqlQueryable {
  /** One statement with $n parameters. */
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface SqlTx extends SqlQueryable {
  /** Several statements without parameters (migration scripts). */
  exec(sql: string): Promise<void>;
}

export interface SqlEngine extends SqlQueryable {
  readonly kind: StorageEngine;
  /** BEGIN … COMMIT around fn; ROLLBACK when fn throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel`, before the statement that
   * committed it resolves, so nothing this process does afterwards can miss it.
   * Only engines that can promise that ordering implement it (PGlite, in-process);
   * on PostgreSQL a notice reaches other connections later, so it is absent there.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
