import type { TenantId } from '../../shared/tenants/tenant';
import type { Row, SqlEngine, SqlQueryable, StorageEngine } from './engine';

/** The platform's own audit log and other platform-level rows live under this tenant id. */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

/** The role every service transaction runs as; created by migration 0001. */
export const APP_ROLE = 'attest_app';

/** A transaction in the operator (platform) scope: all tenants, operators, the platform audit log. */
export interface PlatformTx extends SqlQueryable {
  readonly scope: 'platform';
  /**
   * A tenant's scope in the same transaction: an account-wide event (a lock, an
   * MFA reset) is recorded in each of the person's tenants' logs with the change.
   */
  readonly tenantOf: (tenantId: TenantId) => TenantTx;
}

/** A transaction in one tenant's scope: row-level security shows and accepts only that tenant's rows. */
export interface TenantTx extends SqlQueryable {
  readonly scope: 'tenant';
  readonly tenantId: TenantId;
}

export type ScopedTx = PlatformTx | TenantTx;

/**
 * The service's only way to the data. Tenant scope is never optional: a
 * transaction is either explicitly platform-wide or bound to one tenant, and
 * PostgreSQL row-level security (migrations 0002+) enforces that binding.
 *
 * Every transaction does SET LOCAL ROLE attest_app and sets attest.scope /
 * attest.tenant_id with set_config(…, true), so nothing leaks into the next
 * transaction on a pooled connection. attest_app is NOLOGIN, has no BYPASSRLS,
 * and every table has FORCE ROW LEVEL SECURITY.
 *
 * What that buys differs by engine. On PostgreSQL, the rows a request can reach
 * are limited by the database itself, even if a query in the service forgets a
 * WHERE tenant_id = … . In PGlite the session user is a superuser and the same
 * process could RESET ROLE, so there RLS guards against bugs in our queries,
 * not against arbitrary SQL (there is no other client of an embedded database).
 * DATABASE_URL's role owns the schema (it runs the migrations, which grant it
 * membership in attest_app); requests never run as that role.
 */
export interface Db {
  readonly engine: StorageEngine;
  platform<T>(fn: (tx: PlatformTx) => Promise<T>): Promise<T>;
  tenant<T>(tenantId: TenantId, fn: (tx: TenantTx) => Promise<T>): Promise<T>;
  /**
   * One transaction seen through both scopes, for changes that span a tenant's
   * rows and platform rows (a member's sessions and credentials) and must commit
   * with the tenant's audit event or not at all. Each query runs in the scope of
   * the handle it is called on; use the handles one query at a time.
   */
  tenantAndPlatform<T>(tenantId: TenantId, fn: (tx: { tenant: TenantTx; platform: PlatformTx; tenantOf: PlatformTx['tenantOf'] }) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` whenever a committed change touches what access-token
   * validation reads (migration 0007), before that commit resolves; returns the
   * unsubscribe function, or null where the engine cannot promise that ordering.
   */
  watchAuthChanges(listener: () => void): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

/**
 * A tenant's scope was asked for with an id that names no tenant: the platform's
 * nil UUID (valid-shaped in a path, so it reaches tenant-only handlers) or a cast.
 * The HTTP layer answers it like any unknown tenant (404 not_found).
 */
export class NotATenantError extends Error {
  constructor(tenantId: string) {
    super(`not a tenant id: ${JSON.stringify(tenantId.slice(0, 64))}`);
    this.name = 'NotATenantError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const createDb = (engine: SqlEngine): Db => {
  const setScope = (tx: SqlQueryable, scope: 'platform' | 'tenant', tenantId: string) =>
    // One round trip: set_config('role', …, true) is SET LOCAL ROLE. In PGlite each
    // statement costs a trip through WASM, so this is on every request's path.
    tx.query("SELECT set_config('role', $1, true), set_config('attest.scope', $2, true), set_config('attest.tenant_id', $3, true)", [
      APP_ROLE,
      scope,
      tenantId,
    ]);
  const assertTenantId = (tenantId: string): Error | null =>
    // The brand says "validated"; this also guards against a cast and against the platform's own id.
    !UUID.test(tenantId) || tenantId === PLATFORM_TENANT_ID ? new NotATenantError(tenantId) : null;

  const scoped = <T>(scope: 'tenant', tenantId: string, fn: (q: SqlQueryable) => Promise<T>): Promise<T> =>
    engine.transaction(async (tx) => {
      await setScope(tx, scope, tenantId);
      return fn({ query: <R extends Row = Row>(text: string, params?: readonly unknown[]) => tx.query<R>(text, params) });
    });

  /**
   * Handles on one transaction that each run their queries in their own scope,
   * switching (one round trip) only when the previous query ran in another.
   */
  const switching = (tx: SqlQueryable): { platform: PlatformTx; tenantOf: (tenantId: TenantId) => TenantTx } => {
    // The scope the transaction is in now: 'platform', or a tenant's id.
    let current: string | null = null;
    const via =
      (scope: 'platform' | TenantId) =>
      async <R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]> => {
        if (current !== scope) {
          await setScope(tx, scope === 'platform' ? 'platform' : 'tenant', scope === 'platform' ? '' : scope);
          current = scope;
        }
        return tx.query<R>(text, params);
      };
    const tenantOf = (tenantId: TenantId): TenantTx => {
      const bad = assertTenantId(tenantId);
      if (bad) throw bad;
      return { scope: 'tenant', tenantId, query: via(tenantId) };
    };
    return { platform: { scope: 'platform', query: via('platform'), tenantOf }, tenantOf };
  };

  return {
    engine: engine.kind,
    platform: (fn) => engine.transaction((tx) => fn(switching(tx).platform)),
    tenant: (tenantId, fn) => {
      const invalid = assertTenantId(tenantId);
      if (invalid) return Promise.reject(invalid);
      return scoped('tenant', tenantId, (q) => fn({ scope: 'tenant', tenantId, query: q.query }));
    },
    tenantAndPlatform: (tenantId, fn) => {
      const invalid = assertTenantId(tenantId);
      if (invalid) return Promise.reject(invalid);
      return engine.transaction(async (tx) => {
        const { platform, tenantOf } = switching(tx);
        return fn({ tenant: tenantOf(tenantId), platform, tenantOf });
      });
    },
    watchAuthChanges: async (listener) => (engine.listen ? engine.listen('attest_auth_changed', listener) : null),
    close: () => engine.close(),
  };
};

/** The tenant id that audit rows of this transaction belong to. */
export const scopeTenantId = (tx: ScopedTx): string => (tx.scope === 'tenant' ? tx.tenantId : PLATFORM_TENANT_ID);

