import { randomUUID } from 'node:crypto';
import { appendAuditEvent, MIN_STORED_SUBTREE_LEVEL, type Actor } from '../audit/audit-log';
import { APP_ROLE, type Db, type PlatformTx, type TenantTx } from '../db/db';
import type { Tenant, TenantId } from '../../shared/tenants/tenant';
import { createTenant } from '../tenants/tenant-repository';
import { auditBatch, treeOf, type AuditBatch, type AuditHistory } from './large-demo-audit';
import * as sql from './large-demo-sql';

const DAY = 86_400_000;

export interface LargeDemoSizes {
  readonly members: number;
  readonly sessions: number;
  readonly auditEvents: number;
  readonly incidents: number;
}

/** What `--demo large` adds beside the normal demo (issue 14: the console at scale). */
export const LARGE_DEMO_SIZES: LargeDemoSizes = { members: 50_000, sessions: 100_000, auditEvents: 1_000_000, incidents: 5_000 };
export const LARGE_DEMO_TENANT = 'Megacorp Holdings';

export interface LargeDemoOptions {
  /** The demo officer: commander of some incidents. */
  readonly officerUserId: string;
  readonly now?: Date;
  readonly sizes?: LargeDemoSizes;
  /** Audit events per insert (default 25,000): the tests cross batch boundaries with small ones. */
  readonly auditBatch?: number;
  /** One line per step (the CLI prints them on stderr). */
  readonly progress?: (line: string) => void;
}

export interface LargeDemoResult {
  readonly tenant: Tenant;
  readonly sizes: LargeDemoSizes;
  readonly seconds: number;
}

const SEED_ACTOR: Actor = { type: 'system', id: 'demo-seed' };
const TABLES = ['users', 'memberships', 'sessions', 'incidents', 'incident_tenants', 'audit_events', 'audit_personal', 'audit_subtrees', 'tenant_member_counts'];

/**
 * Runs fn as the transaction's login role (the tables' owner, which ran the migrations), then
 * returns to the service's role: for the DDL of a bulk load and for ANALYZE. Inside the
 * transaction, so a failure rolls the DDL back too.
 */
const asOwner = async <T>(tx: PlatformTx | TenantTx, fn: () => Promise<T>): Promise<T> => {
  await tx.query('RESET ROLE');
  const result = await fn();
  await tx.query("SELECT set_config('role', $1, true)", [APP_ROLE]);
  return result;
};

type Step = (label: string, run: () => Promise<unknown>) => Promise<void>;

const stepper = (progress: (line: string) => void, started: number): Step => async (label, run) => {
  const t0 = performance.now();
  await run();
  progress(`large demo: ${label} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${((performance.now() - started) / 1000).toFixed(1)} s so far)`);
};

const AUDIT_BATCH = 25_000;

const insertBatch = async (tx: TenantTx, b: AuditBatch): Promise<void> => {
  await tx.query(sql.INSERT_AUDIT_BATCH, [tx.tenantId, b.firstSeq, b.at, b.actorId, b.action, b.target, b.outcome, b.details, b.commitment, b.leaves]);
  await tx.query(sql.INSERT_PERSONAL_BATCH, [tx.tenantId, b.firstSeq, b.salt, b.personal]);
};

/** Makes the events batch by batch, the next one while the database stores the one before; returns their leaf hashes. */
const insertHistory = async (tx: TenantTx, history: AuditHistory, batchSize: number): Promise<Buffer> => {
  const leaves: Buffer[] = [];
  let storing: Promise<void> = Promise.resolve();
  for (let first = 1; first <= history.count; first += batchSize) {
    const batch = auditBatch(history, first, Math.min(batchSize, history.count - first + 1));
    leaves.push(batch.leaves);
    await storing;
    storing = insertBatch(tx, batch);
  }
  await storing;
  return Buffer.concat(leaves);
};

const storeTree = async (tx: TenantTx, leaves: Buffer): Promise<void> => {
  const { subtrees, frontier } = treeOf(leaves, MIN_STORED_SUBTREE_LEVEL);
  await tx.query(sql.STORE_SUBTREES, [tx.tenantId, subtrees.map((t) => t.level), subtrees.map((t) => String(t.idx)), Buffer.concat(subtrees.map((t) => t.hash))]);
  await tx.query(sql.STORE_FRONTIER, [tx.tenantId, leaves.length / 32 + 1, frontier]);
};

