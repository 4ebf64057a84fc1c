import type { SessionTokens } from '../../../shared/identity/schemas';
import type { Credentials } from '../client/service-client';
import { ServiceError } from '../client/service-error';
import { CoreError } from '../core-error';
import type { Vault } from '../vault/vault';
import { isSessionEndedCode, type SessionEndedCode } from './session-ended';

/**
 * Holds the signed-in session's two tokens where each belongs: the refresh token
 * only in the OS keychain (so a restarted console resumes), the access token only
 * in this process's memory (so nothing on disk can call the service for 15 minutes
 * without the keychain). Neither is ever handed to anything but the service client.
 */
export interface TokenKeeper extends Credentials {
  /** Keeps the tokens of a completed sign-in. */
  adopt(tokens: SessionTokens): Promise<void>;
  /** Forgets both tokens: the keychain entry is deleted. */
  forget(): Promise<void>;
  /** Whether the keychain holds a refresh token: a session this console can try to resume. */
  hasStoredSession(): Promise<boolean>;
}

export interface TokenKeeperOptions {
  vault: Vault;
  /** Exchanges a refresh token for new tokens (POST /v1/auth/refresh). */
  refresh(refreshToken: string): Promise<SessionTokens>;
  /** The service said the session is over; the tokens are already forgotten. */
  onSessionEnded(code: SessionEndedCode, error: ServiceError): void;
  now?: () => number;
  /** Renew this long before the access token's stated expiry, for clock skew and latency. */
  earlyRenewalMs?: number;
}

const notSignedIn = (): CoreError => new CoreError('not_signed_in', 'Not signed in. Sign in to the console and try again.');

export function createTokenKeeper(options: TokenKeeperOptions): TokenKeeper {
  const { vault } = options;
  const now = options.now ?? Date.now;
  const earlyMs = options.earlyRenewalMs ?? 30_000;
  let access: { token: string; expiresAt: number } | undefined;
  // Bumped whenever the session changes hands (sign-in, sign-out), so a refresh that
  // was in flight across the change cannot write its stale result back.
  let generation = 0;
  let refreshing: Promise<string> | undefined;

  const forget = async (): Promise<void> => {
    generation += 1;
    access = undefined;
    await vault.delete('refresh-token');
  };

  const ended = async (code: SessionEndedCode, error: ServiceError): Promise<never> => {
    await forget().catch(() => undefined);
    options.onSessionEnded(code, error);
    throw error;
  };

  /** One refresh at a time: the refresh token rotates, and using one twice would revoke the session (theft detection). */
  const renewNow = (): Promise<string> => {
    refreshing ??= (async () => {
      const startedIn = generation;
      const stored = await vault.get('refresh-token');
      if (!stored) throw notSignedIn();
      let tokens: SessionTokens;
      try {
        tokens = await options.refresh(stored);
      } catch (error) {
        if (error instanceof ServiceError && isSessionEndedCode(error.code) && startedIn === generation) return ended(error.code, error);
        throw error;
      }
      if (startedIn !== generation) throw notSignedIn();
      await vault.set('refresh-token', tokens.refreshToken);
      access = { token: tokens.accessToken, expiresAt: Date.parse(tokens.accessExpiresAt) };
      return tokens.accessToken;
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  return {
    async accessToken() {
      if (access && access.expiresAt - earlyMs > now()) return access.token;
      return renewNow();
    },
    async renew(refused, error) {
      // A revoked session cannot be refreshed; asking would only add a failed attempt to the log.
      if (error.code === 'session_revoked') return ended(error.code, error);
      // Another call already renewed while this one was on its way.
      if (access && access.token !== refused) return access.token;
      return renewNow();
    },
    async adopt(tokens) {
      generation += 1;
      await vault.set('refresh-token', tokens.refreshToken);
      access = { token: tokens.accessToken, expiresAt: Date.parse(tokens.accessExpiresAt) };
    },
    forget,
    async hasStoredSession() {
      return (await vault.get('refresh-token')) !== null;
    },
  };
}
