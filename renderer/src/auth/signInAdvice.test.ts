import { describe, expect, it } from 'vitest';
import { signInAdvice } from './signInAdvice';

describe('sign-in advice', () => {
  it('keeps the lockout wait the core put into the message', () => {
    const advice = signInAdvice({ code: 'account_locked', message: 'Too many failed sign-ins. Try again in 14 minutes.' });
    expect(advice.next).toContain('14 minutes');
  });

  it('asks for the next code after a replayed one, and clears the field', () => {
    expect(signInAdvice({ code: 'mfa_code_replayed', message: 'x' })).toMatchObject({ next: expect.stringMatching(/next code/), clearCode: true });
  });

  it('starts again when the challenge is gone', () => {
    expect(signInAdvice({ code: 'challenge_invalid', message: 'x' })).toMatchObject({ restart: true, next: expect.stringMatching(/Start again/) });
  });

  it('never hides an unknown code', () => {
    expect(signInAdvice({ code: 'teapot', message: 'I am one.' }).next).toBe('I am one. (teapot)');
  });
});
