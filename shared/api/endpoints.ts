import { z } from 'zod';
import {
  ChangeRoleRequestSchema,
  EnrolCompleteRequestSchema,
  EnrolCompleteResponseSchema,
  EnrolStartRequestSchema,
  EnrolStartResponseSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MemberListSchema,
  MemberSchema,
  MeSchema,
  MfaRequestSchema,
  RefreshRequestSchema,
  SessionTokensSchema,
  SignedOutSchema,
  StepUpRequestSchema,
  StepUpResponseSchema,
  UserIdSchema,
} from '../identity/schemas';
import type { Action } from '../identity/permissions';
import { TenantIdSchema, TenantSchema } from '../tenants/tenant';
import {
  AuditEventPageSchema,
  AuditEventQuerySchema,
  AuditLogParamsSchema,
  ConsistencyProofQuerySchema,
  ConsistencyProofSchema,
  InclusionProofQuerySchema,
  InclusionProofSchema,
} from '../audit/api';
import { AuditKeyListSchema, SignedTreeHeadSchema } from '../audit/tree-head';
import {
  ApprovalDecisionSchema,
  ApprovalListSchema,
  ApprovalParamsSchema,
  ApprovalRequestSchema,
  BulkRemoveMembersRequestSchema,
  PlatformRoleRequestSchema,
  RevokeTenantSessionsRequestSchema,
} from '../approvals/schemas';
import {
  AccessReviewItemParamsSchema,
  AccessReviewItemSchema,
  AccessReviewListSchema,
  AccessReviewParamsSchema,
  AccessReviewSchema,
  AccessReviewSummarySchema,
  ReviewDecisionRequestSchema,
  StartAccessReviewSchema,
} from '../access-reviews/schemas';
import { RevokedSessionsSchema, SessionListQuerySchema, SessionListSchema, SessionParamsSchema } from '../sessions/schemas';

/**
 * The service's HTTP API, declared once. The service validates requests and
 * responses with these schemas and generates /v1/openapi.json from them; the
 * console's client parses responses with the same schemas.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call an endpoint: 'public' (no credentials: health, sign-in steps that
 * carry their own challenge), 'authenticated' (any valid session or API token:
 * /v1/me, sign-out), or an action of the permission matrix, checked against the
 * caller's roles in the tenant named by the `tenantId` path parameter (or across
 * tenants where the path has none). Required on every endpoint: there is no default.
 */
export type Permission = 'public' | 'authenticated' | Action;

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  readonly method: HttpMethod;
  /** Fastify-style path, e.g. /v1/tenants/:id */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly permission: Permission;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  /** Status of a successful response. */
  readonly status: 200 | 201 | 204;
}

const endpoint = <
  P extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  B extends z.ZodType = z.ZodNever,
  R extends z.ZodType = z.ZodType,
>(
  e: Endpoint<P, Q, B, R>,
): Endpoint<P, Q, B, R> => e;

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    storage: z.enum(['pglite', 'postgres']),
    time: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;

export const TenantListSchema = z
  .object({ items: z.array(TenantSchema) })
  .strict()
  .meta({ id: 'TenantList' });
export type TenantList = z.infer<typeof TenantListSchema>;

export const TenantParamsSchema = z.object({ tenantId: TenantIdSchema }).strict();
export const MemberParamsSchema = z.object({ tenantId: TenantIdSchema, userId: UserIdSchema }).strict();

