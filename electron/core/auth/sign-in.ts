import type { EnrolStart, Me, SessionTokens } from '../../../shared/identity/schemas';
import type { AuthState, IpcInput } from '../../../shared/ipc/contract';
import type { ServiceClient } from '../client/service-client';
import { ServiceError } from '../client/service-error';
import { CoreError, isCoreError } from '../core-error';
import { isSessionEndedCode, sessionEndedReason, type SessionEndedCode } from './session-ended';
import type { TokenKeeper } from './token-keeper';

/**
 * The console's sign-in, as a state machine behind the auth.* channels:
 *
 *   signed_out ──login──▶ mfa ──verify──▶ signed_in ──logout / session ended──▶ signed_out
 *        │                 └──(enrolment required)──▶ enrol ──enrolComplete──▶ signed_in
 *        └──────────── resume (refresh token in the keychain → /v1/me) ─────────▶ signed_in
 *
 * The challenge id and the tokens stay here; the renderer only ever sees AuthState.
 */
export interface SignIn {
  /** The current state; waits for the start-up resume to settle. */
  state(): Promise<AuthState>;
  login(input: IpcInput<'auth.login'>): Promise<AuthState>;
  verify(input: IpcInput<'auth.verify'>): Promise<AuthState>;
  enrolStart(): Promise<EnrolStart>;
  enrolComplete(input: IpcInput<'auth.enrolComplete'>): Promise<{ state: AuthState; recoveryCodes: string[] }>;
  cancel(): Promise<AuthState>;
  logout(): Promise<AuthState>;
  stepUp(input: IpcInput<'auth.stepUp'>): Promise<{ stepUpUntil: string }>;
  /**
   * A new account accepts its invitation (sets its password, with no session), then
   * signs in with it: the next step is enrolment or the code, as for any sign-in.
   */
  acceptInvite(input: IpcInput<'auth.acceptInvite'>): Promise<AuthState>;
  /** Signed in: reads /v1/me again (memberships changed, e.g. an invitation accepted). */
  refreshMe(): Promise<AuthState>;
  /** Resumes the session whose refresh token is in the keychain, if any. Concurrent calls share one attempt. */
  resume(): Promise<AuthState>;
  /** The service said the session is over (refresh refused, or 401 on a call): back to sign-in with the reason. */
  sessionEnded(code: SessionEndedCode): void;
  /** For session-scoped calls of other domains: a 401 that ends the session signs the console out. */
  guard<T>(work: () => Promise<T>): Promise<T>;
  /** Called with every new state. */
  subscribe(listener: (state: AuthState) => void): () => void;
}

export interface SignInOptions {
  client: Pick<ServiceClient, 'call'>;
  /**
   * A client without credentials, for a new account accepting its invitation: whatever
   * session the keychain still holds (someone else's, not resumed yet) never goes with it.
   */
  anonymous?: Pick<ServiceClient, 'call'>;
  tokens: TokenKeeper;
  now?: () => number;
}

type Internal =
  | Extract<AuthState, { step: 'signed_out' }>
  | (Extract<AuthState, { step: 'mfa' | 'enrol' }> & { challengeId: string })
  | Extract<AuthState, { step: 'signed_in' }>;

const NO_CHALLENGE = 'There is no sign-in in progress, or it took too long. Start again with your email and password.';

/** The renderer's view of a state: the challenge id and internal flags stay behind. */
function publicState(state: Internal): AuthState {
  switch (state.step) {
    case 'signed_out':
      return { step: 'signed_out', ...(state.reason !== undefined && { reason: state.reason }), ...(state.code !== undefined && { code: state.code }) };
    case 'mfa':
    case 'enrol':
      return { step: state.step, email: state.email, expiresAt: state.expiresAt };
    case 'signed_in':
      return { step: 'signed_in', me: state.me };
  }
}

