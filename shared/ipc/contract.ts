import { z } from 'zod';
import { tableChannels } from './tables';
import { SecretText } from '../common/text';
import {
  EmailSchema,
  MemberSchema,
  MeSchema,
  RecoveryCodeSchema,
  TotpCodeSchema,
  UserIdSchema,
} from '../identity/schemas';
import { TenantRoleSchema } from '../identity/roles';
import { ApiTokenCreatedSchema, ApiTokenIdSchema, ApiTokenSummarySchema, CreateApiTokenRequestSchema, RotateApiTokenRequestSchema } from '../api-tokens/schemas';
import { FlagReviewRequestSchema, FlagReviewResultSchema, RevokedSessionsSchema, SESSION_PAGE_MAX, SessionCursorSchema, SessionIdSchema } from '../sessions/schemas';
import {
  AcceptInviteRequestSchema,
  InviteAcceptedSchema,
  InviteCreatedSchema,
  InviteRequestSchema,
  InviteTokenSchema,
  MemberQuerySchema,
  MfaPolicySchema,
  MfaPolicyStateSchema,
} from '../identity/members';
import { TenantIdSchema, TenantSchema } from '../tenants/tenant';
import {
  CreateTenantRequestSchema,
  SetTenantPlanRequestSchema,
  TenantCreatedSchema,
  TenantSettingsSchema,
  TenantStatusChangeRequestSchema,
  TenantSummarySchema,
  UpdateTenantSettingsRequestSchema,
} from '../tenants/api';
import {
  AccessReviewItemSchema,
  AccessReviewSchema,
  AccessReviewSummarySchema,
  KeepUndecidedResultSchema,
  ReviewCommentSchema,
  ReviewDecisionSchema,
  StartAccessReviewSchema,
} from '../access-reviews/schemas';
import { ApprovalDecisionInputSchema, ApprovalParamsSchema, ApprovalRequestSchema, BulkRemoveMembersRequestSchema, PlatformRoleRequestSchema, ReasonSchema } from '../approvals/schemas';
import { AuditEventPageSchema } from '../audit/api';
import {
  AuditAlertSchema,
  AuditDismissAlertInputSchema,
  AuditEventsInputSchema,
  AuditExportInputSchema,
  AuditExportResultSchema,
  AuditProgressSchema,
  AuditStatusInputSchema,
  AuditStatusSchema,
  AuditVerifyEventInputSchema,
  AuditVerifyLogInputSchema,
  EventVerificationSchema,
  VerifyLogResultSchema,
} from './audit';
import { IncidentAlertSchema, incidentChannels, IncidentOpenSchema, SyncStatusSchema } from './incidents';
import { MemberListOutputSchema, SessionListOutputSchema } from './directory';
import { postureChannels } from './posture';
import { trustPageChannels } from './trust-page';
import { peopleChannels } from './people';
import { serviceConnectionChannels, ServiceSetupSchema } from './service-connection';

/**
 * The console's IPC contract: every channel the renderer may invoke and every
 * event it may subscribe to. The main process validates each input with these
 * schemas before a handler runs, and each output before it leaves, so nothing
 * outside the contract (a token, a key) can reach the renderer.
 */
const NoInput = z.object({}).strict();

