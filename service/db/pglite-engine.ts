import { PGlite } from '@electric-sql/pglite';
import type { Row, SqlEngine, SqlTx } from './engine';

export const openPgliteEngine = async (dir: string): Promise<SqlEngine> => {
  const pg = await PGlite.create(dir);
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
