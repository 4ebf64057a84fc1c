import { randomUUID } from 'node:crypto';
import { slugCandidate } from '../../shared/tenants/slug';
import type { Plan, Region, Tenant, TenantId, TenantStatus } from '../../shared/tenants/tenant';
import { appendAuditEvent, freeText, type Actor } from '../audit/audit-log';
import type { PlatformTx, TenantTx } from '../db/db';

interface TenantRow extends Record<string, unknown> {
  id: string;
  name: string;
  slug: string;
  region: Region;
  plan: Plan;
  status: TenantStatus;
  created_at: Date | string;
}

const COLUMNS = 'id, name, slug, region, plan, status, created_at';

const toTenant = (r: TenantRow): Tenant => ({
  id: r.id as TenantId,
  name: r.name,
  slug: r.slug,
  region: r.region,
  plan: r.plan,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
});

export interface TenantFilter {
  readonly region?: Region | undefined;
  readonly plan?: Plan | undefined;
  readonly status?: TenantStatus | undefined;
}

/** Every tenant (filtered), for operators. */
export const listTenants = async (tx: PlatformTx, filter: TenantFilter = {}): Promise<Tenant[]> =>
  (
    await tx.query<TenantRow>(
      `SELECT ${COLUMNS} FROM tenants
        WHERE ($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR plan = $2) AND ($3::text IS NULL OR status = $3)
        ORDER BY name, id`,
      [filter.region ?? null, filter.plan ?? null, filter.status ?? null],
    )
  ).map(toTenant);

/** The transaction's own tenant; null when it does not exist. */
export const getTenant = async (tx: TenantTx): Promise<Tenant | null> => {
  const rows = await tx.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [tx.tenantId]);
  return rows[0] ? toTenant(rows[0]) : null;
};

/** One tenant from platform scope, locked for the rest of the transaction (a status or plan change). */
export const lockTenant = async (tx: PlatformTx, tenantId: TenantId): Promise<Tenant | null> => {
  const rows = await tx.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1 FOR UPDATE`, [tenantId]);
  return rows[0] ? toTenant(rows[0]) : null;
};

export const countTenants = async (tx: PlatformTx): Promise<number> => {
  const rows = await tx.query<{ n: number | string }>('SELECT count(*) AS n FROM tenants');
  return Number(rows[0]?.n ?? 0);
};

/** Whether a tenant already has this name (case-insensitively): the CLI then asks for a slug to tell them apart. */
export const tenantNameTaken = async (tx: PlatformTx, name: string): Promise<boolean> =>
  (await tx.query('SELECT 1 FROM tenants WHERE lower(name) = lower($1) LIMIT 1', [name])).length > 0;

export const slugTaken = async (tx: PlatformTx, slug: string): Promise<boolean> =>
  (await tx.query('SELECT 1 FROM tenants WHERE slug = $1', [slug])).length > 0;

/** The first free slug derived from `name` ("acme", "acme-2", …), for callers that give none (demo seed, tests). */
export const freeSlugFor = async (tx: PlatformTx, name: string): Promise<string> => {
  for (let n = 1; ; n++) {
    const candidate = slugCandidate(name, n);
    if (!(await slugTaken(tx, candidate))) return candidate;
  }
};

export interface NewTenant {
  readonly name: string;
  /** Unique; derived from the name (the first free candidate) when absent. */
  readonly slug?: string;
  readonly region: Region;
  readonly plan: Plan;
  /** Defaults to now; the demo seed backdates tenants. */
  readonly createdAt?: Date;
  readonly id?: TenantId;
}

/**
 * Inserts the tenant and records it in the platform's log. A slug another tenant
 * holds fails on the unique index (23505 on tenants_slug): the caller maps it.
 */
export const createTenant = async (tx: PlatformTx, input: NewTenant, actor: Actor, requestId?: string): Promise<Tenant> => {
  const slug = input.slug ?? (await freeSlugFor(tx, input.name));
  const rows = await tx.query<TenantRow>(
    `INSERT INTO tenants (id, name, slug, region, plan, created_at, status_changed_at)
     VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), coalesce($6::timestamptz, now()))
     RETURNING ${COLUMNS}`,
    [input.id ?? randomUUID(), input.name, slug, input.region, input.plan, input.createdAt?.toISOString() ?? null],
  );
  const tenant = toTenant(rows[0] as TenantRow);
  // A slug is derived from the name and may name a person as much as the name does.
  const text = freeText({ name: tenant.name, slug: tenant.slug });
  await appendAuditEvent(tx, {
    actor,
    action: 'tenant.created',
    target: `tenant:${tenant.id}`,
    requestId: requestId ?? null,
    details: { region: tenant.region, plan: tenant.plan, ...text.lengths },
    personal: text.personal,
  });
  return tenant;
};
