import type { PlatformRole, TenantRole } from '../../shared/identity/roles';
import type { Plan, Region, Tenant } from '../../shared/tenants/tenant';
import type { Actor } from '../audit/audit-log';
import type { KeyRing } from '../crypto/key-ring';
import type { Db } from '../db/db';
import { advisoryXactLock, LOCKS } from '../db/locks';
import { argon2Hasher, type PasswordHasher } from '../identity/passwords';
import { generatePassword, provisionUser, type ProvisionedUser } from '../identity/provision';
import { countOperators, createOperator, issueOperatorToken } from '../operators/operator-repository';
import { setMfaPolicy } from '../members/mfa-policy';
import { countTenants, createTenant } from '../tenants/tenant-repository';
import { seedDemoIncidents } from './demo-incidents';

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

/** The demo's people: the security officer (whose credentials the ready line carries) and tenant members of every role. */
export const DEMO_USERS: readonly {
  email: string;
  displayName: string;
  platformRoles: readonly PlatformRole[];
  memberships: readonly { tenant: string; role: TenantRole }[];
  /** Invited but not yet enrolled: must set up an authenticator at first sign-in. */
  pendingMfa?: boolean;
}[] = [
  { email: 'officer@attest.example', displayName: 'Sam Okafor', platformRoles: ['security_officer'], memberships: [{ tenant: 'Northwind Health', role: 'owner' }] },
  { email: 'priya@acme.example', displayName: 'Priya Raman', platformRoles: [], memberships: [{ tenant: 'Acme Analytics', role: 'owner' }] },
  { email: 'noah@northwind.example', displayName: 'Noah Berg', platformRoles: [], memberships: [{ tenant: 'Northwind Health', role: 'admin' }] },
  {
    email: 'eve@globex.example',
    displayName: 'Eve Moreau',
    platformRoles: [],
    memberships: [
      { tenant: 'Globex Retail', role: 'editor' },
      { tenant: 'Acme Analytics', role: 'viewer' },
    ],
  },
  { email: 'rita@stark.example', displayName: 'Rita Alvarez', platformRoles: [], memberships: [{ tenant: 'Stark Logistics', role: 'reviewer' }] },
  {
    email: 'jonas@acme.example',
    displayName: 'Jonas Weber',
    platformRoles: [],
    memberships: [{ tenant: 'Acme Analytics', role: 'viewer' }],
    pendingMfa: true,
  },
];

/**
 * One tenant that does not enforce MFA, with its remediation plan: the honest path
 * (a failing control shown with its plan, not hidden) is visible on first start.
 */
export const DEMO_MFA_EXCEPTION = {
  tenant: 'Globex Retail',
  planOwner: 'eve@globex.example',
  targetInDays: 45,
  compensatingControls: 'Sign-ins only from the corporate network; sign-in anomalies reviewed weekly by the security officer.',
} as const;

const SEED_ACTOR: Actor = { type: 'system', id: 'demo-seed' };

export interface DemoSeed {
  /** The demo operator's API token. */
  readonly token: string;
  /** The demo security officer's sign-in: email, password and base32 TOTP secret. */
  readonly email: string;
  readonly password: string;
  readonly totpSecret: string;
  /** Every demo user's credentials (the officer first), for tests. */
  readonly users: readonly ProvisionedUser[];
}

export interface SeedOptions {
  readonly keys: KeyRing;
  readonly now?: Date;
  readonly hasher?: PasswordHasher;
}

/**
 * Seeds a new installation with demo tenants, a demo operator, demo users
 * with MFA enrolled and a few incidents, in one transaction (each write with its audit event).
 * Returns the credentials, or null when the database is not new (anything
 * seeded or initialised before): a demo never overwrites or adds to real data.
 */
export const seedDemo = async (db: Db, options: SeedOptions): Promise<DemoSeed | null> => {
  const now = options.now ?? new Date();
  const hasher = options.hasher ?? (await argon2Hasher());
  // One password for all demo people (it is a demo); hashed before the transaction opens.
  const password = generatePassword();
  const passwordHash = await hasher.hash(password);
  return db.platform(async (tx) => {
    await advisoryXactLock(tx, LOCKS.bootstrap);
    if ((await countOperators(tx)) > 0 || (await countTenants(tx)) > 0) return null;
    const tenants = new Map<string, Tenant>();
    for (const t of DEMO_TENANTS) {
      const tenant = await createTenant(tx, { name: t.name, region: t.region, plan: t.plan, createdAt: new Date(now.getTime() - t.daysAgo * DAY) }, SEED_ACTOR);
      tenants.set(t.name, tenant);
    }
    const operator = await createOperator(tx, 'Demo operator', SEED_ACTOR);
    const issued = await issueOperatorToken(tx, operator.id, 'demo', SEED_ACTOR);
    const users: ProvisionedUser[] = [];
    for (const u of DEMO_USERS) {
      const memberships = u.memberships.map((m) => {
        const tenant = tenants.get(m.tenant);
        if (!tenant) throw new Error(`demo user ${u.email} names unknown tenant ${m.tenant}`);
        return { tenantId: tenant.id, role: m.role };
      });
      users.push(
        await provisionUser(tx, options.keys, { email: u.email, displayName: u.displayName, password, passwordHash, platformRoles: u.platformRoles, memberships, enrolMfa: !u.pendingMfa }, SEED_ACTOR, now),
      );
    }
    const exception = tenants.get(DEMO_MFA_EXCEPTION.tenant);
    const planOwner = users.find((u) => u.email === DEMO_MFA_EXCEPTION.planOwner);
    if (!exception || !planOwner) throw new Error('the demo MFA exception names an unknown tenant or person');
    const targetDate = new Date(now.getTime() + DEMO_MFA_EXCEPTION.targetInDays * DAY).toISOString().slice(0, 10);
    const remediationPlan = { ownerUserId: planOwner.userId, targetDate, compensatingControls: DEMO_MFA_EXCEPTION.compensatingControls };
    const set = await setMfaPolicy(tx.tenantOf(exception.id), { mfaRequired: false, remediationPlan }, { actor: SEED_ACTOR, requestId: 'demo-seed', now });
    if (set instanceof Error) throw set;
    const officer = users[0];
    if (!officer?.totpSecret) throw new Error('no demo officer with MFA');
    await seedDemoIncidents(tx, officer.userId, tenants, now);
    return { token: issued.token, email: officer.email, password: officer.password, totpSecret: officer.totpSecret, users };
  });
};
