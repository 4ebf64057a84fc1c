import { randomUUID } from 'node:crypto';
import type { Plan, Region, Tenant, TenantId } from '../../shared/tenants/tenant';
import { appendAuditEvent, freeText, type Actor } from '../audit/audit-log';
import type { PlatformTx, TenantTx } from '../db/db';

interface TenantRow extends Record<string, unknown> {
  id: string;
  name: string;
  region: Region;
  plan: Plan;
  created_at: Date | string;
}

const COLUMNS = 'id, name, region, plan, created_at';

const toTenant = (r: TenantRow): Tenant => ({
  id: r.id as TenantId,
  name: r.name,
  region: r.region,
  plan: r.plan,
  createdAt: new Date(r.created_at).toISOString(),
});

/** Every tenant, for operators. */
export const listTenants = async (tx: PlatformTx): Promise<Tenant[]> =>
  (await tx.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants ORDER BY name, id`)).map(toTenant);

/** The transaction's own tenant; null when it does not exist. */
export const getTenant = async (tx: TenantTx): Promise<Tenant | null> => {
  const rows = await tx.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [tx.tenantId]);
  return rows[0] ? toTenant(rows[0]) : null;
};

export const countTenants = async (tx: PlatformTx): Promise<number> => {
  const rows = await tx.query<{ n: number | string }>('SELECT count(*) AS n FROM tenants');
  return Number(rows[0]?.n ?? 0);
};

export interface NewTenant {
  readonly name: string;
  readonly region: Region;
  readonly plan: Plan;
  /** Defaults to now; the demo seed backdates tenants. */
  readonly createdAt?: Date;
  readonly id?: TenantId;
}

export const createTenant = async (tx: PlatformTx, input: NewTenant, actor: Actor, requestId?: string): Promise<Tenant> => {
  const rows = await tx.query<TenantRow>(
    `INSERT INTO tenants (id, name, region, plan, created_at) VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now()))
     RETURNING ${COLUMNS}`,
    [input.id ?? randomUUID(), input.name, input.region, input.plan, input.createdAt?.toISOString() ?? null],
  );
  const tenant = toTenant(rows[0] as TenantRow);
  const name = freeText({ name: tenant.name });
  await appendAuditEvent(tx, {
    actor,
    action: 'tenant.created',
    target: `tenant:${tenant.id}`,
    requestId: requestId ?? null,
    details: { region: tenant.region, plan: tenant.plan, ...name.lengths },
    personal: name.personal,
  });
  return tenant;
};
