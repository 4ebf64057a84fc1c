import { PLATFORM_TENANT_ID, type Db } from '../db/db';
import { inLog } from '../audit/tree-heads';
import { evaluateAll, inPostureScope } from './evaluate';
import type { PostureRuntime } from './evaluator';
import { listSnapshots, storeSnapshot } from './snapshot-repository';

const DAY_MS = 24 * 60 * 60 * 1000;
const SYSTEM = { type: 'system', id: 'posture' } as const;

/**
 * Takes a snapshot of the platform and of every tenant whose latest one is a day
 * old or missing; returns how many it took. Each is its own transaction, so one
 * tenant's failure does not hold back the others' (the next tick retries it).
 */
export const takeDueSnapshots = async (db: Db, runtime: PostureRuntime, now: Date): Promise<number> => {
  const tenants = await db.platform((tx) => tx.query<{ id: string }>('SELECT id FROM tenants ORDER BY id'));
  let taken = 0;
  for (const scope of [PLATFORM_TENANT_ID, ...tenants.map((t) => t.id)]) {
    const [latest] = await inLog(db, scope, (tx) => listSnapshots(tx, 1));
    if (latest && now.getTime() - new Date(latest.takenAt).getTime() < DAY_MS) continue;
    await inPostureScope(db, scope, { runtime, now }, async (ctx, own) => storeSnapshot(own, await evaluateAll(ctx, scope), { actor: SYSTEM, requestId: null }));
    taken += 1;
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
