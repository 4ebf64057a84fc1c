import type { Plan, Region } from '../../shared/tenants/tenant';
import type { Actor } from '../audit/audit-log';
import type { Db } from '../db/db';
import { advisoryXactLock, LOCKS } from '../db/locks';
import { countOperators, createOperator, issueOperatorToken } from '../operators/operator-repository';
import { countTenants, createTenant } from '../tenants/tenant-repository';

const DAY = 86_400_000;

/** Customers of a mid-sized SaaS: both regions, every plan, signed up over the past two years. */
export const DEMO_TENANTS: readonly { name: string; region: Region; plan: Plan; daysAgo: number }[] = [
  { name: 'Northwind Health', region: 'eu', plan: 'enterprise', daysAgo: 702 },
  { name: 'Acme Analytics', region: 'us', plan: 'team', daysAgo: 540 },
  { name: 'Globex Retail', region: 'eu', plan: 'team', daysAgo: 388 },
  { name: 'Stark Logistics', region: 'us', plan: 'enterprise', daysAgo: 251 },
  { name: 'Initech Payroll', region: 'us', plan: 'free', daysAgo: 97 },
  { name: 'Umbrella Labs', region: 'eu', plan: 'free', daysAgo: 12 },
];

const SEED_ACTOR: Actor = { type: 'system', id: 'demo-seed' };

/**
 * Seeds a new installation with demo tenants and a demo operator, in one
 * transaction (each write with its audit event). Returns the demo operator's
 * token, or null when the database is not new (anything seeded or initialised
 * before): a demo never overwrites or adds to real data.
 */
export const seedDemo = (db: Db, now: Date = new Date()): Promise<{ token: string } | null> =>
  db.platform(async (tx) => {
    await advisoryXactLock(tx, LOCKS.bootstrap);
    if ((await countOperators(tx)) > 0 || (await countTenants(tx)) > 0) return null;
    for (const t of DEMO_TENANTS) {
      await createTenant(tx, { name: t.name, region: t.region, plan: t.plan, createdAt: new Date(now.getTime() - t.daysAgo * DAY) }, SEED_ACTOR);
    }
    const operator = await createOperator(tx, 'Demo operator', SEED_ACTOR);
    const issued = await issueOperatorToken(tx, operator.id, 'demo', SEED_ACTOR);
    return { token: issued.token };
  });
