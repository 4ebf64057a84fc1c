import { appendAuditEvent, MIN_STORED_SUBTREE_LEVEL, type Actor } from '../audit/audit-log';
import { APP_ROLE, type Db, type PlatformTx, type TenantTx } from '../db/db';
import type { Tenant, TenantId } from '../../shared/tenants/tenant';
import { createTenant } from '../tenants/tenant-repository';
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

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

type Step = (label: string, run: () => Promise<unknown>) => Promise<void>;

const stepper = (progress: (line: string) => void, started: number): Step => async (label, run) => {
  const t0 = performance.now();
  await run();
  progress(`large demo: ${label} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${((performance.now() - started) / 1000).toFixed(1)} s so far)`);
};

/** The tenant's audit log: a year of events ending a minute ago, then its Merkle tree (subtrees and frontier) as appends would leave it. */
const seedAuditLog = async (tx: TenantTx, sizes: LargeDemoSizes, now: Date, step: Step): Promise<void> => {
  const [state] = await tx.query<{ next_seq: string }>('SELECT next_seq FROM audit_sequences WHERE tenant_id = $1', [tx.tenantId]);
  // A new tenant's log is empty; events made now must not come before a year of history.
  if (state && Number(state.next_seq) !== 1) throw new Error('the large demo tenant already has audit events');
  const span = 365 * DAY - 60_000;
  const first = now.getTime() - 365 * DAY;
  const indexes = await asOwner(tx, async () => {
    const found = await tx.query<{ name: string; definition: string }>(sql.AUDIT_SECONDARY_INDEXES);
    for (const index of found) await tx.query(`DROP INDEX ${quoteIdent(index.name)}`);
    return found;
  });
  await step(`${sizes.auditEvents.toLocaleString('en')} audit events`, () =>
    tx.query(sql.INSERT_AUDIT_EVENTS, [tx.tenantId, 1, sizes.auditEvents, first, span, sizes.members]),
  );
  await step(`${indexes.length} audit indexes`, () =>
    asOwner(tx, async () => {
      for (const index of indexes) await tx.query(index.definition);
    }),
  );
  await step('audit Merkle tree', async () => {
    await tx.query(sql.CREATE_TREE);
    await tx.query(sql.TREE_LEVEL_ONE, [tx.tenantId]);
    for (let level = 2; 2 ** level <= sizes.auditEvents; level++) await tx.query(sql.TREE_LEVEL_UP, [level]);
    await tx.query(sql.STORE_SUBTREES, [tx.tenantId, MIN_STORED_SUBTREE_LEVEL]);
    await tx.query(sql.STORE_FRONTIER, [tx.tenantId, sizes.auditEvents]);
  });
};

const seedPeople = async (tx: PlatformTx, tenantId: TenantId, sizes: LargeDemoSizes, now: Date, step: Step): Promise<void> => {
  await tx.query(sql.CREATE_LARGE_USERS, [sizes.members]);
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
    await seedPeople(platform, tenant.id, sizes, now, step);
    await step(`${sizes.incidents.toLocaleString('en')} incidents`, () =>
      platform.query(sql.INSERT_INCIDENTS, [now.toISOString(), sizes.incidents, tenant.id, options.officerUserId]),
    );
    await seedAuditLog(ttx, sizes, now, step);
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
