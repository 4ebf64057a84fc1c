import type { ControlId } from '../../shared/posture/catalogue';
import { accessReviewsEvaluator, apiTokensEvaluator, leastPrivilegeEvaluator, noBreakGlassEvaluator } from './access-evaluators';
import { auditIntegrityEvaluator } from './audit-evaluator';
import type { Evaluator } from './evaluator';
import { mfaEvaluator, passwordHashingEvaluator, refreshRotationEvaluator, sessionLimitsEvaluator } from './identity-evaluators';
import { incidentDeadlinesEvaluator } from './incident-evaluator';
import { anomalousSignInsEvaluator } from './sign-in-evaluator';
import { transportEvaluator } from './transport-evaluator';

/** One evaluator per catalogue entry: a control without one does not compile. */
export const EVALUATORS: { readonly [K in ControlId]: Evaluator } = {
  'auth.mfa': mfaEvaluator,
  'auth.password_hashing': passwordHashingEvaluator,
  'auth.anomalous_sign_ins': anomalousSignInsEvaluator,
  'sessions.limits': sessionLimitsEvaluator,
  'sessions.refresh_rotation': refreshRotationEvaluator,
  'access.least_privilege': leastPrivilegeEvaluator,
  'access.reviews': accessReviewsEvaluator,
  'access.no_break_glass': noBreakGlassEvaluator,
  'access.api_tokens': apiTokensEvaluator,
  'audit.integrity': auditIntegrityEvaluator,
  'incidents.deadlines': incidentDeadlinesEvaluator,
  'transport.tls': transportEvaluator,
};
