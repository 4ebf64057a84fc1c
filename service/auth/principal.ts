import type { Action, Grants } from '../../shared/identity/permissions';
import type { AuthenticatedOperator } from '../operators/operator-auth';
import type { SessionRecord } from '../sessions/session-repository';

/** Who is calling: a person in a session, or an operator's API token (a machine credential). */
export type Principal =
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly email: string;
      readonly grants: Grants;
      readonly session: SessionRecord;
      /** The tenants of the person's active memberships that are suspended (tenant_suspended there, see refuseSuspended). */
      readonly suspendedTenantIds: readonly string[];
    }
  | { readonly kind: 'operator'; readonly operator: AuthenticatedOperator; readonly grants: Grants }
  /**
   * A member's API token in one tenant: grants hold only the member's current
   * role there (no platform roles), and it may do only what its scopes name.
   */
  | {
      readonly kind: 'api_token';
      readonly tokenId: string;
      readonly tenantId: string;
      readonly userId: string;
      readonly scopes: readonly Action[];
      readonly grants: Grants;
      /** [tenantId] while the token's tenant is suspended. */
      readonly suspendedTenantIds: readonly string[];
    };

/** Operator API tokens act as platform admins; they cannot step up, so destructive actions are closed to them. */
export const OPERATOR_GRANTS: Grants = { platformRoles: ['platform_admin'], memberships: [] };

export type AuthFailure = 'missing' | 'invalid' | 'access_expired' | 'session_expired' | 'session_revoked';
export type AuthOutcome = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly reason: AuthFailure };

/** Resolves an Authorization header to a principal (service/auth/authenticate.ts). */
export type Authenticator = (authorization: string | undefined) => Promise<AuthOutcome>;

/** A token acts as its member: their events name them (the token's own events name the token in their target). */
export const actorOf = (p: Principal): { type: 'user' | 'operator'; id: string } =>
  p.kind === 'operator' ? { type: 'operator', id: p.operator.operatorId } : { type: 'user', id: p.userId };
