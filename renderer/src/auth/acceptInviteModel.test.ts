import { describe, expect, it } from 'vitest';
import { acceptFormReady, inviteAdvice, inviteTokenProblem, newPasswordAdvice } from './acceptInviteModel';
import { signInAdvice } from './signInAdvice';

const TOKEN = `atst_inv_${'Ab1_-'.repeat(8)}xyz`;

describe('accepting an invitation: the form', () => {
  it('knows a pasted token by its shape and says what is wrong with a cut one', () => {
    expect(inviteTokenProblem(TOKEN)).toBeNull();
    expect(inviteTokenProblem(` ${TOKEN}\n`)).toBeNull();
    expect(inviteTokenProblem('')).toBeNull();
    expect(inviteTokenProblem(TOKEN.slice(0, 30))).toMatch(/cut short/);
    expect(inviteTokenProblem('atst_at_abc')).toMatch(/starts with atst_inv_/);
  });

  it('gives the policy’s advice while typing, and wants the confirmation to match', () => {
    expect(newPasswordAdvice('', '', 'ada@example.com')).toEqual({ problems: [], mismatch: false, ready: false });
    expect(newPasswordAdvice('short', '', 'ada@example.com').problems).toEqual([expect.stringMatching(/At least 12 characters/)]);
    expect(newPasswordAdvice('ada.lind.example.x', '', 'ada.lind@example.com').problems).toEqual([expect.stringMatching(/email address/)]);
    expect(newPasswordAdvice('a long walk by the harbour', 'a long walk', 'ada@example.com')).toMatchObject({ mismatch: true, ready: false });
    expect(newPasswordAdvice('a long walk by the harbour', 'a long walk by the harbour', 'ada@example.com')).toEqual({ problems: [], mismatch: false, ready: true });
  });

  it('is ready only with a token, an email and an agreed password', () => {
    const form = { token: TOKEN, email: 'ada@example.com', password: 'a long walk by the harbour', confirm: 'a long walk by the harbour' };
    expect(acceptFormReady(form)).toBe(true);
    expect(acceptFormReady({ ...form, token: 'atst_inv_short' })).toBe(false);
    expect(acceptFormReady({ ...form, email: 'ada' })).toBe(false);
    expect(acceptFormReady({ ...form, confirm: 'a long walk by the harbor' })).toBe(false);
  });
});

describe('accepting an invitation: errors say what to do next', () => {
  it('sends an existing account to sign in and use the account menu', () => {
    expect(inviteAdvice({ code: 'auth_required', message: 'x' })?.next).toMatch(/Sign in .* then choose “Accept invitation” in the account menu/);
  });

  it('asks for a new invitation when it is expired or invalid, and to sign in when it was used', () => {
    expect(inviteAdvice({ code: 'invite_expired', message: 'x' })?.next).toMatch(/new one/);
    expect(inviteAdvice({ code: 'invite_invalid', message: 'x' })?.next).toMatch(/pasted all of it/);
    expect(inviteAdvice({ code: 'invite_used', message: 'x' })?.next).toMatch(/Sign in/);
    expect(inviteAdvice({ code: 'tenant_suspended', message: 'x' })?.next).toMatch(/still works once the tenant is reinstated/);
  });

  it('is what the sign-in screen shows, and leaves other codes to it', () => {
    expect(signInAdvice({ code: 'invite_other_account', message: 'x' }).title).toBe('This invitation is for someone else');
    expect(inviteAdvice({ code: 'invalid_credentials', message: 'x' })).toBeNull();
    // On the sign-in screen enrolment_required means "enrol": the sign-in advice keeps it.
    expect(signInAdvice({ code: 'enrolment_required', message: 'x' })).toMatchObject({ restart: true });
    expect(inviteAdvice({ code: 'enrolment_required', message: 'x' }, { signedIn: true })?.next).toMatch(/Sign out, sign in with your code/);
    expect(signInAdvice({ code: 'invite_accepted_sign_in_failed', message: 'Sign in with the invited address.' }).next).toBe('Sign in with the invited address.');
  });
});
