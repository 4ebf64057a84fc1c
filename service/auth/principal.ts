import type { Grants } from '../../shared/identity/permissions';
import type { AuthenticatedOperator } from '../operators/operator-auth';
import type { SessionRecord } from '../sessions/session-repository';

/** Who is calling: a person in a session, or an operator's API token (a machine credential). */
export type Principal =
  | { readonly kind: 'user'; readonly userId: string; readonly email: string; readonly grants: Grants; readonly session: SessionRecord }
  | { readonly kind: 'operator'; readonly operator: AuthenticatedOperator; readonly grants: Grants };

/** Operator API tokens act as platform admins; they cannot step up, so destructive actions are closed to them. */
export const OPERATOR_GRANTS: Grants = { platformRoles: ['platform_admin'], memberships: [] };

export type AuthFailure = 'missing' | 'invalid' | 'access_expired' | 'session_expired' | 'session_revoked';
export type AuthOutcome = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: AuthFailure };

/** Resolves an Authorization header to a principal (service/auth/authenticate.ts). */
export type Authenticator = (authorization: string | undefined) => Promise<AuthOutcome>;

export const actorOf = (p: Principal): { type: 'user' | 'operator'; id: string } =>
  p.kind === 'user' ? { type: 'user', id: p.userId } : { type: 'operator', id: p.operator.operatorId };