/** syncing: online, pushing the offline outbox or pulling changes. */
export const ConnectionStateSchema = z.enum(['online', 'offline', 'certificate_problem', 'signed_out', 'syncing']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export const ConnectionStatusSchema = z
  .object({
    state: ConnectionStateSchema,
    serviceUrl: z.string(),
    checkedAt: z.iso.datetime({ offset: true }),
    /** What the user should know or do next, for any state but online. */
    message: z.string().optional(),
    /** Pinned and presented SPKI SHA-256 fingerprints, for certificate_problem. */
    expectedFingerprint: z.string().optional(),
    presentedFingerprint: z.string().optional(),
    /** Offline edits journaled and not yet applied by the service. */
    pendingEdits: z.number().int().nonnegative().optional(),
  })
  .strict();
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

export const AppInfoSchema = z
  .object({
    version: z.string(),
    mode: z.enum(['electron', 'browser']),
    platform: z.string(),
  })
  .strict();
export type AppInfo = z.infer<typeof AppInfoSchema>;

/**
 * Where the console's sign-in stands. The core keeps the challenge and the tokens;
 * the renderer only learns which step to show.
 */
export const AuthStateSchema = z.discriminatedUnion('step', [
  z
    .object({
      step: z.literal('signed_out'),
      /** Why the user is here, when it was not their own choice (session revoked, expired …). */
      reason: z.string().optional(),
      code: z.string().optional(),
    })
    .strict(),
  z.object({ step: z.literal('mfa'), email: z.string(), expiresAt: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ step: z.literal('enrol'), email: z.string(), expiresAt: z.iso.datetime({ offset: true }) }).strict(),
  z.object({ step: z.literal('signed_in'), me: MeSchema }).strict(),
]);
export type AuthState = z.infer<typeof AuthStateSchema>;

export const ipcChannels = {
  'app.info': { input: NoInput, output: AppInfoSchema },
  'connection.status': { input: NoInput, output: ConnectionStatusSchema },
  /** Probe the service now (instead of waiting for the next periodic check). */
  'connection.retry': { input: NoInput, output: ConnectionStatusSchema },
  /** When the service cannot be reached: the tenants as the last sync listed them. */
  'tenants.list': { input: NoInput, output: z.array(TenantSchema) },
  'tenants.get': { input: z.object({ id: TenantIdSchema }).strict(), output: TenantSchema },
  /** Platform staff (tenants.create), step-up. The owner's invitation token is in the output once; the core keeps no copy. */
  'tenants.create': { input: CreateTenantRequestSchema, output: TenantCreatedSchema },
  /** Name, plan, region, status, session limits with their bounds, MFA enforcement: owners, admins, platform staff. */
  'tenants.settings': { input: z.object({ tenantId: TenantIdSchema }).strict(), output: TenantSettingsSchema },
  /** Owners and admins: the name and session limits (step-up; out of bounds is session_limit_out_of_bounds). */
  'tenants.updateSettings': { input: UpdateTenantSettingsRequestSchema.extend({ tenantId: TenantIdSchema }).strict(), output: TenantSettingsSchema },
  /** Counts for the Tenant page: members by status, MFA coverage, live sessions, open incidents, the audit head. */
  'tenants.summary': { input: z.object({ tenantId: TenantIdSchema }).strict(), output: TenantSummarySchema },
  /**
   * Platform staff (tenants.suspend, step-up): asks for the tenant to be suspended or reinstated, with a
   * reason; a pending approval request that another person decides (approvals.approve).
   */
  'tenants.suspend': { input: TenantStatusChangeRequestSchema.extend({ tenantId: TenantIdSchema }).strict(), output: ApprovalRequestSchema },
  'tenants.reinstate': { input: TenantStatusChangeRequestSchema.extend({ tenantId: TenantIdSchema }).strict(), output: ApprovalRequestSchema },
  /** Platform admins (step-up). */
  'tenants.setPlan': { input: SetTenantPlanRequestSchema.extend({ tenantId: TenantIdSchema }).strict(), output: TenantSettingsSchema },

  'auth.state': { input: NoInput, output: AuthStateSchema },
  /** Password step. The password goes to the service and is forgotten. */
  'auth.login': {
    input: z.object({ email: EmailSchema, password: SecretText.min(1).max(1024) }).strict(),
    output: AuthStateSchema,
  },
  'auth.verify': {
    input: z.union([z.object({ code: TotpCodeSchema }).strict(), z.object({ recoveryCode: RecoveryCodeSchema }).strict()]),
    output: AuthStateSchema,
  },
  /** The enrolment secret is shown to the user once, as a QR code and as text. */
  'auth.enrolStart': {
    input: NoInput,
    output: z.object({ otpauthUri: z.string(), secret: z.string() }).strict(),
  },
  'auth.enrolComplete': {
    input: z.object({ code: TotpCodeSchema }).strict(),
    output: z.object({ state: AuthStateSchema, recoveryCodes: z.array(z.string()) }).strict(),
  },
  /** Abandon a sign-in in progress (back to the password step). */
  'auth.cancel': { input: NoInput, output: AuthStateSchema },
  'auth.logout': { input: NoInput, output: AuthStateSchema },
  'auth.stepUp': {
    input: z.object({ code: TotpCodeSchema }).strict(),
    output: z.object({ stepUpUntil: z.iso.datetime({ offset: true }) }).strict(),
  },
  /**
   * Signed out: a new account accepts its invitation (the token and the password go to the
   * service and are forgotten), then signs in with that email and password; the output is
   * the next sign-in step (enrolment where MFA is required). An existing account is refused
   * (auth_required): it signs in first and uses invites.accept.
   */
  'auth.acceptInvite': {
    input: z
      .object({ token: InviteTokenSchema, email: EmailSchema, password: SecretText.min(1).max(1024), displayName: AcceptInviteRequestSchema.shape.displayName })
      .strict(),
    output: AuthStateSchema,
  },
  /** Signed in: accepts an invitation for the signed-in account, with its session; auth.changed carries the new membership. */
  'invites.accept': { input: z.object({ token: InviteTokenSchema }).strict(), output: InviteAcceptedSchema },

  /**
   * A page of members with the filters and order of MemberQuerySchema, and the tenant's MFA counts.
   * When the service cannot be reached: the offline copy, with `offline` set.
   */
  'members.list': { input: z.object({ tenantId: TenantIdSchema, query: MemberQuerySchema.partial().optional() }).strict(), output: MemberListOutputSchema },
  /** The invite token is in the output once (to copy and hand over); the core keeps no copy. */
  'members.invite': { input: z.object({ tenantId: TenantIdSchema }).extend(InviteRequestSchema.shape).strict(), output: InviteCreatedSchema },
  /** Destructive: ends all of the member's sessions. Step-up. */
  'members.deactivate': { input: z.object({ tenantId: TenantIdSchema, userId: UserIdSchema }).strict(), output: MemberSchema },
  'members.reactivate': { input: z.object({ tenantId: TenantIdSchema, userId: UserIdSchema }).strict(), output: MemberSchema },
  /** Destructive: clears the member's authenticator and recovery codes, ends their sessions. Step-up. */
  'members.resetMfa': { input: z.object({ tenantId: TenantIdSchema, userId: UserIdSchema }).strict(), output: MemberSchema },
  'members.mfaPolicy': { input: z.object({ tenantId: TenantIdSchema }).strict(), output: MfaPolicyStateSchema },
  /** Step-up. Off needs a remediation plan. */
  'members.setMfaPolicy': { input: z.object({ tenantId: TenantIdSchema, policy: MfaPolicySchema }).strict(), output: MfaPolicyStateSchema },
  /** Destructive: fails with step_up_required until auth.stepUp succeeded in the last few minutes. */
  'members.changeRole': {
    input: z.object({ tenantId: TenantIdSchema, userId: UserIdSchema, role: TenantRoleSchema }).strict(),
    output: MemberSchema,
  },

  /** A page of a log's events as the service serves them (unverified: see audit.verifyEvent). */
  'audit.events': { input: AuditEventsInputSchema, output: AuditEventPageSchema },
  /** What the core has verified of a log, and its alerts; refresh fetches and checks the newest tree head first. */
  'audit.status': { input: AuditStatusInputSchema, output: AuditStatusSchema },
  /** Fetches one event and checks its inclusion proof against the latest verified tree head. */
  'audit.verifyEvent': { input: AuditVerifyEventInputSchema, output: EventVerificationSchema },
  /** Recomputes the whole log's root (progress as audit.progress events). */
  'audit.verifyLog': { input: AuditVerifyLogInputSchema, output: VerifyLogResultSchema },
  /** An alert is only dismissed with a note saying why; both are kept. */
  'audit.dismissAlert': { input: AuditDismissAlertInputSchema, output: AuditAlertSchema },
  /** The core asks where to save (a dialog in Electron); the renderer never names a path. */
  'audit.export': { input: AuditExportInputSchema, output: AuditExportResultSchema },
  /**
   * Live sessions of the tenant's members; `flagged` true lists only anomalous sign-ins, false only the others.
   * When the service cannot be reached: the offline copy (less the sessions expired since), with `offline` set.
   */
  'sessions.list': {
    input: z
      .object({
        tenantId: TenantIdSchema,
        userId: UserIdSchema.optional(),
        flagged: z.boolean().optional(),
        /** Paging (newest start first): the previous page's nextCursor, and the page size. Without both, every session at once. */
        cursor: SessionCursorSchema.optional(),
        limit: z.number().int().min(1).max(SESSION_PAGE_MAX).optional(),
      })
      .strict(),
    output: SessionListOutputSchema,
  },
  /** Destructive unless it is the caller's current session: step_up_required until auth.stepUp. */
  'sessions.revoke': { input: z.object({ tenantId: TenantIdSchema, sessionId: SessionIdSchema }).strict(), output: RevokedSessionsSchema },
  /**
   * Reviews a flagged sign-in: expected, or suspicious (which also ends the session). Step-up;
   * already_reviewed, session_not_flagged, review_self, account_wide_action as the service says.
   */
  'sessions.reviewFlags': {
    input: z.object({ tenantId: TenantIdSchema, sessionId: SessionIdSchema }).extend(FlagReviewRequestSchema.shape).strict(),
    output: FlagReviewResultSchema,
  },
  'sessions.revokeUser': { input: z.object({ tenantId: TenantIdSchema, userId: UserIdSchema }).strict(), output: RevokedSessionsSchema },
  /**
   * Asks for every session of the tenant's members except this console's own to be
   * revoked: a pending approval request; another person must approve it (approvals.approve).
   */
  'sessions.revokeAllButMine': { input: z.object({ tenantId: TenantIdSchema, reason: ReasonSchema }).strict(), output: ApprovalRequestSchema },
  /** Requests the caller may decide, and the caller's own, newest first. */
  'approvals.list': { input: NoInput, output: z.array(ApprovalRequestSchema) },
  /** Destructive (the action runs): step_up_required until auth.stepUp; approval_self for one's own request. */
  'approvals.approve': { input: ApprovalDecisionInputSchema, output: ApprovalRequestSchema },
  'approvals.deny': { input: ApprovalDecisionInputSchema, output: ApprovalRequestSchema },
  /** One's own pending request, taken back: approval_not_yours for anyone else's, approval_decided once decided. */
  'approvals.withdraw': { input: ApprovalParamsSchema, output: ApprovalRequestSchema },
  /** Asks for removing several members (runs when another person approves). */
  'approvals.requestMemberRemoval': {
    input: z.object({ tenantId: TenantIdSchema, userIds: BulkRemoveMembersRequestSchema.shape.userIds, reason: ReasonSchema }).strict(),
    output: ApprovalRequestSchema,
  },
  /** Asks for a platform role for someone, for N hours (runs when another person approves, then expires by itself). */
  'approvals.requestPlatformRole': { input: PlatformRoleRequestSchema, output: ApprovalRequestSchema },
  'accessReviews.list': { input: z.object({ tenantId: TenantIdSchema }).strict(), output: z.array(AccessReviewSummarySchema) },
  /** Step-up: step_up_required until auth.stepUp. */
  'accessReviews.start': { input: StartAccessReviewSchema.extend({ tenantId: TenantIdSchema }), output: AccessReviewSchema },
  'accessReviews.get': { input: z.object({ tenantId: TenantIdSchema, reviewId: z.uuid() }).strict(), output: AccessReviewSchema },
  'accessReviews.decide': {
    input: z
      .object({ tenantId: TenantIdSchema, reviewId: z.uuid(), userId: UserIdSchema, decision: ReviewDecisionSchema, newRole: TenantRoleSchema.optional(), comment: ReviewCommentSchema.default('') })
      .strict(),
    output: AccessReviewItemSchema,
  },
  /** Applies the campaign's removals and role changes; step_up_required until auth.stepUp. */
  /** Keeps every undecided membership but one's own, with one comment (each audited as its own decision). */
  'accessReviews.keepUndecided': { input: z.object({ tenantId: TenantIdSchema, reviewId: z.uuid(), comment: ReviewCommentSchema }).strict(), output: KeepUndecidedResultSchema },
  'accessReviews.close': { input: z.object({ tenantId: TenantIdSchema, reviewId: z.uuid() }).strict(), output: AccessReviewSummarySchema },
  /** A tenant's API tokens with age, last use, expiry, scopes and the stale flag; never a secret. */
  'apiTokens.list': { input: z.object({ tenantId: TenantIdSchema }).strict(), output: z.array(ApiTokenSummarySchema) },
  /** Step-up. The secret is in the output once (to copy and hand to the machine); the core keeps no copy. */
  'apiTokens.create': { input: CreateApiTokenRequestSchema.extend({ tenantId: TenantIdSchema }).strict(), output: ApiTokenCreatedSchema },
  /** Step-up. A new secret (once); the old one stops working at once. */
  'apiTokens.rotate': { input: RotateApiTokenRequestSchema.extend({ tenantId: TenantIdSchema, tokenId: ApiTokenIdSchema }).strict(), output: ApiTokenCreatedSchema },
  'apiTokens.revoke': { input: z.object({ tenantId: TenantIdSchema, tokenId: ApiTokenIdSchema }).strict(), output: ApiTokenSummarySchema },
  ...incidentChannels,
  ...postureChannels,
  ...trustPageChannels,
  ...peopleChannels,
  ...serviceConnectionChannels,
  ...tableChannels,
} as const;

export const ipcEvents = {
  'connection.changed': ConnectionStatusSchema,
  'auth.changed': AuthStateSchema,
  'audit.progress': AuditProgressSchema,
  /** A new integrity or key alert. */
  'audit.alert': AuditAlertSchema,
  /** The outbox, conflicts or replica changed (an edit saved, a sync step done): reread what is shown. */
  'incidents.changed': SyncStatusSchema,
  /** Electron main shows it as a desktop notification; browser mode, as a toast in the page. */
  'incidents.alert': IncidentAlertSchema,
  /** From Electron main, not the core: the user clicked an incident's desktop notification. */
  'incidents.open': IncidentOpenSchema,
  /** The console now runs against another service (or none): the page starts over. */
  'service.changed': ServiceSetupSchema,
  /** From Electron main, not the core: the person chose "Connect to another service…" in the app menu. */
  'service.choose': z.object({}).strict(),
} as const;

export type IpcChannels = typeof ipcChannels;
export type IpcChannel = keyof IpcChannels;
export type IpcInput<C extends IpcChannel> = z.input<IpcChannels[C]['input']>;
export type IpcOutput<C extends IpcChannel> = z.infer<IpcChannels[C]['output']>;
export type IpcEvents = typeof ipcEvents;
export type IpcEvent = keyof IpcEvents;
export type IpcEventPayload<E extends IpcEvent> = z.infer<IpcEvents[E]>;

export const isIpcChannel = (name: unknown): name is IpcChannel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(ipcChannels, name);
export const isIpcEvent = (name: unknown): name is IpcEvent =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(ipcEvents, name);

export const IpcErrorSchema = z.object({ code: z.string(), message: z.string() }).strict();
export type IpcErrorShape = z.infer<typeof IpcErrorSchema>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorShape };

/** An error surfaced to the renderer: a stable code and a message that says what to do next. */
export class IpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

/**
 * What the renderer sees as `window.attest`, provided by the Electron preload or,
 * in browser mode, by the WebSocket bridge.
 */
export interface AttestBridge {
  invoke<C extends IpcChannel>(channel: C, input: IpcInput<C>): Promise<IpcOutput<C>>;
  subscribe<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}
