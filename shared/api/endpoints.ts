import { z } from 'zod';
import {
  ChangeRoleRequestSchema,
  EnrolCompleteRequestSchema,
  EnrolCompleteResponseSchema,
  EnrolStartRequestSchema,
  EnrolStartResponseSchema,
  LoginRequestSchema,
  LoginResponseSchema,
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
import {
  AcceptInviteRequestSchema,
  InviteAcceptedSchema,
  InviteCreatedSchema,
  InviteRequestSchema,
  MemberListSchema,
  MemberQuerySchema,
  MfaPolicySchema,
  MfaPolicyStateSchema,
} from '../identity/members';
import type { Action } from '../identity/permissions';
import { TenantIdSchema, TenantSchema } from '../tenants/tenant';
import {
  CreateTenantRequestSchema,
  SetTenantPlanRequestSchema,
  TenantCreatedSchema,
  TenantListQuerySchema,
  TenantSettingsSchema,
  TenantStatusChangeRequestSchema,
  TenantSummarySchema,
  UpdateTenantSettingsRequestSchema,
} from '../tenants/api';
import {
  AuditEventPageSchema,
  AuditEventParamsSchema,
  AuditEventQuerySchema,
  AuditPullPageSchema,
  AuditPullQuerySchema,
  AuditExportQuerySchema,
  AuditLogParamsSchema,
  ConsistencyProofQuerySchema,
  ConsistencyProofSchema,
  InclusionProofQuerySchema,
  InclusionProofSchema,
  PersonalErasureSchema,
} from '../audit/api';
import { AuditKeyListSchema, SignedTreeHeadSchema } from '../audit/tree-head';
import { PostureSchema, PostureSnapshotListSchema, PostureSnapshotQuerySchema, PostureSnapshotSchema } from '../posture/api';
import { RemediationDeletedSchema, RemediationParamsSchema, RemediationPlanInputSchema, RemediationPlanListSchema, RemediationPlanSchema } from '../posture/remediation';
import {
  TRUST_PAGE_MAX_AGE_SECONDS,
  TrustPagePreviewRequestSchema,
  TrustPagePreviewSchema,
  TrustPagePublicationListSchema,
  TrustPagePublicationQuerySchema,
  TrustPagePublicationSchema,
  TrustSlugParamsSchema,
} from '../trust-page/api';
import { TrustPageBundleSchema } from '../trust-page/bundle';
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
  KeepUndecidedRequestSchema,
  KeepUndecidedResultSchema,
  ReviewDecisionRequestSchema,
  StartAccessReviewSchema,
} from '../access-reviews/schemas';
import {
  ApiTokenCreatedSchema,
  ApiTokenListSchema,
  ApiTokenParamsSchema,
  ApiTokenSummarySchema,
  CreateApiTokenRequestSchema,
  RotateApiTokenRequestSchema,
} from '../api-tokens/schemas';
import {
  FlagReviewParamsSchema,
  FlagReviewRequestSchema,
  FlagReviewResultSchema,
  RevokedSessionsSchema,
  SessionListQuerySchema,
  SessionListSchema,
  SessionParamsSchema,
} from '../sessions/schemas';
import { AuditEventSchema } from '../audit/event';
import {
  CutOffPlanSchema,
  CutOffRequestSchema,
  CutOffResultSchema,
  PeopleSearchQuerySchema,
  PeopleSearchResultSchema,
  PersonParamsSchema,
  PersonSchema,
} from '../people/schemas';
import {
  CreateIncidentRequestSchema,
  IncidentChangesPageSchema,
  IncidentChangesQuerySchema,
  IncidentDetailSchema,
  IncidentEditRequestSchema,
  IncidentEditResultSchema,
  IncidentListQuerySchema,
  IncidentListSchema,
  IncidentNoticeParamsSchema,
  IncidentParamsSchema,
  IncidentScopeParamsSchema,
  IncidentWriteParamsSchema,
  MarkdownExportSchema,
} from '../incidents/api';

