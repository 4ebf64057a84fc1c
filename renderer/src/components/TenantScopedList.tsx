import { Button, Callout, HTMLSelect, NonIdealState, Spinner } from '@blueprintjs/core';
import { ErrorIcon, LockIcon, RefreshIcon } from '@blueprintjs/icons';
import type { ReactNode } from 'react';
import type { IpcErrorShape } from '../../../shared/ipc/contract';
import type { Tenant, TenantId } from '../../../shared/tenants/tenant';
import { useTenantsStore } from '../views/tenants/tenantsStore';
import { adviceFor } from './errorAdvice';

/** The tenant picker of a tenant-scoped view; choosing one selects it console-wide. */
export const TenantSelect = ({ tenants, tenant, testId }: { tenants: readonly Tenant[]; tenant: Tenant | undefined; testId: string }) =>
  tenants.length > 0 ? (
    <HTMLSelect
      aria-label="Tenant"
      className="attest-tenant-select"
      value={tenant?.id ?? ''}
      onChange={(e) => useTenantsStore.getState().select(e.currentTarget.value as TenantId)}
      data-testid={testId}
      options={tenants.map((t) => ({ value: t.id, label: t.name }))}
    />
  ) : null;

interface BodyProps {
  /** What the list holds, plural and lower case: "members", "sessions". */
  noun: string;
  tenantsLoading: boolean;
  tenant: Tenant | undefined;
  noTenant: { title: string; description: string };
  /** The list when it has loaded for this tenant. */
  loaded: boolean;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error?: IpcErrorShape | undefined;
  errorTestId: string;
  onRetry(): void;
  /** The table, once `loaded`. */
  children: ReactNode;
}

/** The body of a tenant-scoped list: loading tenants, no tenant to show, the first load or its failure, then the table. */
export const TenantScopedBody = ({ noun, tenantsLoading, tenant, noTenant, loaded, status, error, errorTestId, onRetry, children }: BodyProps) => {
  if (tenantsLoading) return <NonIdealState icon={<Spinner size={32} />} title="Loading tenants…" />;
  if (!tenant) return <NonIdealState icon={<LockIcon size={48} />} iconMuted title={noTenant.title} description={noTenant.description} />;
  if (loaded) return <>{children}</>;
  if (status === 'error' && error) {
    return (
      <div data-testid={errorTestId} data-code={error.code}>
        <NonIdealState
          icon={<ErrorIcon size={48} />}
          title={`Could not load ${noun}`}
          description={
            <p>
              <code>{error.code}</code> {error.message} {adviceFor(error.code)}
            </p>
          }
          action={<Button icon={<RefreshIcon />} text="Retry" onClick={onRetry} />}
        />
      </div>
    );
  }
  return <NonIdealState icon={<Spinner size={32} />} title={`Loading ${noun}…`} />;
};

/** Shown above a list kept from an earlier load when refreshing it failed. */
export const StaleListCallout = ({ noun, error }: { noun: string; error: IpcErrorShape }) => (
  <Callout compact intent="warning" className="attest-inline-callout">
    Showing the {noun} from the last successful load. Refreshing failed: <code>{error.code}</code> {adviceFor(error.code)}
  </Callout>
);
