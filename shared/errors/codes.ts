import { z } from 'zod';

/**
 * Stable error codes. Clients branch on these, so a code is never renamed or reused;
 * add new ones at the end of their group.
 */
export const ERROR_CODES = [
  // request shape
  'bad_request',
  'invalid_json',
  'validation_failed',
  'payload_too_large',
  'unsupported_media_type',
  'route_not_found',
  'method_not_allowed',
  // authentication and authorisation
  'auth_required',
  'invalid_token',
  'forbidden',
  // resources
  'not_found',
  'conflict',
  // service
  'rate_limited',
  'internal_error',
  'service_unavailable',
  // console core (IPC)
  'unknown_channel',
  'invalid_input',
  'invalid_output',
  'service_unreachable',
  'certificate_mismatch',
  'not_signed_in',
  'keychain_unavailable',
  'unexpected_response',
  'response_too_large',
  // console core: connecting to a service (Connect screen)
  'not_connected',
  'unsynced_edits',
  'not_available',
  'connection_too_large',
  'connection_unreadable',
  'connection_unknown_version',
  'connection_insecure_url',
  'connection_bad_fingerprint',
  'connection_invalid',
  // identity (sign-in, MFA, sessions)
  'invalid_credentials',
  'invalid_mfa_code',
  'mfa_code_replayed',
  'invalid_recovery_code',
  'challenge_invalid',
  'enrolment_required',
  'step_up_required',
  'session_expired',
  'session_revoked',
  'account_locked',
  'password_policy',
  'last_owner',
  'session_already_revoked',
  'account_deactivated',
  'invite_invalid',
  'invite_expired',
  'invite_used',
  'already_member',
  'approval_self',
  'approval_expired',
  'approval_decided',
  'approval_not_yours',
  'access_review_closed',
  'access_review_incomplete',
  // issue 11: what a tenant may do to a person's account
  'account_wide_action',
  'invite_other_account',
  'review_self',
  // issue 12: tenants
  'slug_taken',
  'session_limit_out_of_bounds',
  'tenant_suspended',
  // console bridge (browser mode)
  'bridge_unavailable',
  'bridge_not_authorised',
  // console: an invitation accepted, the sign-in right after it failed (wrong email typed)
  'invite_accepted_sign_in_failed',
  // audit log
  'tree_size_out_of_range',
  'audit_integrity_failed',
  'audit_key_changed',
  'audit_log_inconsistent',
  // offline
  'outbox_key_mismatch',
  'outbox_corrupt',
  'outbox_unsupported_format',
  'outbox_unavailable',
  'replica_key_mismatch',
  'replica_corrupt',
  'replica_unsupported_format',
  'not_in_offline_copy',
  // incidents
  'edit_conflict',
  'transition_not_allowed',
  'no_change',
  'idempotency_key_reused',
  'tenant_not_affected',
  'incident_time_before_detection',
  'incident_time_in_future',
  'tenant_already_notified',
  'incident_time_before_creation',
  // posture: remediation plans and sign-in flag reviews
  'unknown_control',
  'control_not_applicable',
  'remediation_owner_invalid',
  'target_date_in_past',
  'remediation_not_found',
  'already_reviewed',
  'session_not_flagged',
  // people (issue 14)
  'cut_off_self',
  'downgrade_reason_required',
  'unsent_notices_reason_required',
  'incident_exists',
  // sessions paging (issue 14)
  'invalid_cursor',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

/** The JSON body of every non-2xx response of the service. */
export const ApiErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      requestId: z.string(),
      /** Field-level problems of a validation_failed error. */
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      /** What the client needs to act on the error, per code (e.g. edit_conflict: the current incident). */
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;
