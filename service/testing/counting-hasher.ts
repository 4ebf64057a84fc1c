import type { PasswordHasher } from '../identity/passwords';

/** Instrumentation for attack tests: the real hasher, counting how many passwords it really verified. */
export interface CountingHasher {
  readonly wrap: (real: PasswordHasher) => PasswordHasher;
  readonly verifies: number;
  reset(): void;
}

export const countingHasher = (): CountingHasher => {
  let verifies = 0;
  return {
    wrap: (real) => ({
      ...real,
      verify: (stored, password) => {
        verifies += 1;
        return real.verify(stored, password);
      },
    }),
    get verifies() {
      return verifies;
    },
    reset: () => {
      verifies = 0;
    },
  };
};
