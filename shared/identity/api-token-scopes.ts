import { PERMISSIONS, type Action } from './permissions';

/**
 * What an API token may be granted: reads, plus the writes a machine may do
 * without a person present. Nothing that needs step-up (a token cannot give a
 * code) and nothing about tokens themselves (a token cannot mint tokens). A
 * token's power is also capped by its member's current role in its tenant.
 */
export const API_TOKEN_WRITE_SCOPES = ['members.invite'] as const satisfies readonly Action[];

const NEVER: readonly Action[] = ['api_tokens.read', 'api_tokens.manage', 'api_tokens.revoke'];

export const API_TOKEN_SCOPES: readonly Action[] = [
  ...(Object.keys(PERMISSIONS) as Action[]).filter((a) => PERMISSIONS[a].kind === 'read' && !NEVER.includes(a)),
  ...API_TOKEN_WRITE_SCOPES,
];

export const isApiTokenScope = (value: string): value is Action => (API_TOKEN_SCOPES as readonly string[]).includes(value);
