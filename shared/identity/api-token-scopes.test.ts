import { describe, expect, it } from 'vitest';
import { API_TOKEN_SCOPES, isApiTokenScope } from './api-token-scopes';
import { PERMISSIONS } from './permissions';

describe('API token scopes', () => {
  it('holds every read except reading tokens, and only writes that need no step-up', () => {
    for (const scope of API_TOKEN_SCOPES) {
      expect(PERMISSIONS[scope].stepUp).toBe(false);
      expect(scope.startsWith('api_tokens.')).toBe(false);
    }
    expect(API_TOKEN_SCOPES.filter((s) => PERMISSIONS[s].kind === 'write')).toEqual(['members.invite']);
    expect(API_TOKEN_SCOPES).toContain('members.read');
    expect(API_TOKEN_SCOPES).toContain('audit.read');
  });
  it('refuses destructive writes and token management', () => {
    for (const s of ['members.deactivate', 'sessions.revoke', 'api_tokens.manage', 'api_tokens.read', 'nonsense']) expect(isApiTokenScope(s)).toBe(false);
    expect(isApiTokenScope('members.read')).toBe(true);
  });
});