export const endpoints = {
  health: endpoint({
    method: 'GET',
    path: '/v1/health',
    summary: 'Liveness and storage engine',
    tag: 'meta',
    permission: 'public',
    status: 200,
    response: HealthSchema,
  }),
  openapi: endpoint({
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'meta',
    permission: 'public',
    status: 200,
    response: z.record(z.string(), z.unknown()),
  }),
  login: endpoint({
    method: 'POST',
    path: '/v1/auth/login',
    summary: 'Sign in with email and password; returns the next step',
    tag: 'auth',
    permission: 'public',
    status: 200,
    body: LoginRequestSchema,
    response: LoginResponseSchema,
  }),
  mfa: endpoint({
    method: 'POST',
    path: '/v1/auth/mfa',
    summary: 'Complete sign-in with an authenticator code or a recovery code',
    tag: 'auth',
    permission: 'public',
    status: 200,
    body: MfaRequestSchema,
    response: SessionTokensSchema,
  }),
  enrolStart: endpoint({
    method: 'POST',
    path: '/v1/auth/enrol/start',
    summary: 'Begin TOTP enrolment during sign-in: a new secret and its otpauth URI',
    tag: 'auth',
    permission: 'public',
    status: 200,
    body: EnrolStartRequestSchema,
    response: EnrolStartResponseSchema,
  }),
  enrolComplete: endpoint({
    method: 'POST',
    path: '/v1/auth/enrol/complete',
    summary: 'Confirm enrolment with a valid code; signs in and returns recovery codes once',
    tag: 'auth',
    permission: 'public',
    status: 200,
    body: EnrolCompleteRequestSchema,
    response: EnrolCompleteResponseSchema,
  }),
  refresh: endpoint({
    method: 'POST',
    path: '/v1/auth/refresh',
    summary: 'Rotate the refresh token and issue a new access token',
    tag: 'auth',
    permission: 'public',
    status: 200,
    body: RefreshRequestSchema,
    response: SessionTokensSchema,
  }),
  logout: endpoint({
    method: 'POST',
    path: '/v1/auth/logout',
    summary: 'End the current session',
    tag: 'auth',
    permission: 'authenticated',
    status: 200,
    response: SignedOutSchema,
  }),
  stepUp: endpoint({
    method: 'POST',
    path: '/v1/auth/step-up',
    summary: 'Enter a fresh authenticator code to allow destructive actions for a few minutes',
    tag: 'auth',
    permission: 'authenticated',
    status: 200,
    body: StepUpRequestSchema,
    response: StepUpResponseSchema,
  }),
  me: endpoint({
    method: 'GET',
    path: '/v1/me',
    summary: 'Who is signed in, with their roles and session',
    tag: 'auth',
    permission: 'authenticated',
    status: 200,
    response: MeSchema,
  }),
  listTenants: endpoint({
    method: 'GET',
    path: '/v1/tenants',
    summary: 'List tenants visible to the caller',
    tag: 'tenants',
    permission: 'tenants.list',
    status: 200,
    response: TenantListSchema,
  }),
  getTenant: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId',
    summary: 'One tenant',
    tag: 'tenants',
    permission: 'tenants.read',
    status: 200,
    params: TenantParamsSchema,
    response: TenantSchema,
  }),
  listMembers: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/members',
    summary: "A tenant's members with their roles and MFA state",
    tag: 'members',
    permission: 'members.read',
    status: 200,
    params: TenantParamsSchema,
    response: MemberListSchema,
  }),
  changeMemberRole: endpoint({
    method: 'PATCH',
    path: '/v1/tenants/:tenantId/members/:userId',
    summary: "Change a member's role (step-up required)",
    tag: 'members',
    permission: 'members.change_role',
    status: 200,
    params: MemberParamsSchema,
    body: ChangeRoleRequestSchema,
    response: MemberSchema,
  }),
  listSessions: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/sessions',
    summary: "Live sessions of a tenant's members (filter by user, by anomaly flags)",
    tag: 'sessions',
    permission: 'sessions.read',
    status: 200,
    params: TenantParamsSchema,
    query: SessionListQuerySchema,
    response: SessionListSchema,
  }),
  revokeSession: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/sessions/:sessionId/revoke',
    summary: "Revoke one session (the caller's own current session needs no permission; any other needs sessions.revoke and step-up)",
    tag: 'sessions',
    // Checked in the handler: sessions.revoke with step-up, unless it is the caller's current session.
    permission: 'authenticated',
    status: 200,
    params: SessionParamsSchema,
    response: RevokedSessionsSchema,
  }),
  revokeUserSessions: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/members/:userId/sessions/revoke',
    summary: "Revoke every session of one member (step-up required)",
    tag: 'sessions',
    permission: 'sessions.revoke',
    status: 200,
    params: MemberParamsSchema,
    response: RevokedSessionsSchema,
  }),
  revokeTenantSessions: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/sessions/revoke-all',
    summary:
      "Request revoking every session of the tenant's members except the caller's: runs (in one transaction) when another person approves (step-up required)",
    tag: 'sessions',
    permission: 'sessions.revoke',
    status: 201,
    params: TenantParamsSchema,
    body: RevokeTenantSessionsRequestSchema,
    response: ApprovalRequestSchema,
  }),
  requestMemberRemoval: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/members/remove',
    summary: 'Request removing several members from the tenant: runs when another person approves (step-up required)',
    tag: 'approvals',
    permission: 'members.remove',
    status: 201,
    params: TenantParamsSchema,
    body: BulkRemoveMembersRequestSchema,
    response: ApprovalRequestSchema,
  }),
  requestPlatformRole: endpoint({
    method: 'POST',
    path: '/v1/platform/role-grants',
    summary: 'Request a platform role for a person for N hours: granted when another person approves, then expires by itself (step-up required)',
    tag: 'approvals',
    permission: 'platform_roles.grant',
    status: 201,
    body: PlatformRoleRequestSchema,
    response: ApprovalRequestSchema,
  }),
  listApprovals: endpoint({
    method: 'GET',
    path: '/v1/approvals',
    summary: 'Approval requests the caller may decide, and the caller’s own requests',
    tag: 'approvals',
    permission: 'authenticated',
    status: 200,
    response: ApprovalListSchema,
  }),
  approveRequest: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/approvals/:approvalId/approve',
    summary: 'Approve a request (not one’s own; the action’s permission and step-up required): the action runs in the same transaction',
    tag: 'approvals',
    // Checked in the handler: the permission depends on the request's action.
    permission: 'authenticated',
    status: 200,
    params: ApprovalParamsSchema,
    body: ApprovalDecisionSchema,
    response: ApprovalRequestSchema,
  }),
  denyRequest: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/approvals/:approvalId/deny',
    summary: 'Deny a request (not one’s own; the action’s permission and step-up required)',
    tag: 'approvals',
    permission: 'authenticated',
    status: 200,
    params: ApprovalParamsSchema,
    body: ApprovalDecisionSchema,
    response: ApprovalRequestSchema,
  }),
  listAccessReviews: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/access-reviews',
    summary: "A tenant's access review campaigns, newest first, with progress and overdue flags",
    tag: 'access-reviews',
    permission: 'access_reviews.read',
    status: 200,
    params: TenantParamsSchema,
    response: AccessReviewListSchema,
  }),
  startAccessReview: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/access-reviews',
    summary: "Start a review campaign over the tenant's current memberships (one open at a time; step-up required)",
    tag: 'access-reviews',
    permission: 'access_reviews.manage',
    status: 201,
    params: TenantParamsSchema,
    body: StartAccessReviewSchema,
    response: AccessReviewSchema,
  }),
  getAccessReview: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/access-reviews/:reviewId',
    summary: 'One campaign with every membership and its decision',
    tag: 'access-reviews',
    permission: 'access_reviews.read',
    status: 200,
    params: AccessReviewParamsSchema,
    response: AccessReviewSchema,
  }),
  decideAccessReviewItem: endpoint({
    method: 'PUT',
    path: '/v1/tenants/:tenantId/access-reviews/:reviewId/items/:userId',
    summary: 'Decide one membership: keep, change role or remove, with a comment (until the campaign closes)',
    tag: 'access-reviews',
    permission: 'access_reviews.decide',
    status: 200,
    params: AccessReviewItemParamsSchema,
    body: ReviewDecisionRequestSchema,
    response: AccessReviewItemSchema,
  }),
  closeAccessReview: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/access-reviews/:reviewId/close',
    summary: 'Close a fully decided campaign: its removals and role changes apply in one transaction (step-up required)',
    tag: 'access-reviews',
    permission: 'access_reviews.manage',
    status: 200,
    params: AccessReviewParamsSchema,
    response: AccessReviewSummarySchema,
  }),
  auditKeys: endpoint({
    method: 'GET',
    path: '/v1/audit/keys',
    summary: 'Every public key that has signed audit tree heads, current and retired',
    tag: 'audit',
    permission: 'authenticated',
    status: 200,
    response: AuditKeyListSchema,
  }),
  auditEvents: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/audit/events',
    summary: "A page of a tenant's audit events in sequence order (the nil UUID names the platform's log)",
    tag: 'audit',
    permission: 'audit.read',
    status: 200,
    params: AuditLogParamsSchema,
    query: AuditEventQuerySchema,
    response: AuditEventPageSchema,
  }),
  auditTreeHead: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/audit/sth',
    summary: 'The latest signed tree head of the log',
    tag: 'audit',
    permission: 'audit.read',
    status: 200,
    params: AuditLogParamsSchema,
    response: SignedTreeHeadSchema,
  }),
  auditIssueTreeHead: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/audit/sth',
    summary: 'Sign a tree head over the log as it stands now (or return the latest if nothing was appended since)',
    tag: 'audit',
    permission: 'audit.read',
    status: 200,
    params: AuditLogParamsSchema,
    response: SignedTreeHeadSchema,
  }),
  auditInclusionProof: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/audit/proof/inclusion',
    summary: 'Proof that event `seq` is in the tree of size `treeSize`',
    tag: 'audit',
    permission: 'audit.read',
    status: 200,
    params: AuditLogParamsSchema,
    query: InclusionProofQuerySchema,
    response: InclusionProofSchema,
  }),
  auditConsistencyProof: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/audit/proof/consistency',
    summary: 'Proof that the tree of size `to` extends the tree of size `from` unchanged',
    tag: 'audit',
    permission: 'audit.read',
    status: 200,
    params: AuditLogParamsSchema,
    query: ConsistencyProofQuerySchema,
    response: ConsistencyProofSchema,
  }),
} as const;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
export type ResponseOf<N extends EndpointName> = z.infer<Endpoints[N]['response']>;
