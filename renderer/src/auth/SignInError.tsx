import { Button, Callout } from '@blueprintjs/core';
import { useAuthStore } from './authStore';
import { signInAdvice } from './signInAdvice';

/** The last sign-in failure, said as what to do next. */
export const SignInError = () => {
  const error = useAuthStore((s) => s.error);
  const cancel = useAuthStore((s) => s.cancel);
  const state = useAuthStore((s) => s.state);
  if (!error) return null;
  const advice = signInAdvice(error);
  return (
    <Callout compact intent="danger" title={advice.title} className="attest-signin-callout" data-testid="sign-in-error" data-code={error.code} role="alert">
      <p>{advice.next}</p>
      {advice.restart && state?.step !== 'signed_out' && <Button size="small" text="Start again" onClick={() => void cancel()} />}
    </Callout>
  );
};
