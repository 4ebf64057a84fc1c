import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AuditKeySchema, SignedTreeHeadSchema } from '../../../shared/audit/tree-head';
import { AuditAlertSchema } from '../../../shared/ipc/audit';
import { CoreError } from '../core-error';
import { replaceFileDurably } from '../../../shared/node/durable-file';

const Timestamp = z.iso.datetime({ offset: true });

export const AUDIT_STATE_FILE = 'audit-state.json';

/** What the console has verified: it survives restarts, so a service cannot roll a log back between two runs. */
export const AuditStateSchema = z
  .object({
    version: z.literal(1),
    /** The service's audit keys as first seen; never updated silently. */
    keys: z.array(z.object({ key: AuditKeySchema, firstSeenAt: Timestamp }).strict()),
    logs: z.record(
      z.uuid(),
      z.object({ verifiedHead: SignedTreeHeadSchema.nullable(), verifiedAt: Timestamp.nullable() }).strict(),
    ),
    alerts: z.array(AuditAlertSchema),
  })
  .strict();
export type AuditState = z.infer<typeof AuditStateSchema>;

const emptyState = (): AuditState => ({ version: 1, keys: [], logs: {}, alerts: [] });

export interface AuditStateStore {
  readonly path: string;
  read(): Promise<AuditState>;
  /** Runs `change` on the current state and saves what it returns; changes are serialised. */
  update<T>(change: (state: AuditState) => { state: AuditState; result: T } | Promise<{ state: AuditState; result: T }>): Promise<T>;
}

export function createAuditStateStore(dir: string): AuditStateStore {
  const path = join(dir, AUDIT_STATE_FILE);
  let cached: AuditState | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<AuditState> {
    if (cached) return cached;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (cached = emptyState());
      throw new CoreError('internal_error', `Cannot read ${path}: ${(error as Error).message}.`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = AuditStateSchema.safeParse(json);
    // Starting over would forget what was verified and let a rolled-back log pass: refuse instead.
    if (!parsed.success) {
      throw new CoreError(
        'audit_integrity_failed',
        `The console's audit record ${path} is damaged, so earlier verifications cannot be trusted. Restore it from a backup, or move it aside to start verifying afresh.`,
      );
    }
    return (cached = parsed.data);
  }

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    path,
    read: () => serial(async () => structuredClone(await load())),
    update: (change) =>
      serial(async () => {
        const { state, result } = await change(structuredClone(await load()));
        const checked = AuditStateSchema.parse(state);
        await replaceFileDurably(path, `${JSON.stringify(checked, null, 2)}\n`);
        cached = checked;
        return result;
      }),
  };
}
