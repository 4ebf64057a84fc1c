import type { endpoints } from '../../shared/api/endpoints';
import { ApiError } from '../http/api-error';
import type { HandlerDeps, HandlerTable } from '../http/handler';

// PLACEHOLDER on the audit-contract branch only: replaced by the audit service work before anything lands on main.
const pending = () => Promise.reject(new ApiError(503, 'service_unavailable', 'The audit API is not built yet.'));

export const auditHandlers = (_deps: HandlerDeps) =>
  ({
    auditKeys: pending,
    auditEvents: pending,
    auditTreeHead: pending,
    auditIssueTreeHead: pending,
    auditInclusionProof: pending,
    auditConsistencyProof: pending,
  }) satisfies Partial<HandlerTable<typeof endpoints>>;