/**
 * The service's HTTP API, declared once. The service validates requests and
 * responses with these schemas and generates /v1/openapi.json from them; the
 * console's client parses responses with the same schemas.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call an endpoint: 'public' (no credentials: health, sign-in steps that
 * carry their own challenge), 'optional' (open, but a credential sent is checked
 * and identifies the caller: accepting an invite, where an existing account must
 * be signed in as itself), 'authenticated' (any valid session or API token:
 * /v1/me, sign-out), or an action of the permission matrix, checked against the
 * caller's roles in the tenant named by the `tenantId` path parameter (or across
 * tenants where the path has none). Required on every endpoint: there is no default.
 */
export type Permission = 'public' | 'optional' | 'authenticated' | Action | OwnSessionOrAction;

/**
 * An action, except on the caller's own current session — named by the path
 * parameter `ownSession` — where being a member of the tenant is enough: ending
 * one's own session is signing out, and needs neither the action nor a step-up.
 */
export interface OwnSessionOrAction {
  readonly action: Action;
  readonly ownSession: string;
}

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  S extends StreamedBody | undefined = StreamedBody | undefined,
  D extends ServedDocument | undefined = ServedDocument | undefined,
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
  /** The JSON body; for a streamed endpoint, one record of the stream. */
  readonly response: R;
  /** Status of a successful response. */
  readonly status: 200 | 201 | 202 | 204;
  /**
   * Set on endpoints whose body is streamed rather than one JSON document (exports):
   * the content types it can produce, each as JSON lines of `response` records or as text.
   */
  readonly stream?: S;
  /**
   * Set on public documents served as stored (the published trust page and its
   * bundle): the handler returns the text and its content type; the route sends it
   * with Cache-Control public for `maxAgeSeconds`, a strong ETag (304 on a match)
   * and, where the handler gives one, the document's own Content-Security-Policy.
   */
  readonly document?: D;
}

export interface ServedDocument {
  readonly contentTypes: readonly string[];
  readonly maxAgeSeconds: number;
}

export interface StreamedBody {
  readonly contentTypes: Readonly<Record<string, 'json-lines' | 'text'>>;
}

const endpoint = <
  P extends z.ZodType = z.ZodNever,
  Q extends z.ZodType = z.ZodNever,
  B extends z.ZodType = z.ZodNever,
  R extends z.ZodType = z.ZodType,
  S extends StreamedBody | undefined = undefined,
  D extends ServedDocument | undefined = undefined,
