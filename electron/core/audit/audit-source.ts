import type { AuditEventPage, AuditEventQuery, AuditExportFormat, ConsistencyProof, InclusionProof } from '../../../shared/audit/api';
import type { AuditKey, SignedTreeHead } from '../../../shared/audit/tree-head';
import type { TenantId } from '../../../shared/tenants/tenant';
import type { ServiceClient, StreamedResponse } from '../client/service-client';
import { ServiceError } from '../client/service-error';

export type AuditEventFilters = Omit<AuditEventQuery, 'cursor' | 'limit'>;

/**
 * Where a log comes from: the service, or an offline copy. The verifier trusts
 * nothing a source says; it checks every answer against signatures and proofs.
 */
export interface AuditLogSource {
  readonly kind: 'service' | 'cache';
  keys(): Promise<AuditKey[]>;
  /** The newest signed tree head; `fresh` asks the service to sign one over the log as it stands (if the person may: audit.sign_head). */
  treeHead(tenantId: string, options?: { fresh?: boolean }): Promise<SignedTreeHead>;
  /** Events with seq > cursor, in sequence order. */
  events(tenantId: string, query: AuditEventFilters & { cursor?: string; limit: number }): Promise<AuditEventPage>;
  inclusionProof(tenantId: string, seq: number, treeSize: number): Promise<InclusionProof>;
  consistencyProof(tenantId: string, from: number, to: number): Promise<ConsistencyProof>;
  /** The log (or a time range of it) as the service exports it, streamed; absent where the source has no export (the offline copy). */
  export?(tenantId: string, format: AuditExportFormat, range: Pick<AuditEventFilters, 'from' | 'to'>): Promise<StreamedResponse>;
}

const params = (tenantId: string) => ({ tenantId: tenantId as TenantId });

/** The service over the pinned HTTPS client; every answer is already parsed with the endpoint's schema. */
export function serviceAuditSource(client: Pick<ServiceClient, 'call'> & Partial<Pick<ServiceClient, 'stream'>>): AuditLogSource {
  const { stream } = client;
  return {
    kind: 'service',
    keys: async () => (await client.call('auditKeys')).items,
    treeHead: async (tenantId, options) => {
      if (options?.fresh) {
        try {
          return await client.call('auditIssueTreeHead', { params: params(tenantId) });
        } catch (error) {
          // Signing a head is a write (audit.sign_head); a reader verifies against the latest one, at most seconds old.
          if (!(error instanceof ServiceError && error.status === 403)) throw error;
        }
      }
      return client.call('auditTreeHead', { params: params(tenantId) });
    },
    events: (tenantId, query) => client.call('auditEvents', { params: params(tenantId), query }),
    inclusionProof: (tenantId, seq, treeSize) => client.call('auditInclusionProof', { params: params(tenantId), query: { seq, treeSize } }),
    consistencyProof: (tenantId, from, to) => client.call('auditConsistencyProof', { params: params(tenantId), query: { from, to } }),
    ...(stream && {
      export: (tenantId: string, format: AuditExportFormat, { from, to }: Pick<AuditEventFilters, 'from' | 'to'>) =>
        stream('auditExport', { params: params(tenantId), query: { format, from, to } }),
    }),
  };
}
