import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Row, SqlEngine, SqlTx } from './engine';

export const openPgliteEngine = async (dir: string): Promise<SqlEngine> => {
  // pg_trgm: the people search's indexes (migration 0026).
  const pg = await PGlite.create(dir, { extensions: { pg_trgm } });
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = []) {
      const result = await pg.query<R>(text, [...params]);
      return result.rows;
    },
    transaction<T>(fn: (tx: SqlTx) => Promise<T>) {
      return pg.transaction((tx) =>
        fn({
          async query<R extends Row = Row>(text: string, params: readonly unknown[] = []) {
            const result = await tx.query<R>(text, [...params]);
            return result.rows;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    listen: (channel, onNotify) => pg.listen(channel, () => onNotify()),
    // PGlite must be closed before the process exits, or its folder can be left corrupt.
    close() {
      closed ??= pg.close();
      return closed;
    },
  };
};