>(
  e: Endpoint<P, Q, B, R, S, D>,
): Endpoint<P, Q, B, R, S, D> => e;

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
    summary: 'List tenants visible to the caller (platform staff: every tenant; members: theirs), filtered by region, plan and status',
    tag: 'tenants',
    permission: 'tenants.list',
    status: 200,
    query: TenantListQuerySchema,
    response: TenantListSchema,
  }),
  createTenant: endpoint({
    method: 'POST',
    path: '/v1/tenants',
    summary:
      "Create a tenant with its default security policy and invite its first owner, in one transaction; the invitation's token is returned once (platform admins with step-up, operator API tokens; 409 slug_taken; an invalid slug is 400 validation_failed naming body.slug)",
    tag: 'tenants',
    permission: 'tenants.create',
    status: 201,
    body: CreateTenantRequestSchema,
    response: TenantCreatedSchema,
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
  getTenantSummary: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/summary',
    summary: "The tenant's counts: members by status, MFA coverage of active members, live sessions, open incidents, and its audit log's size and latest signed head",
    tag: 'tenants',
    permission: 'tenants.summary',
    status: 200,
    params: TenantParamsSchema,
    response: TenantSummarySchema,
  }),
  getTenantSettings: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/settings',
    summary: "The tenant's name, plan, region, status, session limits with their bounds, and MFA enforcement",
    tag: 'tenants',
    permission: 'tenant_settings.read',
    status: 200,
    params: TenantParamsSchema,
    response: TenantSettingsSchema,
  }),
  updateTenantSettings: endpoint({
    method: 'PATCH',
    path: '/v1/tenants/:tenantId/settings',
    summary:
      'Change the name and the session limits, audited with before and after; new limits apply to existing sessions at their next request (step-up required; 400 session_limit_out_of_bounds with the bounds in details)',
    tag: 'tenants',
    permission: 'tenant_settings.write',
    status: 200,
    params: TenantParamsSchema,
    body: UpdateTenantSettingsRequestSchema,
    response: TenantSettingsSchema,
  }),
  setTenantPlan: endpoint({
    method: 'PUT',
    path: '/v1/tenants/:tenantId/plan',
    summary: "Change the tenant's plan, audited with before and after (platform admins; step-up required)",
    tag: 'tenants',
    permission: 'tenants.plan',
    status: 200,
    params: TenantParamsSchema,
    body: SetTenantPlanRequestSchema,
    response: TenantSettingsSchema,
  }),
  suspendTenant: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/suspend',
    summary:
      "Request suspending the tenant, with a reason: when another person approves, its members get 403 tenant_suspended for everything in it (their other tenants are not affected; data, logs and incident deadlines are kept; platform staff still reach it); step-up required; 409 conflict if already suspended",
    tag: 'tenants',
    permission: 'tenants.suspend',
    status: 202,
    params: TenantParamsSchema,
    body: TenantStatusChangeRequestSchema,
    response: ApprovalRequestSchema,
  }),
  reinstateTenant: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/reinstate',
    summary: 'Request reinstating a suspended tenant, with a reason: done when another person approves (step-up required; 409 conflict if not suspended)',
    tag: 'tenants',
    permission: 'tenants.suspend',
    status: 202,
    params: TenantParamsSchema,
    body: TenantStatusChangeRequestSchema,
    response: ApprovalRequestSchema,
  }),
  listMembers: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/members',
    summary: "A tenant's members with their roles and MFA state",
    tag: 'members',
    permission: 'members.read',
    status: 200,
    params: TenantParamsSchema,
    query: MemberQuerySchema,
    response: MemberListSchema,
  }),
  inviteMember: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/invites',
    summary: 'Invite someone by email with a role; the single-use token (72 h) is returned once',
    tag: 'members',
    permission: 'members.invite',
    status: 201,
    params: TenantParamsSchema,
    body: InviteRequestSchema,
    response: InviteCreatedSchema,
  }),
  acceptInvite: endpoint({
    method: 'POST',
    path: '/v1/invites/accept',
    summary:
      "Accept an invite with its token: a new account sets its password here (then signs in as usual); an existing account must send its own session's access token (401 auth_required without one, 403 invite_other_account for another account's or a machine's)",
    tag: 'members',
    permission: 'optional',
    status: 200,
    body: AcceptInviteRequestSchema,
    response: InviteAcceptedSchema,
  }),
  deactivateMember: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/members/:userId/deactivate',
    summary:
      "Deactivate a member: their access to this tenant and their API tokens here end at once; their sessions end too when this is their only active tenant (step-up required; 403 for platform staff)",
    tag: 'members',
    permission: 'members.deactivate',
    status: 200,
    params: MemberParamsSchema,
    response: MemberSchema,
  }),
  reactivateMember: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/members/:userId/reactivate',
    summary: 'Give a deactivated member their access back (step-up required)',
    tag: 'members',
    permission: 'members.deactivate',
    status: 200,
    params: MemberParamsSchema,
    response: MemberSchema,
  }),
  resetMemberMfa: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/members/:userId/mfa/reset',
    summary:
      "Clear an active member's authenticator and recovery codes and end their sessions; they enrol again at next sign-in. Account-wide: 403 account_wide_action when the person is active in another tenant (platform staff only then; step-up required)",
    tag: 'members',
    permission: 'mfa.reset',
    status: 200,
    params: MemberParamsSchema,
    response: MemberSchema,
  }),
  getMfaPolicy: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/mfa-policy',
    summary: "The tenant's MFA enforcement and, while it is off, its remediation plan",
    tag: 'members',
    permission: 'members.read',
    status: 200,
    params: TenantParamsSchema,
    response: MfaPolicyStateSchema,
  }),
  setMfaPolicy: endpoint({
    method: 'PUT',
    path: '/v1/tenants/:tenantId/mfa-policy',
    summary: 'Turn MFA enforcement on, or off with a remediation plan (step-up required)',
    tag: 'members',
    permission: 'mfa_policy.write',
    status: 200,
    params: TenantParamsSchema,
    body: MfaPolicySchema,
    response: MfaPolicyStateSchema,
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
  listApiTokens: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/api-tokens',
    summary: "A tenant's API tokens: age, last use, expiry, scopes, stale flag (never the secret)",
    tag: 'api-tokens',
    permission: 'api_tokens.read',
    status: 200,
    params: TenantParamsSchema,
    response: ApiTokenListSchema,
  }),
  createApiToken: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/api-tokens',
    summary: 'Create an API token acting as the caller in this tenant, with scopes and an expiry; the secret is returned once (step-up required)',
    tag: 'api-tokens',
    permission: 'api_tokens.manage',
    status: 201,
    params: TenantParamsSchema,
    body: CreateApiTokenRequestSchema,
    response: ApiTokenCreatedSchema,
  }),
  rotateApiToken: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/api-tokens/:tokenId/rotate',
    summary: "Replace one of one's own tokens: a new secret (returned once), the old one revoked at once (step-up required)",
    tag: 'api-tokens',
    permission: 'api_tokens.manage',
    status: 201,
    params: ApiTokenParamsSchema,
    body: RotateApiTokenRequestSchema,
    response: ApiTokenCreatedSchema,
  }),
  revokeApiToken: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/api-tokens/:tokenId/revoke',
    summary: 'Revoke an API token; its next request gets 401 (409 conflict if already revoked)',
    tag: 'api-tokens',
    permission: 'api_tokens.revoke',
    status: 200,
    params: ApiTokenParamsSchema,
    response: ApiTokenSummarySchema,
  }),
  searchPeople: endpoint({
    method: 'GET',
    path: '/v1/people',
    summary: 'People whose name or email contains the text, among the tenants the caller administers (platform staff: every account); at most 50',
    tag: 'people',
    permission: 'people.read',
    status: 200,
    query: PeopleSearchQuerySchema,
    response: PeopleSearchResultSchema,
  }),
  getPerson: endpoint({
    method: 'GET',
    path: '/v1/people/:userId',
    summary:
      "One person across the tenants the caller administers: memberships, live sessions, API tokens, MFA state and recent audit events about them (platform staff: the whole account); 404 for a person the caller cannot see",
    tag: 'people',
    permission: 'people.read',
    status: 200,
    params: PersonParamsSchema,
    response: PersonSchema,
  }),
  cutOffPlan: endpoint({
    method: 'GET',
    path: '/v1/people/:userId/cut-off',
    summary: 'What cutting this person off would do within the caller\'s authority, item by item (nothing changes)',
    tag: 'people',
    permission: 'people.read',
    status: 200,
    params: PersonParamsSchema,
    response: CutOffPlanSchema,
  }),
  cutOff: endpoint({
    method: 'POST',
    path: '/v1/people/:userId/cut-off',
    summary:
      "Cut the person off within the caller's authority, one transaction per scope, each item audited: tenant admins deactivate the membership, revoke its API tokens and end sessions where allowed; platform staff lock the account, end every session and token and reset MFA (an approval request where policy asks for one). Idempotent; 403 cut_off_self for oneself; step-up required",
    tag: 'people',
    permission: 'people.cut_off',
    status: 200,
    params: PersonParamsSchema,
    body: CutOffRequestSchema,
    response: CutOffResultSchema,
  }),
  listSessions: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/sessions',
    summary: "Live sessions of a tenant's active members, never of platform staff (filter by user, by anomaly flags)",
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
    summary:
      "Revoke one session (the caller's own current session needs no permission; any other needs sessions.revoke and step-up; 403 account_wide_action when its person is active in another tenant, unless platform staff)",
    tag: 'sessions',
    permission: { action: 'sessions.revoke', ownSession: 'sessionId' },
    status: 200,
    params: SessionParamsSchema,
    response: RevokedSessionsSchema,
  }),
  reviewSessionFlags: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/sessions/:sessionId/flag-review',
    summary:
      "Review a flagged sign-in: expected, or suspicious (which also ends the session; 403 account_wide_action when its person is active in another tenant, unless platform staff). Platform staff review their own staff's sessions under the nil tenant id. 409 already_reviewed, 409 session_not_flagged, 403 review_self (step-up required)",
    tag: 'sessions',
    permission: 'sessions.revoke',
    status: 200,
    params: FlagReviewParamsSchema,
    body: FlagReviewRequestSchema,
    response: FlagReviewResultSchema,
  }),
  revokeUserSessions: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/members/:userId/sessions/revoke',
    summary: "Revoke every session of one active member (step-up required; 403 account_wide_action when they are active in another tenant, unless platform staff)",
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
      "Request revoking every session of the tenant's active members except the caller's, sparing people active in another tenant and platform staff: runs (in one transaction) when another person approves (step-up required)",
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
  withdrawRequest: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/approvals/:approvalId/withdraw',
    summary: 'Withdraw one’s own pending request (its requester only: 403 approval_not_yours; 409 approval_decided or approval_expired once it is not pending), audited',
    tag: 'approvals',
    // Checked in the handler: only the request's requester.
    permission: 'authenticated',
    status: 200,
    params: ApprovalParamsSchema,
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
    summary: 'Decide one membership: keep, change role or remove, with a comment (until the campaign closes; never one’s own: 403 review_self)',
    tag: 'access-reviews',
    permission: 'access_reviews.decide',
    status: 200,
    params: AccessReviewItemParamsSchema,
    body: ReviewDecisionRequestSchema,
    response: AccessReviewItemSchema,
  }),
  keepUndecidedAccessReviewItems: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/access-reviews/:reviewId/keep-undecided',
    summary: 'Keep every membership still undecided, except one’s own, with one comment; each audited as access_review.decided (409 access_review_closed once closed)',
    tag: 'access-reviews',
    permission: 'access_reviews.decide',
    status: 200,
    params: AccessReviewParamsSchema,
    body: KeepUndecidedRequestSchema,
    response: KeepUndecidedResultSchema,
  }),
  closeAccessReview: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/access-reviews/:reviewId/close',
    summary:
      'Close a fully decided campaign: its removals and role changes apply in one transaction (step-up required; 409 last_owner without an active owner; 403 approval_self for who decided a removal or upgrade)',
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
  auditPull: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/audit/pull',
    summary: "Large pages of a log's events from a time on, in sequence order, with how many are left: how a console fills its offline copy",
    tag: 'audit',
    permission: 'audit.read',
    status: 200,
    params: AuditLogParamsSchema,
    query: AuditPullQuerySchema,
    response: AuditPullPageSchema,
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
  getPosture: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/posture',
    summary:
      "Every control evaluated now from live evidence, in the tenant's own scope (the platform's under the nil tenant id): status, evidence figures (aggregates only) and SOC 2 / ISO 27001 / GDPR mappings",
    tag: 'posture',
    permission: 'posture.read',
    status: 200,
    params: AuditLogParamsSchema,
    response: PostureSchema,
  }),
  createPostureSnapshot: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/posture/snapshots',
    summary:
      "Evaluate the posture now and store it; its SHA-256 is appended to the same log (the tenant's, or the platform's under the nil id) in the same transaction as a posture.snapshot event",
    tag: 'posture',
    permission: 'posture.snapshot',
    status: 201,
    params: AuditLogParamsSchema,
    response: PostureSnapshotSchema,
  }),
  listPostureSnapshots: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/posture/snapshots',
    summary: 'Stored posture snapshots, newest first (default 90, at most 366)',
    tag: 'posture',
    permission: 'posture.read',
    status: 200,
    params: AuditLogParamsSchema,
    query: PostureSnapshotQuerySchema,
    response: PostureSnapshotListSchema,
  }),
  previewTrustPage: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/trust-page',
    summary:
      "The trust page of the current evaluation (the platform's under the nil id), rendered as HTML or Markdown for preview: not signed, not anchored, not published, and it says so",
    tag: 'trust-page',
    permission: 'posture.read',
    status: 200,
    params: AuditLogParamsSchema,
    body: TrustPagePreviewRequestSchema,
    response: TrustPagePreviewSchema,
  }),
  publishTrustPage: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/trust-page/publications',
    summary:
      'Publish the trust page: a fresh snapshot anchored in the log, a tree head over it, its inclusion proof, signed and rendered; served from then on without a token at /trust/<slug> (the platform: /trust/_platform)',
    tag: 'trust-page',
    permission: 'trust_page.publish',
    status: 201,
    params: AuditLogParamsSchema,
    response: TrustPagePublicationSchema,
  }),
  listTrustPagePublications: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/trust-page/publications',
    summary: 'Published trust pages, newest first',
    tag: 'trust-page',
    permission: 'posture.read',
    status: 200,
    params: AuditLogParamsSchema,
    query: TrustPagePublicationQuerySchema,
    response: TrustPagePublicationListSchema,
  }),
  publicTrustPage: endpoint({
    method: 'GET',
    path: '/trust/:tenantSlug',
    summary: "The latest published trust page of a tenant (the platform's at _platform), HTML, to anyone; 404 when unknown, never published or suspended",
    tag: 'trust-page',
    permission: 'public',
    status: 200,
    params: TrustSlugParamsSchema,
    response: z.string(),
    document: { contentTypes: ['text/html'], maxAgeSeconds: TRUST_PAGE_MAX_AGE_SECONDS },
  }),
  publicTrustPageBundle: endpoint({
    method: 'GET',
    path: '/trust/:tenantSlug/snapshot.json',
    summary: 'The evidence bundle of the latest published trust page: signed snapshot, tree head, audit event and inclusion proof',
    tag: 'trust-page',
    permission: 'public',
    status: 200,
    params: TrustSlugParamsSchema,
    response: TrustPageBundleSchema,
    document: { contentTypes: ['application/json'], maxAgeSeconds: TRUST_PAGE_MAX_AGE_SECONDS },
  }),
  listRemediations: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/posture/remediations',
    summary: "The remediation plans kept for the tenant's controls (the platform's under the nil id), each with its owner's id and display name",
    tag: 'posture',
    permission: 'posture.read',
    status: 200,
    params: AuditLogParamsSchema,
    response: RemediationPlanListSchema,
  }),
  putRemediation: endpoint({
    method: 'PUT',
    path: '/v1/tenants/:tenantId/posture/remediations/:controlId',
    summary:
      "Set a control's remediation plan, audited (404 unknown_control; 400 control_not_applicable for a control not evaluated in this scope, remediation_owner_invalid for an owner who is not an active owner or admin (platform staff for the platform), target_date_in_past)",
    tag: 'posture',
    permission: 'posture.remediate',
    status: 200,
    params: RemediationParamsSchema,
    body: RemediationPlanInputSchema,
    response: RemediationPlanSchema,
  }),
  deleteRemediation: endpoint({
    method: 'DELETE',
    path: '/v1/tenants/:tenantId/posture/remediations/:controlId',
    summary: "Remove a control's remediation plan, audited (404 unknown_control, 404 remediation_not_found)",
    tag: 'posture',
    permission: 'posture.remediate',
    status: 200,
    params: RemediationParamsSchema,
    response: RemediationDeletedSchema,
  }),
  auditIssueTreeHead: endpoint({
    method: 'POST',
    path: '/v1/tenants/:tenantId/audit/sth',
    summary: 'Sign a tree head over the log as it stands now (or return the latest if nothing was appended since)',
    tag: 'audit',
    permission: 'audit.sign_head',
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
  auditErasePersonal: endpoint({
    method: 'DELETE',
    path: '/v1/tenants/:tenantId/audit/events/:seq/personal',
    summary: "Erase an audit event's personal data (right to erasure); the event and its leaf stay and still verify",
    tag: 'audit',
    permission: 'audit.erase_personal',
    status: 200,
    params: AuditEventParamsSchema,
    response: PersonalErasureSchema,
  }),
  auditExport: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/audit/export',
    summary: 'The log as it stands (or a time range of it), streamed as NDJSON (one AuditEvent per line) or CSV, with an attachment file name',
    tag: 'audit',
    permission: 'audit.read',
    status: 200,
    params: AuditLogParamsSchema,
    query: AuditExportQuerySchema,
    response: AuditEventSchema,
    stream: { contentTypes: { 'application/x-ndjson': 'json-lines', 'text/csv': 'text' } },
  }),
  createIncident: endpoint({
    method: 'POST',
    path: '/v1/incidents',
    summary: 'Open an incident (platform staff); its deadlines are computed from the policy, never given',
    tag: 'incidents',
    permission: 'incidents.write',
    status: 201,
    body: CreateIncidentRequestSchema,
    response: IncidentDetailSchema,
  }),
  applyIncidentEdit: endpoint({
    method: 'POST',
    path: '/v1/incidents/:incidentId/edits',
    summary: 'Apply an edit once per idempotency key: a resend returns the first result; a stale base version is a 409 edit_conflict',
    tag: 'incidents',
    permission: 'incidents.write',
    status: 200,
    params: IncidentWriteParamsSchema,
    body: IncidentEditRequestSchema,
    response: IncidentEditResultSchema,
  }),
  listIncidents: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/incidents',
    summary: "Incidents affecting the tenant (the nil UUID: every incident, platform roles only), filtered by severity, status, overdue",
    tag: 'incidents',
    permission: 'incidents.read',
    status: 200,
    params: IncidentScopeParamsSchema,
    query: IncidentListQuerySchema,
    response: IncidentListSchema,
  }),
  incidentChanges: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/incidents/changes',
    summary: 'Incidents changed after a cursor, in commit order, with the timeline entries added since: what sync pulls',
    tag: 'incidents',
    permission: 'incidents.read',
    status: 200,
    params: IncidentScopeParamsSchema,
    query: IncidentChangesQuerySchema,
    response: IncidentChangesPageSchema,
  }),
  getIncident: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/incidents/:incidentId',
    summary: 'One incident with its timeline, deadlines (at the service clock) and notices',
    tag: 'incidents',
    permission: 'incidents.read',
    status: 200,
    params: IncidentParamsSchema,
    response: IncidentDetailSchema,
  }),
  exportIncidentNotice: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/incidents/:incidentId/notices/:kind/markdown',
    summary: "The tenant's notice of this kind as Markdown (the draft until sent, then the text as sent)",
    tag: 'incidents',
    permission: 'incidents.read',
    status: 200,
    params: IncidentNoticeParamsSchema,
    response: MarkdownExportSchema,
  }),
  exportIncidentReview: endpoint({
    method: 'GET',
    path: '/v1/tenants/:tenantId/incidents/:incidentId/review/markdown',
    summary: 'The post-incident review as Markdown: summary, deadlines met or missed, timeline',
    tag: 'incidents',
    permission: 'incidents.read',
    status: 200,
    params: IncidentParamsSchema,
    response: MarkdownExportSchema,
  }),
} as const;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
export type ResponseOf<N extends EndpointName> = z.infer<Endpoints[N]['response']>;
