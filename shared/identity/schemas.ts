import { z } from 'zod';
import { SecretText } from '../common/text';
import { Timestamp } from '../common/primitives';
import { TenantIdSchema } from '../tenants/tenant';
import { PlatformRoleSchema, TenantRoleSchema } from './roles';


export const UserIdSchema = z.uuid();
export const EmailSchema = z.email().max(254);
/** Six digits, as authenticator apps show them. */
export const TotpCodeSchema = z.string().regex(/^\d{6}$/, 'expected the 6-digit code from your authenticator app');
/** Recovery codes are shown as xxxxx-xxxxx; the dash and case are optional on entry. */
export const RecoveryCodeSchema = SecretText.min(10).max(32);

export const SessionInfoSchema = z
  .object({
    id: z.uuid(),
    createdAt: Timestamp,
    /** The session ends at the earlier of these unless used (idle) — and at absoluteExpiresAt regardless. */
    idleExpiresAt: Timestamp,
    absoluteExpiresAt: Timestamp,
    /** Destructive actions are allowed until this time; null when no fresh code was entered. */
    stepUpUntil: Timestamp.nullable(),
  })
  .strict()
  .meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** What a completed sign-in or refresh returns. Only the console's main process ever holds these tokens. */
export const SessionTokensSchema = z
  .object({
    accessToken: z.string(),
    accessExpiresAt: Timestamp,
    refreshToken: z.string(),
    session: SessionInfoSchema,
  })
  .strict()
  .meta({ id: 'SessionTokens' });
export type SessionTokens = z.infer<typeof SessionTokensSchema>;

export const LoginRequestSchema = z.object({ email: EmailSchema, password: SecretText.min(1).max(1024) }).strict();

/** After the password: a second factor (mfa), enrolment of one (enrol), or — when MFA is neither enrolled nor required — done. */
export const LoginResponseSchema = z
  .discriminatedUnion('next', [
    z.object({ next: z.literal('mfa'), challengeId: z.uuid(), expiresAt: Timestamp }).strict(),
    z.object({ next: z.literal('enrol'), challengeId: z.uuid(), expiresAt: Timestamp }).strict(),
    z.object({ next: z.literal('done'), tokens: SessionTokensSchema }).strict(),
  ])
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const MfaRequestSchema = z.union([
  z.object({ challengeId: z.uuid(), code: TotpCodeSchema }).strict(),
  z.object({ challengeId: z.uuid(), recoveryCode: RecoveryCodeSchema }).strict(),
]);

export const EnrolStartRequestSchema = z.object({ challengeId: z.uuid() }).strict();
export const EnrolStartResponseSchema = z
  .object({
    /** otpauth://totp/… for the QR code. */
    otpauthUri: z.string().startsWith('otpauth://totp/'),
    /** The same secret in base32, for typing in by hand. */
    secret: z.string().regex(/^[A-Z2-7]+=*$/),
  })
  .strict()
  .meta({ id: 'EnrolStart' });
export type EnrolStart = z.infer<typeof EnrolStartResponseSchema>;

export const EnrolCompleteRequestSchema = z.object({ challengeId: z.uuid(), code: TotpCodeSchema }).strict();
export const EnrolCompleteResponseSchema = z
  .object({
    tokens: SessionTokensSchema,
    /** Shown once; only their hashes are stored. */
    recoveryCodes: z.array(z.string()).length(10),
  })
  .strict()
  .meta({ id: 'EnrolComplete' });
export type EnrolComplete = z.infer<typeof EnrolCompleteResponseSchema>;

export const RefreshRequestSchema = z.object({ refreshToken: SecretText.min(1).max(512) }).strict();
export const StepUpRequestSchema = z.object({ code: TotpCodeSchema }).strict();
export const StepUpResponseSchema = z.object({ stepUpUntil: Timestamp }).strict().meta({ id: 'StepUp' });
export const SignedOutSchema = z.object({ signedOut: z.literal(true) }).strict();

export const MembershipSchema = z
  .object({ tenantId: TenantIdSchema, tenantName: z.string(), role: TenantRoleSchema })
  .strict();
export type Membership = z.infer<typeof MembershipSchema>;

export const MeSchema = z
  .object({
    user: z.object({ id: UserIdSchema, email: EmailSchema, displayName: z.string() }).strict(),
    platformRoles: z.array(PlatformRoleSchema),
    memberships: z.array(MembershipSchema),
    mfa: z.object({ enrolled: z.boolean(), recoveryCodesRemaining: z.number().int().nonnegative() }).strict(),
    session: SessionInfoSchema,
  })
  .strict()
  .meta({ id: 'Me' });
export type Me = z.infer<typeof MeSchema>;

/** invited: has not accepted yet; deactivated: kept on the list, without access to the tenant. */
export const MEMBER_STATUSES = ['active', 'invited', 'deactivated'] as const;
export const MemberStatusSchema = z.enum(MEMBER_STATUSES);
export type MemberStatus = z.infer<typeof MemberStatusSchema>;

export const MemberSchema = z
  .object({
    userId: UserIdSchema,
    email: EmailSchema,
    displayName: z.string(),
    role: TenantRoleSchema,
    mfaEnrolled: z.boolean(),
    status: MemberStatusSchema,
    lastSignInAt: Timestamp.nullable(),
  })
  .strict()
  .meta({ id: 'Member' });
export type Member = z.infer<typeof MemberSchema>;

export const ChangeRoleRequestSchema = z.object({ role: TenantRoleSchema }).strict();
