import { Spinner } from '@blueprintjs/core';
import { lazy, Suspense } from 'react';
import { useAuthStore } from './auth/authStore';
import { StepUpDialog } from './auth/StepUpDialog';
import { useServiceStore } from './connect/serviceStore';
import { Shell } from './shell/Shell';

const SignInScreen = lazy(() => import('./auth/SignInScreen'));
const ConnectScreen = lazy(() => import('./connect/ConnectScreen'));

/**
 * The Connect screen while no service is configured (or another is being chosen); then the shell once
 * someone is signed in (and has saved any new recovery codes); the sign-in screen otherwise.
 */
export const Root = () => {
  const connecting = useServiceStore((s) => s.setup?.configured === false || s.choosing);
  const signedIn = useAuthStore((s) => s.state?.step === 'signed_in');
  // Keyed by the person: another person signed in gets a new shell, none of the previous one's component state.
  const person = useAuthStore((s) => (s.state?.step === 'signed_in' ? s.state.me.user.id : null));
  const recoveryCodesPending = useAuthStore((s) => s.recoveryCodes !== null);
  if (connecting) {
    return (
      <Suspense fallback={<Spinner className="attest-view-loading" size={24} aria-label="Loading" />}>
        <ConnectScreen />
      </Suspense>
    );
  }
  if (signedIn && !recoveryCodesPending) {
    return (
      <>
        <Shell key={person} />
        <StepUpDialog />
      </>
    );
  }
  return (
    <Suspense fallback={<Spinner className="attest-view-loading" size={24} aria-label="Loading" />}>
      <SignInScreen />
    </Suspense>
  );
};