/** Lockouts and throttling carry Retry-After; the wait belongs in the sentence the user reads. */
function withWait(error: unknown): unknown {
  if (!(error instanceof ServiceError) || error.retryAfterSeconds === undefined) return error;
  if (error.code !== 'account_locked' && error.code !== 'rate_limited') return error;
  const minutes = Math.ceil(error.retryAfterSeconds / 60);
  const wait = error.retryAfterSeconds < 90 ? `${Math.max(1, error.retryAfterSeconds)} seconds` : `${minutes} minutes`;
  const lead = error.code === 'account_locked' ? 'Too many failed sign-ins to this account from this computer.' : 'Too many attempts from this computer.';
  return new ServiceError(error.code, `${lead} Try again in ${wait}.`, error.status, error.requestId, error.retryAfterSeconds);
}

export function createSignIn(options: SignInOptions): SignIn {
  const { client, tokens } = options;
  const anonymous = options.anonymous ?? client;
  const now = options.now ?? Date.now;
  let current: Internal = { step: 'signed_out' };
  let resuming: Promise<AuthState> | undefined;
  const listeners = new Set<(state: AuthState) => void>();

  const set = (next: Internal): AuthState => {
    const before = JSON.stringify(publicState(current));
    current = next;
    const after = publicState(next);
    if (JSON.stringify(after) !== before) for (const listener of listeners) listener(after);
    return after;
  };

  const signedOut = (reason?: string, code?: string): Internal => ({
    step: 'signed_out',
    ...(reason !== undefined && { reason }),
    ...(code !== undefined && { code }),
  });

  const challenge = (step: 'mfa' | 'enrol'): Extract<Internal, { challengeId: string }> => {
    if (current.step !== step) throw new CoreError('challenge_invalid', NO_CHALLENGE);
    if (Date.parse(current.expiresAt) <= now()) {
      set(signedOut());
      throw new CoreError('challenge_invalid', NO_CHALLENGE);
    }
    return current;
  };

  /** The service refused the challenge itself: it is spent, so the user starts again. */
  const onChallengeError = (error: unknown): never => {
    if (error instanceof ServiceError && error.code === 'challenge_invalid') set(signedOut());
    throw error;
  };

  const signedIn = async (received: SessionTokens): Promise<AuthState> => {
    await tokens.adopt(received);
    const me: Me = await client.call('me');
    return set({ step: 'signed_in', me });
  };

  const sessionEnded = (code: SessionEndedCode): void => {
    set(signedOut(sessionEndedReason(code), code));
  };

  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      // The token keeper already signed out when a refresh was refused; this catches a 401 on the retried call.
      if (error instanceof ServiceError && error.status === 401 && isSessionEndedCode(error.code) && current.step === 'signed_in') {
        await tokens.forget().catch(() => undefined);
        sessionEnded(error.code);
      }
      throw error;
    }
  };

  const resume = (): Promise<AuthState> => {
    resuming ??= (async () => {
      try {
        if (current.step === 'signed_in' || !(await tokens.hasStoredSession())) return publicState(current);
        const me = await client.call('me');
        return set({ step: 'signed_in', me });
      } catch (error) {
        if (current.step === 'signed_in') return publicState(current);
        const code = (error as { code?: unknown } | null)?.code;
        // Ended sessions were reported by the token keeper (with their reason) already.
        if (typeof code === 'string' && isSessionEndedCode(code)) return publicState(current);
        if (isCoreError(error, 'service_unreachable') || isCoreError(error, 'certificate_mismatch')) {
          return set(
            signedOut(
              'Your session could not be resumed because the service is not reachable. The console resumes it as soon as the service is back; you can also sign in again.',
              error.code,
            ),
          );
        }
        const message = error instanceof Error ? error.message : String(error);
        return set(signedOut(`Your session could not be resumed: ${message}`, typeof code === 'string' ? code : 'internal_error'));
      }
    })().finally(() => {
      resuming = undefined;
    });
    return resuming;
  };

  return {
    state: async () => {
      if (resuming) await resuming;
      return publicState(current);
    },

    async login({ email, password }) {
      if (resuming) await resuming;
      if (current.step === 'signed_in') {
        throw new CoreError('conflict', `Already signed in as ${current.me.user.email}. Sign out first to sign in as someone else.`);
      }
      let next;
      try {
        next = await client.call('login', { body: { email, password } });
      } catch (error) {
        throw withWait(error);
      }
      if (next.next === 'done') return signedIn(next.tokens);
      return set({ step: next.next, email, expiresAt: next.expiresAt, challengeId: next.challengeId });
    },

    async verify(input) {
      const { challengeId } = challenge('mfa');
      let received;
      try {
        received = await client.call('mfa', { body: 'code' in input ? { challengeId, code: input.code } : { challengeId, recoveryCode: input.recoveryCode } });
      } catch (error) {
        return onChallengeError(withWait(error));
      }
      return signedIn(received);
    },

    async enrolStart() {
      const { challengeId } = challenge('enrol');
      return client.call('enrolStart', { body: { challengeId } }).catch(onChallengeError);
    },

    async enrolComplete({ code }) {
      const { challengeId } = challenge('enrol');
      const done = await client.call('enrolComplete', { body: { challengeId, code } }).catch(onChallengeError);
      return { state: await signedIn(done.tokens), recoveryCodes: done.recoveryCodes };
    },

    async cancel() {
      if (current.step === 'mfa' || current.step === 'enrol') return set(signedOut());
      return publicState(current);
    },

    async logout() {
      if (current.step !== 'signed_in') {
        await tokens.forget();
        return set(signedOut());
      }
      let reason: string | undefined;
      try {
        await client.call('logout');
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        // An ended session is as signed out as it gets; anything else means the service still holds it.
        if (!(typeof code === 'string' && isSessionEndedCode(code))) {
          reason =
            'You are signed out on this computer, but the service could not be told, so the session stays listed there until it expires or an administrator revokes it.';
        }
      }
      await tokens.forget();
      return set(signedOut(reason, reason ? 'service_unreachable' : undefined));
    },

    async stepUp({ code }) {
      if (current.step !== 'signed_in') throw new CoreError('not_signed_in', 'Not signed in. Sign in to the console and try again.');
      const { stepUpUntil } = await guard(() => client.call('stepUp', { body: { code } }));
      if (current.step === 'signed_in') {
        const { me } = current;
        set({ step: 'signed_in', me: { ...me, session: { ...me.session, stepUpUntil } } });
      }
      return { stepUpUntil };
    },

    async acceptInvite({ token, email, password, displayName }) {
      if (resuming) await resuming;
      if (current.step === 'signed_in') {
        throw new CoreError('conflict', `Signed in as ${current.me.user.email}. Accept the invitation from the account menu, or sign out first.`);
      }
      await anonymous.call('acceptInvite', { body: { token, password, ...(displayName !== undefined && { displayName }) } }).catch((error: unknown) => {
        throw withWait(error);
      });
      try {
        return await this.login({ email, password });
      } catch (error) {
        // The invitation is used by now; only the sign-in that follows failed.
        if (error instanceof ServiceError && error.code === 'invalid_credentials') {
          throw new CoreError(
            'invite_accepted_sign_in_failed',
            'Your invitation is accepted and your password is set, but signing in with that email failed. Sign in with the address the invitation was sent to.',
          );
        }
        throw error;
      }
    },

    async refreshMe() {
      if (current.step !== 'signed_in') return publicState(current);
      const me = await guard(() => client.call('me'));
      return current.step === 'signed_in' ? set({ step: 'signed_in', me }) : publicState(current);
    },

    resume,
    sessionEnded,
    guard,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Signed-out codes after which the core tries to resume again once the service is reachable. */
export const RESUME_WHEN_ONLINE_CODES = new Set(['service_unreachable', 'certificate_mismatch']);
