import { mkdirSync } from 'node:fs';
import { createDb, type Db } from './db';
import type { SqlEngine } from './engine';
import { migrate } from './migrations';
import { backfillAuditLeaves } from '../audit/backfill';
import { openPgliteEngine } from './pglite-engine';
import { openPostgresEngine } from './postgres-engine';

export type DatabaseLocation = { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };

export const openEngine = async (location: DatabaseLocation, onError?: (err: Error) => void): Promise<SqlEngine> => {
  if (location.kind === 'postgres') return openPostgresEngine(location.url, onError ? { onError } : {});
  mkdirSync(location.dir, { recursive: true, mode: 0o700 });
  return openPgliteEngine(location.dir);
};

/** Opens the engine, brings the schema up to date (or refuses) and audit rows of older versions with it, and returns the scoped Db. */
export const openDatabase = async (location: DatabaseLocation, onError?: (err: Error) => void): Promise<Db> => {
  const engine = await openEngine(location, onError);
  try {
    await migrate(engine);
    await backfillAuditLeaves(engine);
  } catch (err) {
    await engine.close();
    throw err;
  }
  return createDb(engine);
};
