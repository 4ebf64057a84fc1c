import { PLATFORM_TENANT_ID, type Db } from '../db/db';
import { inLog } from '../audit/tree-heads';
import { evaluateAll, inPostureScope } from './evaluate';
import type { PostureRuntime } from './evaluator';
import { listSnapshots, storeSnapshot } from './snapshot-repository';

const DAY_MS = 24 * 60 * 60 * 1000;
const SYSTEM = { type: 'system', id: 'posture' } as const;

const due = (latest: { takenAt: string } | undefined, now: Date): boolean => !latest || now.getTime() - new Date(latest.takenAt).getTime() >= DAY_MS;

/**
 * One scope's daily snapshot, if it is due. Timers of several instances (or a tick
 * beside another) may find a scope due at the same moment: each checks again
 * holding the scope's lock, so the first takes it and the others find it fresh.
 */
const takeIfDue = (db: Db, scope: string, runtime: PostureRuntime, now: Date): Promise<boolean> =>
  inPostureScope(db, scope, { runtime, now }, async (ctx, own) => {
    await own.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`posture.daily:${scope}`]);
    if (!due((await listSnapshots(own, 1))[0], now)) return false;
    await storeSnapshot(own, await evaluateAll(ctx, scope), { actor: SYSTEM, requestId: null });
    return true;
  });

/**
 * Takes a snapshot of the platform and of every tenant whose latest one is a day
 * old or missing; returns how many it took. Each is its own transaction, so one
 * tenant's failure does not hold back the others' (the next tick retries it).
 */
export const takeDueSnapshots = async (db: Db, runtime: PostureRuntime, now: Date): Promise<number> => {
  const tenants = await db.platform((tx) => tx.query<{ id: string }>('SELECT id FROM tenants ORDER BY id'));
  let taken = 0;
  for (const scope of [PLATFORM_TENANT_ID, ...tenants.map((t) => t.id)]) {
    // Checked first without the lock: most hours nothing is due, and then no scope's transaction is opened.
    const [latest] = await inLog(db, scope, (tx) => listSnapshots(tx, 1));
    if (!due(latest, now)) continue;
    if (await takeIfDue(db, scope, runtime, now)) taken += 1;
  }
  return taken;
};

export interface SnapshotTimer {
  tick(): Promise<number>;
  stop(): Promise<void>;
}

/** Checks hourly (by default) for snapshots that are due: the daily snapshots of issue 13. */
export const startDailySnapshots = (
  db: Db,
  runtime: PostureRuntime,
  now: () => Date,
  options: { intervalMs?: number; onError: (err: unknown) => void },
): SnapshotTimer => {
  let running: Promise<number> | null = null;
  const tick = (): Promise<number> => {
    running ??= takeDueSnapshots(db, runtime, now()).finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    tick().catch(options.onError);
  }, options.intervalMs ?? 60 * 60 * 1000);
  timer.unref();
  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
};