/** The tenant's audit log: a year of events ending a minute ago, then its Merkle tree (subtrees and frontier) as appends would leave it. */
const seedAuditLog = async (tx: TenantTx, userIds: readonly string[], sizes: LargeDemoSizes, now: Date, batchSize: number, step: Step): Promise<void> => {
  const [state] = await tx.query<{ next_seq: string }>('SELECT next_seq FROM audit_sequences WHERE tenant_id = $1', [tx.tenantId]);
  // A new tenant's log is empty; events made now must not come before a year of history.
  if (state && Number(state.next_seq) !== 1) throw new Error('the large demo tenant already has audit events');
  const history: AuditHistory = { tenantId: tx.tenantId, userIds, count: sizes.auditEvents, first: now.getTime() - 365 * DAY, span: 365 * DAY - 60_000 };
  const indexes = await asOwner(tx, async () => {
    const found = await tx.query<{ drop: string; build: string }>(sql.AUDIT_INDEXES);
    for (const index of found) await tx.query(index.drop);
    return found;
  });
  let leaves: Buffer = Buffer.alloc(0);
  await step(`${sizes.auditEvents.toLocaleString('en')} audit events`, async () => {
    leaves = await insertHistory(tx, history, batchSize);
  });
  await step(`${indexes.length} audit indexes`, () =>
    asOwner(tx, async () => {
      // Sorting a million keys in memory, not in temporary files; for this transaction only.
      await tx.query("SELECT set_config('maintenance_work_mem', '256MB', true)");
      for (const index of indexes) await tx.query(index.build);
    }),
  );
  await step('audit Merkle tree', () => storeTree(tx, leaves));
};

const seedPeople = async (tx: PlatformTx, tenantId: TenantId, userIds: readonly string[], sizes: LargeDemoSizes, now: Date, step: Step): Promise<void> => {
  await tx.query(sql.CREATE_LARGE_USERS, [userIds]);
  await step(`${sizes.members.toLocaleString('en')} people`, () => tx.query(sql.INSERT_USERS, [now.toISOString()]));
  await step('their memberships', () =>
    asOwner(tx, async () => {
      await tx.query(sql.COUNTS_TRIGGER_OFF);
      await tx.query(sql.INSERT_MEMBERSHIPS, [now.toISOString(), tenantId]);
      await tx.query(sql.COUNTS_TRIGGER_ON);
      await tx.query(sql.ADD_MEMBER_COUNTS, [tenantId]);
    }),
  );
  await step(`${sizes.sessions.toLocaleString('en')} sessions`, () => tx.query(sql.INSERT_SESSIONS, [now.toISOString(), sizes.sessions, sizes.members]));
};

/**
 * `--demo large`: one more tenant with tens of thousands of members, their sessions,
 * a year of audit log and thousands of incidents, written set-based in one transaction
 * (with a platform audit event saying so), then ANALYZEd so the planner knows the sizes.
 */
export const seedLargeDemo = async (db: Db, options: LargeDemoOptions): Promise<LargeDemoResult> => {
  const now = options.now ?? new Date();
  const sizes = options.sizes ?? LARGE_DEMO_SIZES;
  const progress = options.progress ?? (() => {});
  const started = performance.now();
  const step = stepper(progress, started);
  progress(`large demo: seeding ${LARGE_DEMO_TENANT} (${JSON.stringify(sizes)})`);
  const tenant = await db.platform((tx) =>
    createTenant(tx, { name: LARGE_DEMO_TENANT, region: 'eu', plan: 'enterprise', createdAt: new Date(now.getTime() - 400 * DAY) }, SEED_ACTOR),
  );
  await db.tenantAndPlatform(tenant.id, async ({ tenant: ttx, platform }) => {
    const userIds = Array.from({ length: sizes.members }, () => randomUUID());
    await seedPeople(platform, tenant.id, userIds, sizes, now, step);
    await step(`${sizes.incidents.toLocaleString('en')} incidents`, () =>
      platform.query(sql.INSERT_INCIDENTS, [now.toISOString(), sizes.incidents, tenant.id, options.officerUserId]),
    );
    await seedAuditLog(ttx, userIds, sizes, now, options.auditBatch ?? AUDIT_BATCH, step);
    await appendAuditEvent(platform, {
      actor: SEED_ACTOR,
      action: 'demo.large_seeded',
      target: `tenant:${tenant.id}`,
      details: { members: sizes.members, sessions: sizes.sessions, auditEvents: sizes.auditEvents, incidents: sizes.incidents },
    });
  });
  // Statistics need the tables' owner: the transaction's own role (the engine's login), not the service's.
  await step('ANALYZE', () =>
    db.platform((tx) => asOwner(tx, () => tx.query(`ANALYZE ${TABLES.join(', ')}`))),
  );
  const seconds = (performance.now() - started) / 1000;
  progress(`large demo: done in ${seconds.toFixed(1)} s`);
  return { tenant, sizes, seconds };
};
