import type { SqlQueryable } from './engine';

/** Transaction-scoped advisory lock keys (per database). One place, so two uses never collide by accident. */
export const LOCKS = {
  migrations: 4150318211,
  /** "Is this a new installation?" checks and the writes that depend on them (init, demo seed). */
  bootstrap: 4150318212,
} as const;

export const advisoryXactLock = async (tx: SqlQueryable, key: (typeof LOCKS)[keyof typeof LOCKS]): Promise<void> => {
  await tx.query(`SELECT pg_advisory_xact_lock(${key})`);
};
